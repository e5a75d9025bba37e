"""Staff alerts: listed at the top of the overview until a named member of staff acknowledges them."""

from __future__ import annotations

from flask import abort, redirect, url_for
from flask_wtf import FlaskForm
from sqlalchemy import select

from .. import db, promises
from ..db import Response
from ..i18n import form_language
from . import audit, reports
from .auth import bp, current_user, requires


def open_alerts() -> list[dict]:
    """My municipality's alerts nobody has acknowledged yet, oldest first, with the flag's message."""
    user = current_user()
    if user is None:
        return []
    with db.session() as s:
        alerts = promises.open_alerts(s, user.municipality)
        responses = (
            {
                r.id: r
                for r in s.scalars(select(Response).where(Response.id.in_([a.response_id for a in alerts])))
            }
            if alerts
            else {}
        )
    out = []
    for alert in alerts:
        message = alert.flag_id
        response = responses.get(alert.response_id)
        if response is not None:
            defn = reports.definition_of(response)
            lang = form_language(defn)
            for flag in defn.scoring.flags:
                if flag.id == alert.flag_id:
                    message = flag.message.get(lang)
        out.append({"alert": alert, "message": message})
    return out


@bp.post("/varsel/<alert_id>/kvitter")
@requires("cases")
def acknowledge(alert_id: str):
    if not FlaskForm().validate_on_submit():
        abort(400)
    if not alert_id.isdigit():
        abort(404)
    user = current_user()
    with db.session() as s:
        alert = promises.acknowledge(s, int(alert_id), user.municipality, user.email)
        if alert is None:
            abort(404)
        audit.record(s, user, "alert_ack", alert.response_id, detail=f"alert {alert.id} {alert.flag_id}")
        s.commit()
    return redirect(url_for("staff.overview"), code=303)
