"""Staff log-in: Argon2 passwords, lock-out per account, idle timeout, roles, one municipality scope."""
from __future__ import annotations

import datetime as dt
import functools
import secrets
import time

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import Blueprint, abort, current_app, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from .. import db
from ..db import utcnow
from ..security import client_ip
from . import audit
from .forms import LoginForm
from .models import LoginAttempt, StaffUser

bp = Blueprint("staff", __name__, url_prefix="/staff")
hasher = PasswordHasher()
PUBLIC_ENDPOINTS = {"staff.login", "staff.logout"}
SESSION_KEYS = ("staff_uid", "staff_seen", "staff_sid")

# What each role may do. Case data (answers, PDFs, agreements) is for coordinators and the
# municipality administrator; the form administrator sees blank forms and statistics only.
PERMISSIONS = {
    "cases": ("coordinator", "municipality_admin"),
    "forms": ("coordinator", "form_admin", "municipality_admin"),
    "stats": ("municipality_admin",),
    "log": ("municipality_admin",),
    "export": ("municipality_admin",),
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
    """Return the session's active user, enforcing the idle timeout (None when logged out)."""
    uid = session.get("staff_uid")
    if uid is None:
        return None
    idle = current_app.config["STAFF_IDLE_MINUTES"] * 60
    if time.time() - float(session.get("staff_seen", 0)) > idle:
        _forget()
        g.staff_expired = True
        return None
    with db.session() as s:
        user = s.get(StaffUser, uid)
    if user is None or not user.active:
        _forget()
        return None
    session["staff_seen"] = time.time()
    return user


@bp.before_request
def _guard():
    g.staff_user = load_user()
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    if g.staff_user is None:
        return redirect(url_for("staff.login", next=request.full_path.rstrip("?"),
                                expired=1 if g.get("staff_expired") else None), code=303)
    return None


def _forget() -> None:
    for key in SESSION_KEYS:
        session.pop(key, None)


def _locked(s, email: str) -> bool:
    window = dt.timedelta(minutes=current_app.config["STAFF_LOCK_MINUTES"])
    failures = s.scalar(select(func.count()).select_from(LoginAttempt).where(
        LoginAttempt.email == email, LoginAttempt.ok.is_(False), LoginAttempt.created_at > utcnow() - window))
    return failures >= current_app.config["STAFF_MAX_ATTEMPTS"]


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


def authenticate(email: str, password: str) -> tuple[StaffUser | None, str | None]:
    """Check a login; record the attempt (and a log entry) in one transaction. Returns (user, error)."""
    email = email.strip().lower()
    with db.session() as s:
        if _locked(s, email):
            return None, _("Too many wrong attempts. The account is locked for a while; try again later.")
        user = s.scalars(select(StaffUser).where(StaffUser.email == email)).first()
        ok = _verify(user, password) and user is not None and user.active
        s.add(LoginAttempt(email=email[:254], ip=client_ip()[:64], ok=ok))
        if user is not None:
            audit.record(s, user, "login" if ok else "login_failed")
        if ok and hasher.check_needs_rehash(user.password_hash):
            user.password_hash = hasher.hash(password)
        s.commit()
    if not ok:
        return None, _("Wrong email address or password.")
    return user, None


def _safe_next(target: str | None, user: StaffUser | None = None) -> str:
    if target and target.startswith("/staff/") and not target.startswith("//"):
        return target
    return home_for(user)


def home_for(user: StaffUser | None) -> str:
    """The first page for a role: the cases for those who may see them, else the form versions."""
    if user is not None and not may("cases", user):
        return url_for("authoring.index")
    return url_for("staff.overview")


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        user, error = authenticate(form.email.data or "", form.password.data or "")
        if user is not None:
            lang = session.get("lang")
            session.clear()  # rotate: nothing from before the login survives
            if lang:
                session["lang"] = lang
            session.update(staff_uid=user.id, staff_seen=time.time(), staff_sid=secrets.token_urlsafe(16))
            return redirect(_safe_next(request.args.get("next"), user), code=303)
    elif current_user() is not None and request.method == "GET":
        return redirect(home_for(current_user()), code=303)
    expired = request.args.get("expired") == "1"
    return render_template("staff/login.html", form=form, error=error, expired=expired,
                           title=_("Log in for staff")), (400 if error else 200)


@bp.post("/logout")
def logout():
    from flask_wtf import FlaskForm

    if FlaskForm().validate_on_submit() and current_user() is not None:
        with db.session() as s:
            audit.record(s, current_user(), "logout")
            s.commit()
    session.clear()
    return redirect(url_for("staff.login"), code=303)
