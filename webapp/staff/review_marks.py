"""Reviews that check: a re-assessment or a follow-up shows the last agreement's actions, and
staff mark each one done / partly / not done / no longer relevant (stored on the new response)."""

from __future__ import annotations

import datetime as dt

from flask import abort, redirect, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from .. import db
from . import audit, cases, plan
from .auth import bp, current_user, requires

STATUSES = ("done", "partly", "not_done", "not_relevant")


def statuses() -> list[tuple[str, str]]:
    return [
        ("done", _("Done")),
        ("partly", _("Partly")),
        ("not_done", _("Not done")),
        ("not_relevant", _("No longer relevant")),
    ]


def context(response, last_agreement) -> dict | None:
    """The last agreement's actions with this review's marks (None when there is nothing to check)."""
    if last_agreement is None or last_agreement.status != "submitted" or response.status != "submitted":
        return None
    actions = plan.actions_from_answers(last_agreement.answers or {})
    if not actions:
        return None
    marks = dict((response.staff_marks or {}).get("actions") or {})
    rows = [
        {
            "n": n,
            "what": a.what,
            "who": a.who,
            "by": a.by,
            "by_date": _date(a.by),
            "mark": marks.get(str(n), ""),
        }
        for n, a in enumerate(actions, start=1)
    ]
    return {
        "agreement": last_agreement,
        "rows": rows,
        "marked": sum(1 for r in rows if r["mark"]),
        "total": len(rows),
    }


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


@bp.post("/a/<rid>/tiltak")
@requires("cases")
def mark_actions(rid: str):
    """Save how each action of the last agreement went."""
    if not FlaskForm().validate_on_submit():
        abort(400)
    with db.session() as s:
        response = cases.own_response(s, rid)
        previous = cases.previous_of(s, response)
        last = cases.agreement_of(s, previous) if previous is not None else None
        found = context(response, last)
        if found is None:
            abort(404)
        marks = {}
        for row in found["rows"]:
            value = request.form.get(f"m-{row['n']}", "")
            if value in STATUSES:
                marks[str(row["n"])] = value
        response.staff_marks = {**(response.staff_marks or {}), "actions": marks, "actions_of": last.id}
        audit.record(
            s, current_user(), "review_marks", response.id, detail=f"marked={len(marks)}/{len(found['rows'])}"
        )
        s.commit()
    return redirect(url_for("staff.detail", rid=rid, _anchor="h-last-actions"), code=303)
