"""Public pages: the front page, a municipality's page, and self-start of a form."""
from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for

from .. import access, forms_access, responses
from ..i18n import current_language

bp = Blueprint("public", __name__)


@bp.get("/")
def index():
    return render_template("index.html", forms=[d for d in forms_access.public_forms() if d.municipality is None],
                           municipalities=forms_access.municipalities())


@bp.get("/kommune/<municipality_id>")
def municipality(municipality_id: str):
    found = [m for m in forms_access.municipalities() if m.id == municipality_id]
    if not found:
        abort(404)
    return render_template("municipality.html", municipality=found[0],
                           forms=forms_access.public_forms(municipality_id))


@bp.post("/start/<form_id>")
def start(form_id: str):
    defn = forms_access.registry().latest_active(form_id)
    if defn is None or defn.kind not in ("assessment", "followup"):
        abort(404)
    where = request.form.get("where")  # started from a municipality's page: it gets the answers
    chosen = where if defn.municipality is None and where in {m.id for m in forms_access.municipalities()} else None
    created = responses.create_response(defn, origin="self", lang=current_language(), municipality=chosen)
    access.grant(created.response.id, rotate=True)
    return redirect(url_for("fill.consent", rid=created.response.id), code=303)
