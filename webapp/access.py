"""Who may open which response: the session remembers responses opened by link, code or start."""

from __future__ import annotations

import secrets

from flask import abort, g, redirect, session, url_for

from . import responses
from .db import Response

MAX_REMEMBERED = 5
STAFF_ORIGINS = ("staff", "paper")


def grant(response_id: str, *, rotate: bool = False, read_only: bool = False) -> None:
    """Let this browser session open ``response_id``; ``rotate`` starts a fresh session first.

    ``read_only`` (a relative's code for an agreement or a paper form): only its copy opens.
    """
    if rotate:
        lang = session.get("lang")
        session.clear()
        if lang:
            session["lang"] = lang
    session["sid"] = secrets.token_urlsafe(16)
    rids = [r for r in session.get("rids", []) if r != response_id]
    session["rids"] = ([response_id] + rids)[:MAX_REMEMBERED]
    session["rid"] = response_id
    read = [r for r in session.get("ro", []) if r != response_id]
    session["ro"] = ([response_id] + read)[:MAX_REMEMBERED] if read_only else read


def read_only(response_id: str) -> bool:
    return response_id in session.get("ro", [])


def require(response_id: str) -> Response:
    """Return the response if this session may open it, else 403 (404 if it does not exist)."""
    if response_id not in session.get("rids", []):
        abort(403)
    response = responses.get(response_id)
    if response is None:
        abort(404)
    if response.origin in STAFF_ORIGINS and not read_only(response_id):
        # opened by staff (not a relative's code, which opens the read-only copy only)
        _require_staff(response)
    from . import promises

    if promises.code_expired(response) and not session.get("staff_uid"):
        abort(expired_page())
    session["rid"] = response_id
    return response


def _require_staff(response: Response) -> None:
    """Agreements and paper forms are staff work: only a live staff session of the response's
    municipality opens them (an idle timeout, logout or deactivation ends access at once)."""
    from .staff.auth import load_user, may

    user = load_user()
    if user is None or user.municipality != response.municipality or not may("cases", user):
        session["rids"] = [r for r in session.get("rids", []) if r != response.id]
        expired = 1 if g.get("staff_expired") else None
        abort(redirect(url_for("staff.login", expired=expired), code=303))


def expired_page():
    """410 with a friendly text: the code or link is too old to open anything."""
    from flask import make_response
    from flask_babel import gettext as _

    from .errors import render_error

    return make_response(
        render_error(
            410,
            _("This code no longer opens anything"),
            _(
                "Codes and links stop working some time after the answers were sent, to protect what you wrote. "
                "Your answers are not lost: the municipality still has them. If you need a copy or want to talk, "
                "contact the municipality."
            ),
        )
    )
