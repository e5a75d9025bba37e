"""Case queries for staff. Every query goes through ``scoped`` (the user's own municipality only)."""
from __future__ import annotations

import datetime as dt

from flask import abort, current_app
from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from ..db import Response
from .auth import current_user

STATUSES = ("open", "new", "meeting", "agreed", "review_due")


def scoped(stmt, model=Response):
    """Restrict ``stmt`` to rows of the logged-in user's municipality (the one place this is done)."""
    user = current_user()
    if user is None or not user.municipality:
        abort(403)
    return stmt.where(model.municipality == user.municipality)


def own_response(s: Session, rid: str, *, agreement: bool = False) -> Response:
    """Return a response of my municipality (an assessment, or with ``agreement`` an agreement), else 404."""
    kind = Response.assessment_id.is_not(None) if agreement else Response.assessment_id.is_(None)
    found = s.scalars(scoped(select(Response).where(Response.id == rid, kind))).first()
    if found is None:
        abort(404)
    return found


def agreement_of(s: Session, assessment: Response) -> Response | None:
    return s.scalars(scoped(select(Response).where(Response.assessment_id == assessment.id))
                     .order_by(Response.created_at.desc())).first()


def previous_of(s: Session, response: Response) -> Response | None:
    """The earlier submitted assessment of the same case (``previous_id``, else the same case_ref)."""
    if response.previous_id:
        found = s.scalars(scoped(select(Response).where(Response.id == response.previous_id))).first()
        if found is not None and found.status == "submitted":
            return found
    if not response.case_ref:
        return None
    before = response.submitted_at or response.created_at
    return s.scalars(scoped(select(Response).where(
        Response.case_ref == response.case_ref, Response.id != response.id, Response.status == "submitted",
        Response.assessment_id.is_(None), Response.submitted_at < before))
        .order_by(Response.submitted_at.desc())).first()


def followed_up(s: Session, ids: list[str]) -> set[str]:
    """Ids among ``ids`` for which a re-assessment has been started."""
    if not ids:
        return set()
    newer = aliased(Response)
    return set(s.scalars(scoped(select(newer.previous_id).where(newer.previous_id.in_(ids)), newer)))


def review_horizon() -> dt.date:
    return dt.date.today() + dt.timedelta(days=current_app.config["REVIEW_DUE_DAYS"])


def status_of(response: Response, reassessed: bool = False) -> str:
    if response.status != "submitted":
        return "open"
    if response.agreed_at is not None:
        if response.review_due and response.review_due <= review_horizon() and not reassessed:
            return "review_due"
        return "agreed"
    return "meeting" if response.meeting_at else "new"


def assessments(s: Session, *, q: str = "", limit: int = 300) -> list[tuple[Response, str]]:
    """My municipality's assessments, newest first, each with its status."""
    stmt = scoped(select(Response).where(Response.assessment_id.is_(None)))
    if q:
        stmt = stmt.where(func.lower(Response.case_ref).contains(q.strip().lower()))
    stmt = stmt.order_by(func.coalesce(Response.submitted_at, Response.created_at).desc()).limit(limit)
    rows = list(s.scalars(stmt))
    done = followed_up(s, [r.id for r in rows])
    return [(r, status_of(r, r.id in done)) for r in rows]


def counts(rows: list[tuple[Response, str]]) -> dict[str, int]:
    out = {name: 0 for name in STATUSES}
    for _r, status in rows:
        out[status] += 1
    return out
