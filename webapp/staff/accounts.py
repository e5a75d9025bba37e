"""Staff accounts: change my password, log me out everywhere; for the municipality's administrator,
the users of the municipality with "log out everywhere", deactivate/activate and "reset two-step login".

Every one of these ends every server-side session of the user concerned (``sessions.end_all``).
"""

from __future__ import annotations

from flask import abort, current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from .. import db
from . import audit, sessions, totp
from .auth import _verify, bp, current_user, hash_password, requires
from .models import StaffUser

MIN_PASSWORD = 12


class PasswordForm(FlaskForm):
    current = PasswordField(
        _l("Current password"),
        validators=[DataRequired(), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )
    new = PasswordField(
        _l("New password"),
        validators=[
            DataRequired(),
            Length(min=MIN_PASSWORD, max=200, message=_l("Use at least 12 characters.")),
        ],
        description=_l(
            "At least 12 characters. A few ordinary words in a row are easy to remember and hard to guess."
        ),
        render_kw={"autocomplete": "new-password"},
    )
    repeat = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("new", message=_l("The two new passwords are not the same."))],
        render_kw={"autocomplete": "new-password"},
    )


@bp.route("/konto", methods=["GET", "POST"])
def account():
    user = current_user()
    form = PasswordForm()
    error = None
    if form.validate_on_submit():
        if not _verify(user, form.current.data or ""):
            error = _("The current password is wrong.")
            form.current.errors = [error]
        else:
            with db.session() as s:
                stored = s.get(StaffUser, user.id)
                stored.password_hash = hash_password(form.new.data or "")
                ended = sessions.end_all(s, user.id, "password_change")
                audit.record(s, user, "password_change", detail=f"sessions={ended}")
                s.commit()
            session.clear()
            return redirect(url_for("staff.login", changed=1), code=303)
    with db.session() as s:
        open_sessions = sessions.open_counts(s, [user.id], current_app.config["STAFF_IDLE_MINUTES"]).get(
            user.id, 0
        )
        left = totp.unused_recovery_codes(s, user.id)
    status = 400 if (form.errors or error) and request.method == "POST" else 200
    return render_template(
        "staff/account.html",
        form=form,
        open_sessions=open_sessions,
        recovery_left=left,
        title=_("My account"),
    ), status


@bp.post("/konto/logg-ut-overalt")
def logout_everywhere():
    if not FlaskForm().validate_on_submit():
        abort(400)
    user = current_user()
    with db.session() as s:
        ended = sessions.end_all(s, user.id, "logout_everywhere")
        audit.record(s, user, "logout_everywhere", detail=f"sessions={ended}")
        s.commit()
    session.clear()
    return redirect(url_for("staff.login"), code=303)


@bp.get("/brukere")
@requires("users")
def users():
    me = current_user()
    with db.session() as s:
        people = list(
            s.scalars(
                select(StaffUser).where(StaffUser.municipality == me.municipality).order_by(StaffUser.email)
            )
        )
        counts = sessions.open_counts(s, [u.id for u in people], current_app.config["STAFF_IDLE_MINUTES"])
        audit.record(s, me, "users_view")
        s.commit()
    return render_template(
        "staff/users.html",
        people=people,
        counts=counts,
        form=FlaskForm(),
        done=request.args.get("gjort"),
        title=_("Users"),
    )


ACTIONS = ("logg-ut", "deaktiver", "aktiver", "nullstill-tofaktor")


@bp.post("/brukere/<user_id>/<action>")
@requires("users")
def user_action(user_id: str, action: str):
    if action not in ACTIONS or not user_id.isascii() or not user_id.isdigit() or len(user_id) > 9:
        abort(404)
    uid = int(user_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    me = current_user()
    with db.session() as s:
        user = s.get(StaffUser, uid)
        if user is None or user.municipality != me.municipality:
            abort(404)
        if action == "logg-ut":
            ended = sessions.end_all(s, uid, "admin_logout")
        elif action == "deaktiver":
            user.active = False
            ended = sessions.end_all(s, uid, "deactivated")
        elif action == "aktiver":
            user.active, ended = True, 0
        else:
            totp.reset(s, user)
            ended = sessions.end_all(s, uid, "second_factor_reset")
        audit.record(s, me, f"user_{action}".replace("-", "_")[:40], detail=f"{user.email} sessions={ended}")
        s.commit()
    if uid == me.id and action != "aktiver":
        session.clear()
        return redirect(url_for("staff.login"), code=303)
    return redirect(url_for("staff.users", gjort=action), code=303)
