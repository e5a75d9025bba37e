"""Case queries for staff. Every query goes through ``scoped`` (the user's own municipality only)."""

from __future__ import annotations

import datetime as dt

from flask import abort, current_app
from sqlalchemy import and_, exists, func, select
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
    return s.scalars(
        scoped(select(Response).where(Response.assessment_id == assessment.id)).order_by(
            Response.created_at.desc()
        )
    ).first()


def previous_of(s: Session, response: Response) -> Response | None:
    """The earlier submitted assessment of the same case (``previous_id``, else the same case_ref)."""
    if response.previous_id:
        found = s.scalars(scoped(select(Response).where(Response.id == response.previous_id))).first()
        if found is not None and found.status == "submitted":
            return found
    if not response.case_ref:
        return None
    before = response.submitted_at or response.created_at
    return s.scalars(
        scoped(
            select(Response).where(
                Response.case_ref == response.case_ref,
                Response.id != response.id,
                Response.status == "submitted",
                Response.assessment_id.is_(None),
                Response.submitted_at < before,
            )
        ).order_by(Response.submitted_at.desc())
    ).first()


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


def _reassessed():
    """True for a response for which a re-assessment has been started (SQL, for filters)."""
    newer = aliased(Response)
    return exists().where(newer.previous_id == Response.id)


def status_filter(status: str):
    """The SQL condition of one status of :func:`status_of` (so filters run before the limit)."""
    submitted = Response.status == "submitted"
    due = and_(Response.review_due.is_not(None), Response.review_due <= review_horizon(), ~_reassessed())
    return {
        "open": Response.status != "submitted",
        "new": and_(submitted, Response.agreed_at.is_(None), Response.meeting_at.is_(None)),
        "meeting": and_(submitted, Response.agreed_at.is_(None), Response.meeting_at.is_not(None)),
        "agreed": and_(submitted, Response.agreed_at.is_not(None), ~due),
        "review_due": and_(submitted, Response.agreed_at.is_not(None), due),
    }[status]


def empty_self_start():
    """A self-started form nobody has saved an answer in yet (revision 0): not a case yet."""
    return and_(Response.origin == "self", Response.status == "open", Response.revision == 0)


def _listed(q: str, include_empty: bool):
    stmt = scoped(select(Response).where(Response.assessment_id.is_(None)))
    if q:
        stmt = stmt.where(func.lower(Response.case_ref).contains(q.strip().lower()))
    if not include_empty:
        stmt = stmt.where(~empty_self_start())
    return stmt


def assessments(
    s: Session, *, q: str = "", status: str | None = None, include_empty: bool = False, limit: int = 300
) -> list[tuple[Response, str]]:
    """My municipality's assessments, newest first, each with its status. Search, status and the
    hiding of empty self-starts are conditions of the query, applied before ``limit``."""
    stmt = _listed(q, include_empty)
    if status in STATUSES:
        stmt = stmt.where(status_filter(status))
    stmt = stmt.order_by(func.coalesce(Response.submitted_at, Response.created_at).desc()).limit(limit)
    rows = list(s.scalars(stmt))
    done = followed_up(s, [r.id for r in rows])
    return [(r, status_of(r, r.id in done)) for r in rows]


def status_counts(s: Session, *, q: str = "", include_empty: bool = False) -> dict[str, int]:
    """How many of my municipality's assessments have each status (all of them, not only those listed)."""
    base = _listed(q, include_empty).with_only_columns(func.count()).order_by(None)
    return {name: int(s.scalar(base.where(status_filter(name))) or 0) for name in STATUSES}


def counts(rows: list[tuple[Response, str]]) -> dict[str, int]:
    out = {name: 0 for name in STATUSES}
    for _r, status in rows:
        out[status] += 1
    return out
