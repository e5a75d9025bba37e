"""The relatives' web app: a thin Flask shell around the formengine library.

Run it with ``flask --app webapp run``. Settings: see ``webapp/settings.py``.
"""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
from pathlib import Path

from flask import Flask, Response, request, session
from flask_compress import Compress
from flask_wtf.csrf import CSRFProtect
from markupsafe import Markup

from . import db, errors, i18n, security
from .markup import render_markup
from .settings import load_settings

csrf = CSRFProtect()
compress = Compress()


def create_app(test_config: dict | None = None) -> Flask:
    """Create and configure the app: settings, database, i18n, security and blueprints."""
    app = Flask(__name__, instance_relative_config=True)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    os.makedirs(app.instance_path, exist_ok=True)
    load_settings(app.config, app.instance_path)
    if test_config:
        app.config.update(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path))
    _cookie_settings(app)
    db.init_app(app)
    csrf.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    app.add_template_filter(render_markup, "markup")
    from .relatives.time_estimate import expected_time

    app.jinja_env.globals["expected_time"] = expected_time
    _static_assets(app)
    from . import cli, forms_access, relatives

    forms_access.init_app(app)
    relatives.init_app(app)
    cli.init_app(app)
    from . import outbox

    outbox.init_app(app)
    from . import staff

    staff.init_app(app)
    from . import authoring

    authoring.init_app(app)
    return app


def _static_assets(app: Flask) -> None:
    """Compress responses, and serve CSS/JS cacheable for a year under content-versioned URLs.

    A phone on a slow line then fetches the stylesheet once, compressed, and later pages need
    no revalidation round trip. See ``_compress`` for which HTML is compressed and why.
    """
    app.config.setdefault(
        "COMPRESS_MIMETYPES",
        ["text/html", "text/css", "text/javascript", "application/javascript", "image/svg+xml"],
    )
    app.config.setdefault("COMPRESS_MIN_SIZE", 256)
    # brotli first: at the default levels it is the smallest for our HTML (7.7 KB against zstd's
    # 8.5 KB for the heaviest page), which matters more on a slow line than compression speed
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "zstd", "gzip", "deflate"])
    app.config.setdefault("COMPRESS_ALGORITHM_STREAMING", ["br", "zstd", "deflate"])
    app.config["COMPRESS_REGISTER"] = False  # _compress decides, then hands over to Flask-Compress
    compress.init_app(app)
    app.after_request(_compress)
    app.config["SEND_FILE_MAX_AGE_DEFAULT"] = 365 * 24 * 3600
    versions: dict[str, str] = {}
    for path in Path(app.static_folder).rglob("*"):
        if path.is_file():
            name = path.relative_to(app.static_folder).as_posix()
            versions[name] = hashlib.sha256(path.read_bytes()).hexdigest()[:10]

    # The main stylesheet is inlined (CSP-allowed by its hash, not by 'unsafe-inline'): on a
    # slow line that saves the round trip for the stylesheet before the first paint.
    css = (Path(app.static_folder) / "app.css").read_text("utf-8")
    app.config["INLINE_CSS"] = Markup(css)  # noqa: S704  the app's own stylesheet from static/, no input
    app.config["INLINE_CSS_HASH"] = (
        "'sha256-" + base64.b64encode(hashlib.sha256(css.encode()).digest()).decode() + "'"
    )

    @app.url_defaults
    def _version_static(endpoint, values):
        if endpoint == "static" and "v" not in values and values.get("filename") in versions:
            values["v"] = versions[values["filename"]]


def _compress(response: Response) -> Response:
    """Compress what Flask-Compress would, but HTML only where BREACH finds nothing to work with.

    Compressed HTML over TLS can leak a secret on a page (here: the resume code, the CSRF
    token, answers) when an attacker can put text of their choice into the same page and have
    the victim's browser load it many times, measuring the length. So HTML is compressed only
    for a relative's GET of a page that echoes no request input — every such route is probed
    by tests/security/test_compression.py. Never compressed: the reply to a POST (it may show
    the posted text back, e.g. a wrong code or an answer with an error), anything a staff
    session loads (staff pages echo a search and list a whole caseload; staff also fill
    agreements on the relatives' pages), and partial content (a Range request's 206).
    Why this is worth it: a task page is 68 KB raw and 8 KB compressed, about a second per
    page on a slow phone line. See docs/operations.md, "Compression and BREACH".
    """
    if response.status_code == 206:  # Flask-Compress would compress a byte range of a file
        return response
    if response.mimetype == "text/html" and (
        request.method not in ("GET", "HEAD") or request.path.startswith("/staff") or session.get("staff_uid")
    ):
        return response
    source = response.response
    response = compress.after_request(response)
    if response.response is not source and hasattr(source, "close"):
        # Flask-Compress wraps a streamed static file in a generator and drops its close():
        # close the file when the response is done instead of waiting for the garbage collector
        response.call_on_close(source.close)
    return response


def _instance_secret(instance: Path) -> str:
    """Read or create a development secret key in the instance folder."""
    path = instance / "secret_key"
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key)
    return key


def _cookie_settings(app: Flask) -> None:
    https = bool(app.config.get("HTTPS"))
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=https,
        SESSION_COOKIE_NAME="__Host-session" if https else "session",
        PREFERRED_URL_SCHEME="https" if https else "http",
        WTF_CSRF_TIME_LIMIT=None,  # a page left open overnight must still save
        WTF_CSRF_SSL_STRICT=https,
        MAX_CONTENT_LENGTH=256 * 1024,
    )
