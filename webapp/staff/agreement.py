"""The meeting agreement (kind ``agreement``), filled by staff through the same section pages as the
relatives' forms, and what happens when staff finish filling in an agreement or a paper form."""

from __future__ import annotations

import datetime as dt

from flask import abort, g, redirect, request, session, url_for
from flask_wtf import FlaskForm
from sqlalchemy import select, update

from .. import access, db, responses
from ..db import Response, utcnow
from ..forms_access import registry
from . import audit, cases, plan_views
from .auth import bp, current_user, load_user, requires

REVIEW_ITEM = "next_review_date"
STAFF_ORIGINS = ("staff", "paper")


def agreement_form(municipality: str):
    """The active agreement form: my municipality's own variant if it has one, else the national one."""
    found = [d for d in registry().active_forms() if d.kind == "agreement"]
    own = [d for d in found if d.municipality and d.municipality.id == municipality]
    national = [d for d in found if d.municipality is None]
    return (own or national or [None])[0]


@bp.post("/a/<rid>/avtale")
@requires("cases")
def agreement(rid: str):
    """Open (or create) the agreement for this assessment and go to its pages."""
    if not FlaskForm().validate_on_submit():
        abort(400)
    user = current_user()
    with db.session() as s:
        assessment = cases.own_response(s, rid)
        existing = cases.agreement_of(s, assessment)
    if assessment.status != "submitted":
        abort(404)
    if existing is None:
        defn = agreement_form(user.municipality)
        if defn is None:
            abort(404)
        created = responses.create_response(
            defn,
            origin="staff",
            lang=assessment.lang,
            municipality=user.municipality,
            case_ref=assessment.case_ref,
        )
        aid = created.response.id
        with db.session() as s:
            s.execute(
                update(Response)
                .where(Response.id == aid)
                .values(assessment_id=assessment.id, consent_at=utcnow())
            )
            audit.record(s, user, "agreement_start", assessment.id, detail=f"agreement={aid}")
            s.commit()
    else:
        aid = existing.id
        if existing.status == "submitted":  # change a recorded agreement: open it again
            with db.session() as s:
                s.execute(
                    update(Response)
                    .where(Response.id == aid)
                    .values(status="open", submitted_at=None, revision=Response.revision + 1)
                )
                audit.record(s, user, "agreement_start", assessment.id, detail=f"reopen={aid}")
                s.commit()
    return redirect(url_for("staff.plan_page", rid=assessment.id), code=303)


@bp.post("/a/<rid>/avtale/flere-deler")
@requires("cases")
def agreement_sections(rid: str):
    """The agreement's other parts (the meeting, crisis plan, expectations, ...) on its section pages."""
    if not FlaskForm().validate_on_submit():
        abort(400)
    with db.session() as s:
        assessment = cases.own_response(s, rid)
        existing = cases.agreement_of(s, assessment)
        if existing is None:
            abort(404)
        if existing.status == "submitted":  # changing a recorded agreement opens it again
            existing.status, existing.submitted_at = "open", None
            existing.revision = (existing.revision or 0) + 1
            audit.record(s, current_user(), "agreement_start", assessment.id, detail=f"reopen={existing.id}")
            s.commit()
    access.grant(existing.id)
    return redirect(url_for("fill.first", rid=existing.id), code=303)


def _review_date(answers: dict) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(answers.get(REVIEW_ITEM)))
    except ValueError:
        return None


@bp.get("/utfylt/<rid>")
@requires("cases")
def filled(rid: str):
    """Staff sent an agreement or a paper form: record it and go back to the case."""
    user = current_user()
    with db.session() as s:
        found = s.scalars(
            cases.scoped(select(Response).where(Response.id == rid, Response.origin.in_(STAFF_ORIGINS)))
        ).first()
        if found is None or found.status != "submitted":
            abort(404)
        if found.assessment_id is None:  # a paper answer: it is the assessment itself
            audit.record(s, user, "fill", found.id, detail="paper submitted")
            s.commit()
            return redirect(url_for("staff.detail", rid=found.id), code=303)
        assessment = cases.own_response(s, found.assessment_id)
        if plan_views.refuse_agreed(s, user, assessment, found):  # the same checks as the agreement page
            s.commit()
            return redirect(url_for("staff.plan_page", rid=assessment.id, refused=1), code=303)
        assessment.agreed_at = found.submitted_at or utcnow()
        assessment.review_due = _review_date(found.answers or {})
        audit.record(
            s,
            user,
            "agreement_done",
            assessment.id,
            detail=f"review={assessment.review_due.isoformat() if assessment.review_due else '-'}",
        )
        s.commit()
        return redirect(url_for("staff.detail", rid=assessment.id), code=303)


def fill_hook():
    """Before a relatives' page (``fill.*``) that a logged-in member of staff opens: log it, and send
    staff who finished an agreement or a paper form back to the case instead of the relative's receipt."""
    if not session.get("staff_uid") or not (request.endpoint or "").startswith("fill."):
        return None
    rid = (request.view_args or {}).get("rid")
    user = load_user()
    if user is None or rid is None:
        return None
    response = responses.get(rid)
    if response is None or response.municipality != user.municipality or response.origin not in STAFF_ORIGINS:
        return None
    if request.endpoint == "fill.receipt":
        return redirect(url_for("staff.filled", rid=rid), code=303)
    # the page shows the staff navigation and a way back to the case, not the relative's code
    g.staff_user = user
    g.staff_filling = response.assessment_id or rid
    if request.method == "POST":
        with db.session() as s:
            audit.record(s, user, "fill", response.assessment_id or rid, detail=request.endpoint)
            s.commit()
    return None
