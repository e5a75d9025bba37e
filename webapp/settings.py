"""Every setting of the web app, declared once with a default and a help text.

Values come from the defaults below, then ``instance/config.py``, then ``FORMENGINE_*``
environment variables, then ``test_config``. ``webapp/README.md`` documents each one
(a test checks that).
"""

from __future__ import annotations

import os
import runpy
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ENV_PREFIX = "FORMENGINE_"
REPO_FORMS = Path(__file__).resolve().parent.parent / "forms"


def _bool(text: str) -> bool:
    return text.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str
    parse: Callable[[str], Any] = str

    @property
    def env(self) -> str:
        return ENV_PREFIX + self.name


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "DATABASE_URL",
        None,
        "SQLAlchemy URL of the database. Default: SQLite file formengine.sqlite3 in the "
        "instance folder. PostgreSQL: postgresql+psycopg://user:pw@host/db.",
    ),
    Setting(
        "SECRET_KEY",
        None,
        "Key that signs session cookies and CSRF tokens. If unset, a random key is "
        "generated once into instance/secret_key (fine for development, set it in production).",
    ),
    Setting("FORMS", str(REPO_FORMS), "Folder with the form definitions (forms/<id>/<version>.yaml)."),
    Setting(
        "MUNICIPAL_FORMS",
        None,
        "Writable folder for the municipality's own form versions, uploaded under /staff/forms "
        "(<id>/<version>.yaml and its own published.lock). Default: the folder forms in the instance folder.",
    ),
    Setting("STRICT_FORMS", False, "Treat form warnings as errors when loading forms.", _bool),
    Setting(
        "BASE_URL",
        "http://localhost:5000",
        "Public address of the app, used in invitation links printed by `flask invite`.",
    ),
    Setting(
        "HTTPS",
        False,
        "The app is served over https (directly or behind a proxy): secure cookies and HSTS.",
        _bool,
    ),
    Setting(
        "PROXIES",
        0,
        "Number of trusted reverse proxies in front of the app (X-Forwarded-For is used for the "
        "client address, e.g. for code-guessing limits, only when this is above 0).",
        int,
    ),
    Setting("DEFAULT_LANGUAGE", "nb", "Language when the browser asks for none we have (nb, nn or en)."),
    Setting(
        "CODE_MAX_ATTEMPTS",
        5,
        "Wrong short codes allowed from one address within CODE_WINDOW_MINUTES before it is locked out.",
        int,
    ),
    Setting("CODE_WINDOW_MINUTES", 15, "Length of the code-guessing window and lock-out, in minutes.", int),
    Setting(
        "CODE_GLOBAL_MAX_FAILURES",
        300,
        "Wrong short codes from all addresses together within CODE_WINDOW_MINUTES at which the code "
        "door closes for everyone until the count falls below it again (links still work); an alarm "
        "is logged when it closes. Stops guessing spread over many addresses. 0 switches it off.",
        int,
    ),
    Setting(
        "ACCESS_LOG", True, "Log one line per request (method, path, status, time; never answers).", _bool
    ),
    Setting("STAFF_IDLE_MINUTES", 30, "Staff are logged out after this many minutes without a request.", int),
    Setting(
        "STAFF_MAX_ATTEMPTS",
        5,
        "Wrong passwords allowed for one staff account within STAFF_LOCK_MINUTES before it is locked.",
        int,
    ),
    Setting(
        "STAFF_LOCK_MINUTES",
        15,
        "Length of the staff password-guessing window and lock-out, in minutes.",
        int,
    ),
    Setting(
        "ALLOW_PASSWORD_ONLY",
        False,
        "Let staff log in with a password alone, without a second factor (development and tests only; "
        "Normen expects two-factor authentication for access to health data).",
        _bool,
    ),
    Setting(
        "OIDC_ISSUER",
        "",
        "Issuer URL of the municipality's OpenID Connect provider (Entra ID, HelseID, …); when set, "
        "staff can log in with single sign-on (/staff/sso).",
        str,
    ),
    Setting("OIDC_CLIENT_ID", "", "Client id of this app at the OpenID Connect provider.", str),
    Setting("OIDC_CLIENT_SECRET", "", "Client secret of this app at the OpenID Connect provider.", str),
    Setting(
        "OIDC_LEEWAY_SECONDS",
        30,
        "Clock difference allowed between this server and the provider when checking an ID token's times.",
        int,
    ),
    Setting(
        "OIDC_MUNICIPALITY_CLAIM",
        "municipality",
        "ID-token claim that holds the user's municipality id; used when no staff account with the "
        "token's e-mail address exists (an existing account's municipality and role win).",
        str,
    ),
    Setting(
        "OIDC_ROLE_CLAIM",
        "role",
        "ID-token claim that holds the user's role (coordinator, form_admin or municipality_admin).",
        str,
    ),
    Setting(
        "SELF_START_PER_ADDRESS",
        20,
        "Self-starts (POST /start/<form>) allowed from one address within SELF_START_WINDOW_MINUTES.",
        int,
    ),
    Setting(
        "SELF_START_GLOBAL",
        600,
        "Self-starts from all addresses together allowed within SELF_START_WINDOW_MINUTES; 0 switches it off.",
        int,
    ),
    Setting("SELF_START_WINDOW_MINUTES", 10, "Length of the self-start rate-limit window, in minutes.", int),
    Setting(
        "EMPTY_START_HOURS",
        48,
        "Self-started forms that are still unsubmitted and without an answer after this many hours are "
        "deleted (by `flask purge` and at most hourly by the app itself).",
        int,
    ),
    Setting(
        "REVIEW_DUE_DAYS",
        14,
        "An agreed case is listed as 'review due' this many days before its next review date.",
        int,
    ),
    Setting(
        "SMTP_URL",
        None,
        "Mail server for the outbox: smtp://user:pass@host:port (STARTTLS when the server offers it; "
        "add ?starttls=require or ?starttls=no) or smtps://user:pass@host:port (TLS from the start). "
        "Unset: messages wait in the outbox until it is set.",
    ),
    Setting(
        "MAIL_FROM", None, "Sender address of the app's e-mail, e.g. Pårørendeskjema <noreply@kommune.no>."
    ),
    Setting(
        "OUTBOX_SEND_AFTER_REQUEST",
        True,
        "Send new messages right after the request that created them (and, once a minute, any left "
        "behind). Off: only `flask outbox run` sends (from cron or a systemd timer).",
        _bool,
    ),
    Setting(
        "OUTBOX_RETRY_SECONDS",
        60,
        "Wait before the first retry of a message that could not be sent; doubled per try, at most an hour.",
        float,
    ),
    Setting(
        "OUTBOX_MAX_ATTEMPTS",
        30,
        "Tries before a message is given up and marked failed (`flask outbox status` counts them).",
        int,
    ),
    Setting(
        "DUTY_EMAILS",
        "",
        "Duty e-mail address per municipality for staff alerts, e.g. 0301=vakt@oslo.kommune.no,4601=... "
        "(overrides duty_email in the municipality's variant). The e-mail holds only a link.",
    ),
    Setting(
        "SAFETY_FLAGS",
        "parorende-kartlegging:harm_worry,harm_worry_unsure",
        "For form versions published before flags could say `safety: true`: which flags are safety flags "
        "(form:flag,flag;form:flag). A form that declares a safety flag itself ignores this.",
    ),
    Setting(
        "CODE_EXPIRY_DAYS",
        30,
        "Days after submit during which the short code and the link still open the receipt and the "
        "relative's copy; after that they open nothing.",
        int,
    ),
    Setting(
        "REMINDER_DAYS",
        7,
        "`flask reminders` reminds an invited relative (once) who has not sent the form this many days "
        "after the invitation.",
        int,
    ),
    Setting(
        "SMS_GATEWAY_URL",
        None,
        'URL of the HTTP JSON SMS gateway: each SMS is a POST of {"to", "from", "message", '
        '"reference"}. Unset: SMS waits in the outbox.',
    ),
    Setting(
        "SMS_GATEWAY_TOKEN", None, "Bearer token for the SMS gateway (from the environment, never in code)."
    ),
    Setting("SMS_SENDER", "", "Sender name or number shown on SMS (the gateway may override it)."),
    Setting(
        "RETENTION_DAYS",
        730,
        "Default age in days after which `flask purge` deletes assessments and their agreements.",
        int,
    ),
)


def load_settings(config: dict, instance_path: str, environ: os._Environ | dict | None = None) -> None:
    """Fill ``config`` from defaults, instance/config.py, then the environment."""
    environ = os.environ if environ is None else environ
    for setting in SETTINGS:
        config.setdefault(setting.name, setting.default)
    instance_file = Path(instance_path) / "config.py"
    if instance_file.exists():
        # The operator's own Python file (as Flask's from_pyfile), never input from a request.
        namespace: dict[str, Any] = runpy.run_path(str(instance_file))
        for setting in SETTINGS:
            if setting.name in namespace:
                config[setting.name] = namespace[setting.name]
    for setting in SETTINGS:
        if setting.env in environ:
            config[setting.name] = setting.parse(environ[setting.env])
