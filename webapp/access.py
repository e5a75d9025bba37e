"""Who may open which response: the session remembers responses opened by link, code or start."""
from __future__ import annotations

import secrets

from flask import abort, g, redirect, session, url_for

from . import responses
from .db import Response

MAX_REMEMBERED = 5
STAFF_ORIGINS = ("staff", "paper")


def grant(response_id: str, *, rotate: bool = False) -> None:
    """Let this browser session open ``response_id``; ``rotate`` starts a fresh session first."""
    if rotate:
        lang = session.get("lang")
        session.clear()
        if lang:
            session["lang"] = lang
    session["sid"] = secrets.token_urlsafe(16)
    rids = [r for r in session.get("rids", []) if r != response_id]
    session["rids"] = ([response_id] + rids)[:MAX_REMEMBERED]
    session["rid"] = response_id


def require(response_id: str) -> Response:
    """Return the response if this session may open it, else 403 (404 if it does not exist)."""
    if response_id not in session.get("rids", []):
        abort(403)
    response = responses.get(response_id)
    if response is None:
        abort(404)
    if response.origin in STAFF_ORIGINS:
        _require_staff(response)
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
