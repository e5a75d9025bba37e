"""Staff alerts: listed at the top of the overview until a named member of staff acknowledges them."""

from __future__ import annotations

from flask import abort, redirect, url_for
from flask_wtf import FlaskForm

from .. import db, promises
from . import audit
from .auth import bp, current_user, requires


def open_alerts() -> list:
    """My municipality's alerts nobody has acknowledged yet, oldest first."""
    user = current_user()
    if user is None:
        return []
    with db.session() as s:
        return promises.open_alerts(s, user.municipality)


@bp.post("/varsel/<int:alert_id>/kvitter")
@requires("cases")
def acknowledge(alert_id: int):
    if not FlaskForm().validate_on_submit():
        abort(400)
    user = current_user()
    with db.session() as s:
        alert = promises.acknowledge(s, alert_id, user.municipality, user.email)
        if alert is None:
            abort(404)
        audit.record(s, user, "alert_ack", alert.response_id, detail=f"alert {alert.id} {alert.flag_id}")
        s.commit()
    return redirect(url_for("staff.overview"), code=303)
