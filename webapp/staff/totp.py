"""Second factor for staff: TOTP (RFC 6238, pyotp) with one-time recovery codes.

After the password, the login is *pending* (only the user id, the target page and the time are
kept in the cookie session for PENDING_SECONDS). A user with a confirmed authenticator app is
asked for a code; a user without one enrols first: a QR code (SVG, no JavaScript) and the key
as text, a code to confirm, then ten recovery codes shown once. Wrong codes take slots from the
same atomic lock-out counter as wrong passwords (``auth.take_attempt``).
"""

from __future__ import annotations

import hashlib
import secrets
import time

import pyotp
import segno
from flask import current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup
from sqlalchemy import delete, select, update
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from .. import db, lockout
from ..db import utcnow
from . import audit
from .auth import LOCKED_MESSAGE, PUBLIC_ENDPOINTS, bp, lock_key, start_session, take_attempt
from .models import RecoveryCode, StaffUser

PENDING_SECONDS = 300
RECOVERY_CODES = 10
ISSUER = "Pårørendekartlegging"
PUBLIC_ENDPOINTS.update({"staff.totp_code", "staff.totp_enrol"})


class CodeForm(FlaskForm):
    code = StringField(
        _l("Code"),
        validators=[DataRequired(), Length(max=40)],
        render_kw={
            "autocomplete": "one-time-code",
            "inputmode": "numeric",
            "spellcheck": "false",
            "autocapitalize": "off",
        },
    )


def begin(user: StaffUser, target: str):
    """The password was right: remember the pending login and ask for the second factor."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    session["staff_pending"] = {"uid": user.id, "next": target, "at": time.time()}
    if user.totp_confirmed_at is not None:
        return redirect(url_for("staff.totp_code"), code=303)
    return redirect(url_for("staff.totp_enrol"), code=303)


def _pending() -> StaffUser | None:
    pending = session.get("staff_pending")
    if not isinstance(pending, dict) or time.time() - float(pending.get("at", 0)) > PENDING_SECONDS:
        session.pop("staff_pending", None)
        return None
    with db.session() as s:
        user = s.get(StaffUser, pending.get("uid"))
    return user if user is not None and user.active else None


def _finish(user: StaffUser, method: str, show_codes: list[str] | None = None):
    target = session.get("staff_pending", {}).get("next") or url_for("staff.overview")
    start_session(user, method)
    if show_codes:
        return render_template(
            "staff/recovery_codes.html", codes=show_codes, target=target, title=_("Your recovery codes")
        )
    return redirect(target, code=303)


def hash_code(user_id: int, code: str) -> str:
    normal = "".join(ch for ch in code.lower() if ch.isalnum())
    return hashlib.sha256(f"{user_id}:{normal}".encode()).hexdigest()


def new_recovery_codes(s, user: StaffUser) -> list[str]:
    """Replace the user's recovery codes with ten new ones (returned once, stored as hashes)."""
    s.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _i in range(RECOVERY_CODES):
        raw = secrets.token_hex(5)
        code = f"{raw[:5]}-{raw[5:]}"
        codes.append(code)
        s.add(RecoveryCode(user_id=user.id, code_hash=hash_code(user.id, code)))
    return codes


def check_totp(s, user: StaffUser, code: str) -> bool:
    """True for a current code (±1 step) not used before; the step is remembered (no replay)."""
    digits = "".join(ch for ch in code if ch.isdigit())
    if len(digits) != 6 or not user.totp_secret:
        return False
    totp = pyotp.TOTP(user.totp_secret)
    now = time.time()
    for offset in (0, -1, 1):
        step = int(now // 30) + offset
        if secrets.compare_digest(totp.at(step * 30), digits):
            # one conditional UPDATE: two requests with the same code cannot both pass
            used = s.execute(
                update(StaffUser)
                .where(
                    StaffUser.id == user.id,
                    (StaffUser.totp_last_step.is_(None)) | (StaffUser.totp_last_step < step),
                )
                .values(totp_last_step=step)
            )
            return bool(used.rowcount)
    return False


def use_recovery_code(s, user: StaffUser, code: str) -> bool:
    used = s.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == hash_code(user.id, code),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=utcnow())
    )
    return bool(used.rowcount)


@bp.route("/login/kode", methods=["GET", "POST"])
def totp_code():
    user = _pending()
    if user is None or user.totp_confirmed_at is None:
        return redirect(url_for("staff.login"), code=303)
    form = CodeForm()
    error = None
    if form.validate_on_submit():
        code = form.code.data or ""
        if not take_attempt(user.email):
            error = LOCKED_MESSAGE()
        else:
            with db.session() as s:
                method = (
                    "totp"
                    if check_totp(s, user, code)
                    else ("recovery" if use_recovery_code(s, user, code) else None)
                )
                audit.record(
                    s, user, "second_factor" if method else "second_factor_failed", detail=method or ""
                )
                s.commit()
            if method:
                lockout.refund(lock_key(user.email))
                return _finish(user, method)
            error = _(
                "The code is wrong or too old. Type the six digits your authenticator app shows now, "
                "or one of your recovery codes."
            )
    elif request.method == "POST":
        error = _("Type the code.")
    if error:
        form.code.raw_data, form.code.data = [], ""  # a one-time code is never shown back
    return render_template(
        "staff/totp_code.html", form=form, error=error, title=_("Code from your authenticator app")
    ), (400 if error else 200)


@bp.route("/tofaktor/ny", methods=["GET", "POST"])
def totp_enrol():
    user = _pending()
    if user is None:
        return redirect(url_for("staff.login"), code=303)
    if user.totp_confirmed_at is not None:
        return redirect(url_for("staff.totp_code"), code=303)
    with db.session() as s:
        stored = s.get(StaffUser, user.id)
        if not stored.totp_secret:
            stored.totp_secret = pyotp.random_base32()
            s.commit()
        user = stored
    form = CodeForm()
    error = None
    if form.validate_on_submit():
        if not take_attempt(user.email):
            error = LOCKED_MESSAGE()
        else:
            with db.session() as s:
                ok = check_totp(s, user, form.code.data or "")
                codes: list[str] = []
                if ok:
                    s.execute(
                        update(StaffUser).where(StaffUser.id == user.id).values(totp_confirmed_at=utcnow())
                    )
                    codes = new_recovery_codes(s, user)
                audit.record(s, user, "totp_enrolled" if ok else "second_factor_failed")
                s.commit()
            if ok:
                lockout.refund(lock_key(user.email))
                return _finish(user, "totp", show_codes=codes)
            error = _("The code is wrong or too old. Type the six digits the app shows now.")
    elif request.method == "POST":
        error = _("Type the code.")
    if error:
        form.code.raw_data, form.code.data = [], ""  # a one-time code is never shown back
    uri = pyotp.TOTP(user.totp_secret).provisioning_uri(name=user.email, issuer_name=ISSUER)
    svg = segno.make(uri, error="m").svg_inline(
        scale=4, title=_("QR code for your authenticator app"), omitsize=False
    )
    secret = " ".join(user.totp_secret[i : i + 4] for i in range(0, len(user.totp_secret), 4))
    return render_template(
        "staff/totp_enrol.html",
        form=form,
        error=error,
        qr=Markup(svg),  # noqa: S704 (segno output of our own URI, no user text)
        secret=secret,
        title=_("Set up two-step login"),
    ), (400 if error else 200)


def reset(s, user: StaffUser) -> None:
    """Forget the user's authenticator and recovery codes (they enrol again at the next login)."""
    user.totp_secret, user.totp_confirmed_at, user.totp_last_step = None, None, None
    s.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))


def unused_recovery_codes(s, user_id: int) -> int:
    return len(
        list(
            s.scalars(
                select(RecoveryCode.id).where(RecoveryCode.user_id == user_id, RecoveryCode.used_at.is_(None))
            )
        )
    )


def allowed_password_only() -> bool:
    return bool(current_app.config["ALLOW_PASSWORD_ONLY"])
