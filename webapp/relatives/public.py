"""Public pages: the front page, a municipality's page, and self-start of a form."""

from __future__ import annotations

import logging
import time

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _

from .. import access, forms_access, lockout, responses
from ..errors import render_error
from ..i18n import current_language
from ..security import client_ip

bp = Blueprint("public", __name__)
log = logging.getLogger("webapp.security")


@bp.get("/")
def index():
    return render_template(
        "index.html",
        forms=[d for d in forms_access.public_forms() if d.municipality is None],
        municipalities=forms_access.municipalities(),
    )


@bp.get("/kommune/<municipality_id>")
def municipality(municipality_id: str):
    found = [m for m in forms_access.municipalities() if m.id == municipality_id]
    if not found:
        abort(404)
    return render_template(
        "municipality.html", municipality=found[0], forms=forms_access.public_forms(municipality_id)
    )


@bp.post("/start/<form_id>")
def start(form_id: str):
    defn = forms_access.registry().latest_active(form_id)
    if defn is None or defn.kind not in ("assessment", "followup"):
        abort(404)
    refused = _rate_limited()
    if refused is not None:
        return refused
    purge_empty_starts_now_and_then()
    where = request.form.get("where")  # started from a municipality's page: it gets the answers
    chosen = (
        where
        if defn.municipality is None and where in {m.id for m in forms_access.municipalities()}
        else None
    )
    created = responses.create_response(defn, origin="self", lang=current_language(), municipality=chosen)
    access.grant(created.response.id, rotate=True)
    return redirect(url_for("fill.consent", rid=created.response.id), code=303)


def _rate_limited():
    """429 when this address, or everyone together, started too many forms in the window."""
    config = current_app.config
    window = config["SELF_START_WINDOW_MINUTES"]
    ip = client_ip()
    if lockout.reserve(f"start:{ip}", config["SELF_START_PER_ADDRESS"], window) is None:
        return render_error(
            429,
            _("Too many new forms"),
            _(
                "Many forms have been started from this device in a short time. Wait a few minutes "
                "and try again. If you already started one, continue it with your code."
            ),
        )
    cap = config["SELF_START_GLOBAL"]
    if cap > 0 and lockout.reserve("start:*", cap, window) is None:
        log.warning(
            "self-start: %d forms started within %d minutes from all addresses; new self-starts "
            "are paused until the window has passed",
            cap,
            window,
        )
        return render_error(
            429,
            _("Too many new forms"),
            _(
                "Very many forms have been started in a short time, so starting a new one is paused "
                "for a few minutes. Try again soon, or use the link from the municipality."
            ),
        )
    return None


_last_purge = [0.0]


def purge_empty_starts_now_and_then() -> None:
    """At most hourly per process: delete self-starts nobody answered within EMPTY_START_HOURS."""
    now = time.monotonic()
    if now - _last_purge[0] < 3600:
        return
    _last_purge[0] = now
    responses.purge_empty_starts(current_app.config["EMPTY_START_HOURS"])
