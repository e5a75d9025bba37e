"""For the municipality: the access log (paged), statistics, and an export without names or free text."""
from __future__ import annotations

import csv
import io
import json

from flask import Response as HttpResponse, render_template, request
from flask_babel import gettext as _
from sqlalchemy import func, select

from .. import db
from ..db import Response
from ..i18n import form_language
from . import audit, cases, reports
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


def _submitted(s) -> list[tuple]:
    """(response, defn, report, lang) of my municipality's submitted assessments."""
    rows = s.scalars(cases.scoped(select(Response).where(Response.status == "submitted",
                                                         Response.assessment_id.is_(None)))
                     .order_by(Response.submitted_at))
    out = []
    for response in rows:
        defn = reports.definition_of(response)
        lang = form_language(defn)
        out.append((response, defn, reports.score(defn, response.answers or {}, lang), lang))
    return out


def _export_rows(action: str) -> list[dict]:
    with db.session() as s:
        rows = [reports.export_row(r, rep, d, lang) for r, d, rep, lang in _submitted(s)]
        audit.record(s, current_user(), action, detail=f"rows={len(rows)}")
        s.commit()
    return rows


@bp.get("/export.json")
@requires("export")
def export_json():
    body = json.dumps({"municipality": current_user().municipality, "assessments": _export_rows("export_json")},
                      ensure_ascii=False, indent=1)
    return HttpResponse(body, mimetype="application/json",
                        headers={"Content-Disposition": 'attachment; filename="kartlegginger.json"'})


@bp.get("/export.csv")
@requires("export")
def export_csv():
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "form", "version", "origin", "submitted", "scale", "value", "band", "flags",
                     "priorities", "offers"])
    for row in _export_rows("export_csv"):
        common = [row["id"], row["form"], row["version"], row["origin"], row["submitted"]]
        tail = [" ".join(row["flags"]), " ".join(row["priorities"]), " ".join(row["offers"])]
        for scale_id, scale in sorted(row["scales"].items()) or [("", {"value": "", "band": ""})]:
            writer.writerow(common + [scale_id, scale["value"], scale["band"]] + tail)
    return HttpResponse(out.getvalue(), mimetype="text/csv",
                        headers={"Content-Disposition": 'attachment; filename="kartlegginger.csv"'})


@bp.get("/statistikk")
@requires("stats")
def statistics():
    with db.session() as s:
        stats = reports.statistics(_submitted(s))
        audit.record(s, current_user(), "statistics")
        s.commit()
    return render_template("staff/statistics.html", stats=stats,
                           title=_("Statistics"))
