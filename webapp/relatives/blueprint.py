"""The blueprint of a relative's own response (``/svar/<rid>/...``), shared by filling and review."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, url_for

from .. import access
from ..forms_access import definition

bp = Blueprint("fill", __name__, url_prefix="/svar/<rid>")


def load(rid: str, *, open_only: bool = True):
    """Return (response, definition); a submitted response sends the relative to the receipt."""
    response = access.require(rid)
    defn = definition(response.form_id, response.form_version)
    if open_only and access.read_only(rid):  # a relative's code for an agreement or a paper form
        abort(redirect(url_for("fill.copy", rid=rid), code=303))
    if open_only and response.status != "open":
        abort(redirect(url_for("fill.receipt", rid=rid), code=303))
    return response, defn
