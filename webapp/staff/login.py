"""Log in and out: the password step, then the second factor (TOTP) or the provider's logout (OIDC).

Apart from ``auth`` so that the session helpers there do not import the login methods that use them.
"""

from __future__ import annotations

from flask import current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from .. import db
from . import audit, oidc, sessions, totp
from .auth import _safe_next, authenticate, bp, current_user, home_for, load_user, start_session
from .forms import LoginForm
from .models import StaffUser


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        user, error = authenticate(form.email.data or "", form.password.data or "")
        if user is not None:
            return second_step(user, request.args.get("next"))
    elif current_user() is not None and request.method == "GET":
        return redirect(home_for(current_user()), code=303)
    expired = request.args.get("expired") == "1"
    return render_template(
        "staff/login.html", form=form, error=error, expired=expired, title=_("Log in for staff")
    ), (400 if error else 200)


def second_step(user: StaffUser, target: str | None):
    """After the password: the second factor (or its enrolment), unless password-only login is allowed."""
    if current_app.config["ALLOW_PASSWORD_ONLY"] and user.totp_confirmed_at is None:
        start_session(user, "password")
        return redirect(_safe_next(target, user), code=303)
    return totp.begin(user, _safe_next(target, user))


@bp.post("/logout")
def logout():
    user = current_user() or load_user()
    id_token = session.get("staff_idt")
    if FlaskForm().validate_on_submit() and user is not None:
        with db.session() as s:
            ended = sessions.end_all(s, user.id, "logout")
            audit.record(s, user, "logout", detail=f"sessions={ended}")
            s.commit()
    session.clear()
    return oidc.after_logout(id_token) or redirect(url_for("staff.login"), code=303)
