"""The agreement page: task rows beside the relative's answers, flags and what handles them,
actions with owner and due date, the next review, and «Avtalt» only when the checks hold.

Every press of a button stores what is on the page as a draft (typed text is never lost); only
«Avtalt» records the agreement, and only when ``plan.check_agree`` finds nothing in the way.
"""

from __future__ import annotations

import datetime as dt

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

import formengine

from .. import db
from ..db import Response, utcnow
from ..forms_access import definition
from ..i18n import form_language
from . import audit, cases, plan, reports
from .auth import bp, current_user, requires

ROLES_SUGGESTED = (
    "Koordinator",
    "Den pårørende",
    "Hjemmetjenesten",
    "Fastlegen",
    "Tildelingskontoret",
    "Pårørendekoordinator",
)


def messages() -> dict[str, str]:
    """The page's words for each problem code (an action's number or a flag's text filled in)."""
    return {
        "action_what_missing": _("Action %(n)s: write what will be done."),
        "action_owner_missing": _("Action %(n)s has no owner. Write a role or a person's name under “Who”."),
        "action_date_missing": _("Action %(n)s has no due date. Choose today or a later date."),
        "action_date_invalid": _("Action %(n)s: the due date is not a date. Write it as dd.mm.yyyy."),
        "action_date_past": _("Action %(n)s: the due date has passed. Choose today or a later date."),
        "flag_unhandled": _(
            "“%(flag)s” is marked important and is not handled. Choose the action that handles it, "
            "write a short note, or write below why you agree anyway."
        ),
        "review_missing": _("Choose the date of the next review."),
        "review_past": _("The next review cannot be before today."),
        "review_invalid": _("The date of the next review is not a date."),
    }


def worded(problems: list[plan.Problem]) -> list[dict]:
    words = messages()
    return [{"field": p.field, "text": words[p.code] % {"n": p.number, "flag": p.label}} for p in problems]


def _load(s, rid: str):
    assessment = cases.own_response(s, rid)
    agreement = cases.agreement_of(s, assessment)
    if assessment.status != "submitted" or agreement is None:
        abort(404)
    return assessment, agreement


def _context(assessment, agreement, answers: dict, marks: dict) -> dict:
    a_defn = definition(assessment.form_id, assessment.form_version)
    g_defn = definition(agreement.form_id, agreement.form_version)
    lang = form_language(a_defn)
    report = reports.score(a_defn, assessment.answers or {}, lang).as_json()
    order = {"high": 0, "medium": 1, "info": 2}
    flags = sorted(report.get("flags") or [], key=lambda f: order.get(f.get("severity"), 3))
    # the relative's answers as they were asked: no cell after "not applicable" or whose column's
    # condition does not hold, no card unticked since
    asked = formengine.effective_answers(a_defn, assessment.answers or {})
    groups = plan.task_groups(g_defn, answers, a_defn, asked, lang)
    return {"a_defn": a_defn, "g_defn": g_defn, "lang": lang, "flags": flags, "groups": groups}


def _from_form(ctx: dict, form) -> tuple[list[plan.Action], dict, str, str]:
    """Read the page: task choices (into ``ctx['groups']``), actions, flag marks, reason, review date."""
    allowed = {value for group in ctx["groups"] for value, _label in group.options}
    for group in ctx["groups"]:
        for row in group.rows:
            value = form.get(row.key, "")
            row.value = value if value in allowed else None
    count = min(form.get("action_rows", type=int) or plan.MIN_ACTION_ROWS, plan.MAX_ACTION_ROWS)
    actions = [
        plan.Action(
            form.get(f"a-{n}-what", "")[:300],
            form.get(f"a-{n}-who", "")[:150],
            form.get(f"a-{n}-by", "")[:10],
        )
        for n in range(1, count + 1)
    ]
    marks = {}
    for flag in ctx["flags"]:
        mark = {
            "action": form.get(f"f-{flag['id']}-action", "")[:3],
            "note": form.get(f"f-{flag['id']}-note", "")[:300],
        }
        if mark["action"] or mark["note"].strip():
            marks[flag["id"]] = mark
    return actions, marks, form.get("flag_reason", "")[:500], form.get(plan.REVIEW_ITEM, "")[:10]


def _render(
    assessment,
    agreement,
    ctx: dict,
    actions: list[plan.Action],
    marks: dict,
    reason: str,
    review: str,
    problems: list[dict],
    notice: str = "",
    suggested: set[str] | None = None,
    status: int = 200,
):
    rows = max(len(actions), plan.MIN_ACTION_ROWS)
    while len(actions) < rows:
        actions.append(plan.Action())
    page = render_template(
        "staff/plan.html",
        r=assessment,
        agreement=agreement,
        groups=ctx["groups"],
        flags=ctx["flags"],
        actions=actions,
        marks=marks,
        reason=reason,
        review=review,
        problems=problems,
        notice=notice,
        suggested=suggested or set(),
        form=FlaskForm(),
        roles=ROLES_SUGGESTED,
        today=dt.date.today().isoformat(),
        handled={f["id"]: plan.flag_handled(marks.get(f["id"]), actions) for f in ctx["flags"]},
        title=_("Agreement for %(case)s", case=assessment.case_ref or _("No case reference")),
    )
    return page, status


@bp.get("/a/<rid>/avtale/plan")
@requires("cases")
def plan_page(rid: str):
    with db.session() as s:
        assessment, agreement = _load(s, rid)
        audit.record(s, current_user(), "view", assessment.id, detail="agreement page")
        s.commit()
    answers = dict(agreement.answers or {})
    marks_all = dict(agreement.staff_marks or {})
    ctx = _context(assessment, agreement, answers, marks_all)
    review = str(answers.get(plan.REVIEW_ITEM) or "")
    problems: list[dict] = []
    if request.args.get("refused"):
        actions = plan.actions_from_answers(answers)
        problems = worded(
            plan.check_agree(
                ctx["flags"],
                marks_all.get("flags") or {},
                actions,
                str(marks_all.get("flag_reason") or ""),
                review,
                dt.date.today(),
            )
        )
    return _render(
        assessment,
        agreement,
        ctx,
        plan.actions_from_answers(answers),
        marks_all.get("flags") or {},
        str(marks_all.get("flag_reason") or ""),
        review,
        problems,
    )


def _apply_button(do: str, ctx: dict, actions: list, marks: dict, suggested: set) -> str:
    """What the buttons other than save/agree change in the draft; returns the notice to show."""
    if do == "wish":
        for group in ctx["groups"]:
            for row in group.rows:
                if row.value is None and row.wish:
                    row.value = row.wish
                    suggested.add(row.key)
        return _(
            "The relative's wishes are filled in where no choice was made. They are marked "
            "“suggested”: check each one with the relative."
        )
    if do == "more":
        actions += [plan.Action() for _i in range(3)]
    elif do.startswith("flag-"):
        flag = next((f for f in ctx["flags"] if f["id"] == do[5:]), None)
        if flag is not None:
            slot = next((n for n, a in enumerate(actions, start=1) if a.empty), None)
            if slot is None:
                actions.append(plan.Action())
                slot = len(actions)
            actions[slot - 1].what = str(flag.get("action") or flag.get("message") or "")[:300]
            marks[flag["id"]] = {"action": str(slot), "note": (marks.get(flag["id"]) or {}).get("note", "")}
            return _("Action %(n)s was added for this flag. Write who does it and by when.", n=slot)
    return ""


@bp.post("/a/<rid>/avtale/plan")
@requires("cases")
def plan_save(rid: str):
    if not FlaskForm().validate_on_submit():
        abort(400)
    user = current_user()
    today = dt.date.today()
    do = request.form.get("do", "save")
    with db.session() as s:
        assessment, agreement = _load(s, rid)
        ctx = _context(assessment, agreement, dict(agreement.answers or {}), {})
        actions, marks, reason, review = _from_form(ctx, request.form)
        suggested = set(filter(None, request.form.get("suggested", "").split(",")))
        notice = _apply_button(do, ctx, actions, marks, suggested)
        answers = plan.store_tasks(ctx["groups"], dict(agreement.answers or {}))
        answers[plan.ACTIONS_ITEM] = [a.as_answer() for a in actions if not a.empty]
        if review:
            answers[plan.REVIEW_ITEM] = review
        else:
            answers.pop(plan.REVIEW_ITEM, None)
        agreement.answers = answers
        agreement.staff_marks = {**(agreement.staff_marks or {}), "flags": marks, "flag_reason": reason}
        agreement.updated_at = utcnow()
        problems: list[plan.Problem] = []
        if do == "agree":
            problems = plan.check_agree(ctx["flags"], marks, actions, reason, review, today)
        elif do == "save":
            problems = plan.check_actions(actions, today)
        if do == "agree" and not problems:
            _mark_agreed(s, user, assessment, agreement, ctx["flags"], marks, actions, reason)
            s.commit()
            return redirect(url_for("staff.detail", rid=assessment.id), code=303)
        if agreement.status == "submitted":  # a change to a recorded agreement makes it a draft again
            agreement.status, agreement.submitted_at = "open", None
            agreement.revision = (agreement.revision or 0) + 1
        audit.record(s, user, "agreement_draft", assessment.id, detail=f"do={do[:20]}")
        s.commit()
    if do == "agree":
        notice = _("The agreement is not set to “Agreed” yet. It is saved as a draft. Correct this first:")
    elif do == "save" and problems:
        notice = _("The draft is saved. Correct this before the agreement can be set to “Agreed”:")
    elif do == "save":
        notice = _("The draft is saved.")
    return _render(
        assessment,
        agreement,
        ctx,
        actions,
        marks,
        reason,
        review,
        worded(problems),
        notice,
        suggested,
        status=422 if problems else 200,
    )


def _mark_agreed(s, user, assessment, agreement, flags, marks, actions, reason) -> None:
    now = utcnow()
    agreement.status, agreement.submitted_at = "submitted", now
    assessment.agreed_at = now
    try:
        assessment.review_due = dt.date.fromisoformat(str((agreement.answers or {}).get(plan.REVIEW_ITEM)))
    except ValueError:
        assessment.review_due = None
    open_flags = plan.open_high_flags(flags, marks, actions)
    if open_flags:
        audit.record(
            s, user, "agreement_flag_reason", assessment.id, detail=f"flags={','.join(open_flags)}"[:200]
        )
    audit.record(
        s,
        user,
        "agreement_done",
        assessment.id,
        detail=f"review={assessment.review_due.isoformat() if assessment.review_due else '-'}",
    )


def refuse_agreed(s, user, assessment: Response, agreement: Response) -> bool:
    """For an agreement sent through its section pages: reopen it (True) when the checks fail."""
    a_defn = definition(assessment.form_id, assessment.form_version)
    report = reports.score(a_defn, assessment.answers or {}, form_language(a_defn)).as_json()
    marks = agreement.staff_marks or {}
    answers = agreement.answers or {}
    problems = plan.check_agree(
        report.get("flags") or [],
        marks.get("flags") or {},
        plan.actions_from_answers(answers),
        str(marks.get("flag_reason") or ""),
        str(answers.get(plan.REVIEW_ITEM) or ""),
        dt.date.today(),
    )
    if not problems:
        open_flags = plan.open_high_flags(
            report.get("flags") or [], marks.get("flags") or {}, plan.actions_from_answers(answers)
        )
        if open_flags:
            audit.record(
                s, user, "agreement_flag_reason", assessment.id, detail=f"flags={','.join(open_flags)}"
            )
        return False
    agreement.status, agreement.submitted_at = "open", None
    audit.record(s, user, "agreement_refused", assessment.id, detail=",".join(p.code for p in problems)[:200])
    return True
