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


def _log_query(case: str, who: str, action: str, start: dt.date | None, end: dt.date | None):
    """The access-log entries this user may see, narrowed by the page's filters."""
    stmt = cases.scoped(select(AccessLog), AccessLog)
    if who:
        stmt = stmt.where(AccessLog.email == who)
    if action:
        stmt = stmt.where(AccessLog.action == action)
    if start:
        stmt = stmt.where(AccessLog.at >= dt.datetime.combine(start, dt.time.min))
    if end:
        stmt = stmt.where(AccessLog.at < dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
    if case:
        ids = cases.scoped(select(Response.id).where(func.lower(Response.case_ref).contains(case.lower())))
        stmt = stmt.where(AccessLog.response_id.in_(ids))
    return stmt


@bp.get("/logg")
@requires("log")
def log():
    """The access log, newest first, filtered by case, user, action and date; case numbers, not ids."""
    page = max(request.args.get("side", 1, type=int) or 1, 1)
    start, end, problems = period()
    case = (request.args.get("sak") or "").strip()[:100]
    who = (request.args.get("bruker") or "").strip()[:254]
    action = (request.args.get("handling") or "").strip()[:40]
    labels = audit.action_labels()
    with db.session() as s:
        stmt = _log_query(case, who, action, start, end)
        total = s.scalar(select(func.count()).select_from(stmt.subquery()))
        entries = list(
            s.scalars(stmt.order_by(AccessLog.id.desc()).offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE))
        )
        wanted = {e.response_id for e in entries if e.response_id}
        refs = (
            dict(
                s.execute(
                    cases.scoped(select(Response.id, Response.case_ref).where(Response.id.in_(wanted)))
                ).all()
            )
            if wanted
            else {}
        )
        users = sorted(set(s.scalars(cases.scoped(select(AccessLog.email).distinct(), AccessLog))) - {""})
        audit.record(
            s,
            current_user(),
            "log_view",
            detail=f"page={page} filtered={bool(case or who or action or start or end)}",
        )
        s.commit()
    rows = [{"e": e, "label": labels.get(e.action, e.action), "case": _case_of(e, refs)} for e in entries]
    pages = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    query = {
        k: v
        for k, v in {
            "sak": case,
            "bruker": who,
            "handling": action,
            "fra": start and start.isoformat(),
            "til": end and end.isoformat(),
        }.items()
        if v
    }
    return render_template(
        "staff/log.html",
        rows=rows,
        page=page,
        pages=pages,
        total=total,
        query=query,
        users=users,
        actions=sorted(labels.items(), key=lambda kv: kv[1]),
        problems=problems,
        title=_("Access log"),
    ), 400 if problems else 200


def _case_of(entry, refs: dict) -> str:
    """The case number of the entry's response; words when it has none, is gone or is not ours."""
    if not entry.response_id:
        return ""
    if entry.response_id not in refs:
        return _("not in this municipality, or deleted")
    return refs[entry.response_id] or _("no case number")


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
            problems.append(
                _("“%(value)s” is not a date. Use the date picker or write yyyy-mm-dd.", value=text[:20])
            )
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
        stmt = stmt.where(
            Response.submitted_at < dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min)
        )
    out = []
    for response in s.scalars(cases.scoped(stmt).order_by(Response.submitted_at)):
        defn = reports.definition_of(response)
        lang = form_language(defn)
        out.append(
            stats.Entry(response, defn, reports.score(defn, response.answers or {}, lang).as_json(), lang)
        )
    return out


def _export(action: str) -> tuple[list[str], list[list], bool]:
    start, end, _problems = period()
    with db.session() as s:
        head, rows, suppressed = stats.export_table(
            _submitted(s, start, end), str(current_app.config["SECRET_KEY"])
        )
        audit.record(
            s, current_user(), action, detail=f"rows={len(rows)} from={start or '-'} to={end or '-'}"
        )
        s.commit()
    return head, rows, suppressed


def _download(body: bytes, mimetype: str, name: str) -> HttpResponse:
    return HttpResponse(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
    )


@bp.get("/export.json")
@requires("export")
def export_json():
    head, rows, suppressed = _export("export_json")
    body = {
        "municipality": municipality_name(current_user().municipality),
        "columns": head,
        "assessments": [dict(zip(head, row, strict=True)) for row in rows],
    }
    if suppressed:
        body["suppressed"] = f"{stats.FEWER} personer"
    return _download(
        json.dumps(body, ensure_ascii=False, indent=1).encode("utf-8"),
        "application/json",
        "kartlegginger.json",
    )


@bp.get("/export.csv")
@requires("export")
def export_csv():
    return _download(stats.to_csv(*_export("export_csv")), "text/csv", "kartlegginger.csv")


@bp.get("/export.xlsx")
@requires("export")
def export_xlsx():
    return _download(
        stats.to_xlsx(*_export("export_xlsx")),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "kartlegginger.xlsx",
    )


@bp.get("/statistikk")
@requires("stats")
def statistics():
    start, end, problems = period()
    with db.session() as s:
        figures = stats.statistics(_submitted(s, start, end)) if not problems else None
        audit.record(s, current_user(), "statistics", detail=f"from={start or '-'} to={end or '-'}")
        s.commit()
    return render_template(
        "staff/statistics.html",
        stats=figures,
        start=start,
        end=end,
        problems=problems,
        fewer=stats.FEWER,
        title=_("Statistics"),
    ), (400 if problems else 200)
