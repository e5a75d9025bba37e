"""Staff log-in: Argon2 passwords, lock-out per account, idle timeout, roles, one municipality scope."""

from __future__ import annotations

import functools
import secrets
import time

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import Blueprint, abort, current_app, g, redirect, request, session, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from .. import db, lockout
from ..db import utcnow
from ..security import client_ip
from . import audit, sessions
from .models import LoginAttempt, StaffSession, StaffUser

bp = Blueprint("staff", __name__, url_prefix="/staff")
hasher = PasswordHasher()
PUBLIC_ENDPOINTS = {"staff.login", "staff.logout"}
SESSION_KEYS = ("staff_uid", "staff_seen", "staff_sid", "staff_idt", "staff_pending")

# What each role may do. Case data (answers, PDFs, agreements) is for coordinators and the
# municipality administrator; the form administrator sees blank forms and statistics only.
PERMISSIONS = {
    "cases": ("coordinator", "municipality_admin"),
    "forms": ("coordinator", "form_admin", "municipality_admin"),
    "stats": ("municipality_admin",),
    "log": ("municipality_admin",),
    "export": ("municipality_admin",),
    "users": ("municipality_admin",),
}


def hash_password(password: str) -> str:
    return hasher.hash(password)


def current_user() -> StaffUser | None:
    """The logged-in member of staff for this request (None outside staff pages)."""
    return g.get("staff_user")


def may(permission: str, user: StaffUser | None = None) -> bool:
    user = user or current_user()
    return user is not None and user.role in PERMISSIONS[permission]


def requires(permission: str):
    """View decorator: 403 unless the logged-in user's role has ``permission``."""

    def decorate(view):
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            if not may(permission):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorate


def load_user() -> StaffUser | None:
    """Return the session's active user, enforcing the idle timeout (None when logged out).

    The cookie carries only a random token; the session itself lives in ``staff_sessions``, so
    logout, a password change, deactivation and "log out everywhere" end it on the server, and a
    copied cookie is worthless afterwards. Checked once per request (cached in ``g``).
    """
    if "staff_loaded" in g:
        return g.staff_loaded
    g.staff_loaded = user = _load_user()
    return user


def _load_user() -> StaffUser | None:
    uid, token = session.get("staff_uid"), session.get("staff_sid")
    if uid is None or not token:
        return None
    idle = current_app.config["STAFF_IDLE_MINUTES"] * 60
    with db.session() as s:
        row = s.get(StaffSession, sessions.token_hash(token))
        if row is None or row.user_id != uid or row.ended_at is not None:
            _forget()
            return None
        now = utcnow()
        if (now - row.last_seen).total_seconds() > idle or time.time() - float(
            session.get("staff_seen", 0)
        ) > idle:
            sessions.end(s, row, "idle")
            s.commit()
            _forget()
            g.staff_expired = True
            return None
        user = s.get(StaffUser, uid)
        if user is None or not user.active:
            sessions.end(s, row, "inactive")
            s.commit()
            _forget()
            return None
        if (now - row.last_seen).total_seconds() > min(15.0, idle / 4):
            row.last_seen = now
            s.commit()
    session["staff_seen"] = time.time()
    return user


@bp.before_request
def _guard():
    g.staff_user = load_user()
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    if g.staff_user is None:
        return redirect(
            url_for(
                "staff.login",
                next=request.full_path.rstrip("?"),
                expired=1 if g.get("staff_expired") else None,
            ),
            code=303,
        )
    return None


def _forget() -> None:
    for key in SESSION_KEYS:
        session.pop(key, None)


def _verify(user: StaffUser | None, password: str) -> bool:
    try:
        if user is None:
            hasher.verify(_dummy_hash(), password)  # same work whether or not the account exists
            return False
        return hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@functools.lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return hasher.hash(secrets.token_urlsafe(16))


def lock_key(email: str) -> str:
    return f"staff:{email.strip().lower()}"


def take_attempt(email: str) -> bool:
    """Reserve one attempt (password or second-factor code) for this account; False when locked."""
    config = current_app.config
    return (
        lockout.reserve(lock_key(email), config["STAFF_MAX_ATTEMPTS"], config["STAFF_LOCK_MINUTES"])
        is not None
    )


def authenticate(email: str, password: str) -> tuple[StaffUser | None, str | None]:
    """Check a login; record the attempt (and a log entry) in one transaction. Returns (user, error).

    The attempt's slot is taken atomically before the password is checked (``webapp.lockout``),
    so concurrent guesses never evaluate more than STAFF_MAX_ATTEMPTS passwords per window.
    """
    email = email.strip().lower()
    if not take_attempt(email):
        return None, LOCKED_MESSAGE()
    with db.session() as s:
        user = s.scalars(select(StaffUser).where(StaffUser.email == email)).first()
        ok = _verify(user, password) and user is not None and user.active
        s.add(LoginAttempt(email=email[:254], ip=client_ip()[:64], ok=ok))
        if user is not None:
            audit.record(s, user, "password_ok" if ok else "login_failed")
        if ok and hasher.check_needs_rehash(user.password_hash):
            user.password_hash = hasher.hash(password)
        s.commit()
    if not ok:
        return None, _("Wrong email address or password.")
    lockout.refund(lock_key(email))
    return user, None


def LOCKED_MESSAGE() -> str:  # noqa: N802 (a translated constant)
    return _("Too many wrong attempts. The account is locked for a while; try again later.")


def start_session(user: StaffUser, method: str) -> None:
    """Log ``user`` in: a fresh cookie session (nothing from before survives) and a server-side row."""
    lang = session.get("lang")
    session.clear()  # rotate: nothing from before the login survives
    if lang:
        session["lang"] = lang
    token = secrets.token_urlsafe(32)
    with db.session() as s:
        sessions.start(s, user, token, method, client_ip())
        audit.record(s, user, "login", detail=method)
        s.commit()
    session.update(staff_uid=user.id, staff_seen=time.time(), staff_sid=token)
    g.pop("staff_loaded", None)


def _safe_next(target: str | None, user: StaffUser | None = None) -> str:
    if target and target.startswith("/staff/") and not target.startswith("//"):
        return target
    return home_for(user)


def home_for(user: StaffUser | None) -> str:
    """The first page for a role: the cases for those who may see them, else the form versions."""
    if user is not None and not may("cases", user):
        return url_for("authoring.index")
    return url_for("staff.overview")
