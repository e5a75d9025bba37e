"""Overview of my municipality's assessments, one assessment in detail, planning the meeting."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from formengine import summary as summary_docs

from .. import db
from ..display import summary
from ..i18n import form_language
from . import audit, cases, reports, review_marks
from .auth import bp, current_user, requires
from .forms import MeetingForm, SearchForm


@bp.get("/")
@requires("cases")
def overview():
    search = SearchForm(request.args)
    q = (search.q.data or "").strip() if search.validate() else ""
    wanted = request.args.get("status")
    empty = request.args.get("tomme") == "1"
    with db.session() as s:
        rows = cases.assessments(s, q=q, status=wanted, include_empty=empty)
        totals = cases.status_counts(s, q=q, include_empty=empty)
        audit.record(s, current_user(), "overview", detail=f"status={wanted or 'all'}")
        s.commit()
    listed = [_row(r, st) for r, st in rows]
    from .alerts import open_alerts

    return render_template(
        "staff/overview.html",
        rows=listed,
        totals=totals,
        status=wanted,
        search=search,
        q=q,
        empty=empty,
        title=_("Assessments"),
        alerts=open_alerts(),
        form=FlaskForm(),
    )


def _row(response, status: str) -> dict:
    report = None
    defn = reports.definition_of(response)
    if response.status == "submitted":
        report = reports.score(defn, response.answers or {}, form_language(defn))
    count, severity = reports.flag_summary(report)
    return {
        "r": response,
        "status": status,
        "flags": count,
        "severity": severity,
        "title": defn.title.get(form_language(defn)),
    }


@bp.get("/a/<rid>")
@requires("cases")
def detail(rid: str):
    with db.session() as s:
        response = cases.own_response(s, rid)
        previous = cases.previous_of(s, response)
        agreement = cases.agreement_of(s, response)
        reassessed = bool(cases.followed_up(s, [response.id]))
        last_agreement = cases.agreement_of(s, previous) if previous is not None else None
        from .. import promises

        contact = promises.contact_of(s, response.id)  # own_response: my municipality only
        audit.record(s, current_user(), "view", response.id)
        s.commit()
    defn = reports.definition_of(response)
    lang = form_language(defn)
    answers = response.answers or {}
    report = reports.score(defn, answers, lang) if response.status == "submitted" else None
    change = _change(response, defn, report, previous, lang)
    return render_template(
        "staff/detail.html",
        r=response,
        defn=defn,
        lang=lang,
        report=report,
        change=change,
        sections=summary(defn, answers, lang, response.conversation_only),
        co=set(response.conversation_only or []),
        agreement=agreement,
        status=cases.status_of(response, reassessed),
        previous=previous,
        meeting_form=MeetingForm(obj=response),
        form=FlaskForm(),
        offers=_offers(defn, report, lang),
        title=defn.title.get(lang),
        contact=contact,
        scales=_scales(defn, report, lang),
        expectations=_expectations(defn, report, answers, lang),
        flag_marks=_flag_marks(agreement),
        review=review_marks.context(response, last_agreement),
        review_statuses=review_marks.statuses(),
    )


def _scales(defn, report, lang) -> list[dict]:
    """Each scale with its value written with its range («3,7 av 4»), as in the PDF."""
    return summary_docs.score_rows(defn, report, lang) if report else []


def _expectations(defn, report, answers: dict, lang) -> list[dict]:
    """The expectation tables (task × now / from now on / expects), as in the PDF."""
    return summary_docs.expectation_tables(defn, report, answers, lang) if report else []


def _flag_marks(agreement) -> dict:
    """How the agreement handles each flag: {flag id: {"action": n, "note": text}}."""
    if agreement is None:
        return {}
    return dict((agreement.staff_marks or {}).get("flags") or {})


def _offers(defn, report, lang) -> list:
    """The report's suggested offers; each carries its contact already resolved (name, phone)."""
    return list(report.offers) if report else []


def _change(response, defn, report, previous, lang) -> dict | None:
    if previous is None:
        return None
    prev_defn = reports.definition_of(previous)
    prev_report = reports.score(prev_defn, previous.answers or {}, lang) if report is not None else None
    from formengine import comparable_scales

    pairs = comparable_scales(defn, prev_defn)  # only like with like
    return {
        "previous": previous,
        "scales": reports.scale_changes(report, prev_report, pairs),
        "not_asked": reports.not_asked(report, prev_report, pairs),
        "answers": reports.answer_changes(
            defn, response.answers or {}, prev_defn, previous.answers or {}, lang
        ),
    }


@bp.post("/a/<rid>/meeting")
@requires("cases")
def meeting(rid: str):
    form = MeetingForm()
    with db.session() as s:
        response = cases.own_response(s, rid)
        if form.validate_on_submit() and response.status == "submitted":
            response.meeting_at = form.meeting_at.data
            audit.record(s, current_user(), "meeting", response.id, detail=form.meeting_at.data.isoformat())
            s.commit()
    return redirect(url_for("staff.detail", rid=rid), code=303)
