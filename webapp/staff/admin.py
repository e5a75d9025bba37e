"""For the municipality: the access log (paged), statistics, and an export without names or free text."""
from __future__ import annotations

import datetime as dt
import json

from flask import Response as HttpResponse
from flask import current_app, render_template, request
from flask_babel import gettext as _
from sqlalchemy import func, select

from .. import db
from ..db import Response
from ..forms_access import municipality_name
from ..i18n import form_language
from . import audit, cases, reports, stats
from .auth import bp, current_user, requires
from .models import AccessLog

PAGE_SIZE = 50


@bp.get("/logg")
@requires("log")
def log():
    page = max(request.args.get("side", 1, type=int) or 1, 1)
    with db.session() as s:
        total = s.scalar(cases.scoped(select(func.count()).select_from(AccessLog), AccessLog))
        entries = list(s.scalars(cases.scoped(select(AccessLog), AccessLog)
                                 .order_by(AccessLog.id.desc()).offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)))
        audit.record(s, current_user(), "log_view", detail=f"page={page}")
        s.commit()
    pages = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    return render_template("staff/log.html", entries=entries, page=page, pages=pages, total=total,
                           title=_("Access log"))


def period() -> tuple[dt.date | None, dt.date | None, list[str]]:
    """The period chosen on the page (``fra``, ``til`` as YYYY-MM-DD), with problems in words."""
    found: list[dt.date | None] = []
    problems = []
    for name in ("fra", "til"):
        text = (request.args.get(name) or "").strip()
        try:
            found.append(dt.date.fromisoformat(text) if text else None)
        except ValueError:
            found.append(None)
            problems.append(_("“%(value)s” is not a date. Use the date picker or write yyyy-mm-dd.", value=text[:20]))
    start, end = found
    if start and end and end < start:
        problems.append(_("The end of the period is before its start."))
    return start, end, problems


def _submitted(s, start: dt.date | None = None, end: dt.date | None = None) -> list[stats.Entry]:
    """My municipality's submitted assessments and follow-ups in the period, oldest first."""
    stmt = select(Response).where(Response.status == "submitted", Response.assessment_id.is_(None))
    if start:
        stmt = stmt.where(Response.submitted_at >= dt.datetime.combine(start, dt.time.min))
    if end:
        stmt = stmt.where(Response.submitted_at < dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
    out = []
    for response in s.scalars(cases.scoped(stmt).order_by(Response.submitted_at)):
        defn = reports.definition_of(response)
        lang = form_language(defn)
        out.append(stats.Entry(response, defn, reports.score(defn, response.answers or {}, lang) or {}, lang))
    return out


def _export(action: str) -> tuple[list[str], list[list], bool]:
    start, end, _problems = period()
    with db.session() as s:
        head, rows, suppressed = stats.export_table(_submitted(s, start, end), str(current_app.config["SECRET_KEY"]))
        audit.record(s, current_user(), action, detail=f"rows={len(rows)} from={start or '-'} to={end or '-'}")
        s.commit()
    return head, rows, suppressed


def _download(body: bytes, mimetype: str, name: str) -> HttpResponse:
    return HttpResponse(body, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})


@bp.get("/export.json")
@requires("export")
def export_json():
    head, rows, suppressed = _export("export_json")
    body = {"municipality": municipality_name(current_user().municipality), "columns": head,
            "assessments": [dict(zip(head, row, strict=True)) for row in rows]}
    if suppressed:
        body["suppressed"] = f"{stats.FEWER} personer"
    return _download(json.dumps(body, ensure_ascii=False, indent=1).encode("utf-8"), "application/json",
                     "kartlegginger.json")


@bp.get("/export.csv")
@requires("export")
def export_csv():
    return _download(stats.to_csv(*_export("export_csv")), "text/csv", "kartlegginger.csv")


@bp.get("/export.xlsx")
@requires("export")
def export_xlsx():
    return _download(stats.to_xlsx(*_export("export_xlsx")),
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "kartlegginger.xlsx")


@bp.get("/statistikk")
@requires("stats")
def statistics():
    start, end, problems = period()
    with db.session() as s:
        figures = stats.statistics(_submitted(s, start, end)) if not problems else None
        audit.record(s, current_user(), "statistics", detail=f"from={start or '-'} to={end or '-'}")
        s.commit()
    return render_template("staff/statistics.html", stats=figures, start=start, end=end, problems=problems,
                           scoring=reports.scoring_available(), fewer=stats.FEWER, title=_("Statistics")), (
        400 if problems else 200)
