"""PDFs: the meeting summary and the copy for the record, the agreement, blank paper forms;
and the relative's own copies (record copy and agreement) from their receipt page."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask import Response as HttpResponse
from flask_babel import gettext as _

from formengine import summary

from .. import access, db
from ..forms_access import definition, municipality_name, registry
from ..i18n import form_language
from . import audit, cases, reports
from .auth import bp, current_user, requires

relative_bp = Blueprint("relative_docs", __name__, url_prefix="/svar/<rid>")
COPIES = {"meeting": "print_meeting", "record": "print_record"}


def pdf_response(data: bytes, filename: str) -> HttpResponse:
    """Serve PDF bytes inline, never cached."""
    return HttpResponse(
        data,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{filename}"', "Cache-Control": "no-store"},
    )


def summary_pdf(response, agreement, previous, copy: str) -> bytes:
    """Render the summary of ``response`` (``copy`` is "meeting" or "record")."""
    defn = definition(response.form_id, response.form_version)
    lang = form_language(defn)
    meta = {
        "municipality": defn.municipality.name
        if defn.municipality
        else municipality_name(response.municipality),
        "case_ref": response.case_ref,
        "submitted_at": response.submitted_at,
        "conversation_only": list(response.conversation_only or []),
    }
    if agreement is not None and agreement.status == "submitted":
        meta["agreement"] = agreement.answers or {}
    prev = None
    if previous is not None:
        prev = (definition(previous.form_id, previous.form_version), previous.answers or {})
    return summary.render_summary_pdf(
        defn, response.answers or {}, lang=lang, copy=copy, meta=meta, previous=prev
    )


def flag_handling(assessment, agreement, lang: str) -> list[dict]:
    """The assessment's flags, each with the action, note or reason that handles it in the agreement."""
    from .plan import actions_from_answers

    a_defn = definition(assessment.form_id, assessment.form_version)
    marks = agreement.staff_marks or {}
    return summary.flag_handling(
        a_defn,
        assessment.answers or {},
        reports.score(a_defn, assessment.answers or {}, form_language(a_defn)),
        lang=lang,
        conversation_only=assessment.conversation_only,
        marks=dict(marks.get("flags") or {}),
        reason=str(marks.get("flag_reason") or ""),
        actions=[a.what for a in actions_from_answers(agreement.answers or {})],
    )


def agreement_pdf(assessment, agreement) -> bytes:
    defn = definition(agreement.form_id, agreement.form_version)
    meta = {
        "case_ref": assessment.case_ref,
        "submitted_at": agreement.submitted_at,
        "flag_handling": flag_handling(assessment, agreement, form_language(defn)),
        "municipality": defn.municipality.name
        if defn.municipality
        else municipality_name(assessment.municipality),
    }
    return summary.render_agreement_pdf(defn, agreement.answers or {}, lang=form_language(defn), meta=meta)


@bp.get("/a/<rid>/sammendrag.pdf")
@requires("cases")
def print_summary(rid: str):
    copy = request.args.get("copy", "meeting")
    if copy not in COPIES:
        abort(404)
    with db.session() as s:
        response = cases.own_response(s, rid)
        if response.status != "submitted":
            abort(404)
        data = summary_pdf(response, cases.agreement_of(s, response), cases.previous_of(s, response), copy)
        audit.record(s, current_user(), COPIES[copy], response.id)
        s.commit()
    return pdf_response(data, f"{'sammendrag' if copy == 'meeting' else 'journalkopi'}.pdf")


@bp.get("/a/<rid>/avtale.pdf")
@requires("cases")
def print_agreement(rid: str):
    with db.session() as s:
        response = cases.own_response(s, rid)
        agreement = cases.agreement_of(s, response)
        if agreement is None:
            abort(404)
        data = agreement_pdf(response, agreement)
        audit.record(s, current_user(), "print_agreement", response.id)
        s.commit()
    return pdf_response(data, "samarbeidsavtale.pdf")


@bp.get("/skjema")
@requires("forms")
def forms():
    active = sorted(registry().active_forms(), key=lambda d: (d.kind, d.id, d.version))
    user = current_user()
    shown = [d for d in active if d.municipality is None or d.municipality.id == user.municipality]
    return render_template("staff/forms.html", forms=shown, title=_("Forms on paper"))


@bp.get("/skjema/<form_id>/<version>/blank.pdf")
@requires("forms")
def blank(form_id: str, version: str):
    defn = definition(form_id, version)
    user = current_user()
    if defn.status != "active" or (defn.municipality and defn.municipality.id != user.municipality):
        abort(404)
    data = summary.render_blank_pdf(defn, lang=form_language(defn))
    with db.session() as s:
        audit.record(s, user, "print_blank", detail=f"{form_id}@{version}")
        s.commit()
    return pdf_response(data, f"{form_id}-{version}.pdf")


def _relative_response(rid: str):
    response = access.require(rid)
    if response.status != "submitted" or response.assessment_id is not None:
        abort(404)
    return response


@relative_bp.get("/kopi.pdf")
def own_copy(rid: str):
    """The relative's own copy: their answers (marked ones marked), what happens next, no staff text."""
    response = _relative_response(rid)
    from .. import promises

    defn = definition(response.form_id, response.form_version)
    where = promises.place(response.municipality) if promises.receives(response) else None
    meta = {
        "municipality": where.name if where else "",
        "submitted_at": response.submitted_at,
        "conversation_only": list(response.conversation_only or []),
        "next_steps": promises.next_steps_text(response),
    }
    data = summary.render_summary_pdf(
        defn, response.answers or {}, lang=form_language(defn), copy="relative", meta=meta
    )
    return pdf_response(data, "mine-svar.pdf")


@relative_bp.get("/avtale.pdf")
def own_agreement(rid: str):
    response = _relative_response(rid)
    with db.session() as s:
        agreement = s.scalars(_agreement_stmt(response)).first()
    if agreement is None:
        abort(404)
    return pdf_response(agreement_pdf(response, agreement), "samarbeidsavtale.pdf")


def _agreement_stmt(response):
    from sqlalchemy import select

    from ..db import Response

    return select(Response).where(
        Response.assessment_id == response.id,
        Response.status == "submitted",
        Response.municipality == response.municipality,
    )
