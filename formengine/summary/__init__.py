"""Printed documents: the meeting summary, the collaboration agreement and the blank paper form.

Public API::

    pdf = render_summary_pdf(defn, answers, lang="nb", copy="meeting", meta={...}, previous=None)
    pdf = render_agreement_pdf(agreement_defn, agreement_answers, lang="nb", meta={...})
    pdf = render_blank_pdf(defn, lang="nb")
    html = summary_html(...); agreement_html(...); blank_html(...)   # same arguments, HTML text

``copy="meeting"`` includes answers the relative marked "for the conversation only"
(``meta["conversation_only"]``: their item ids); ``copy="record"`` leaves them out, together
with every score, flag and gap computed from them, is titled «Journalkopi» (also in a running
header on every page), has no "keep this copy" line and is PDF/A-2b for the archive;
``copy="relative"`` is the relative's own copy (the same content as the record copy, addressed
to them). Every other PDF is tagged (PDF/UA-1) for screen readers. ``meta`` may hold ``municipality``,
``case_ref``, ``submitted_at`` (datetime), ``relative_name`` and ``agreement`` (the agreement
form's answers). ``previous`` is ``(defn, answers)`` (optionally a third item: its ScoreReport)
of the previous assessment of the same case. ``report`` lets a caller pass a ScoreReport it
already has (object or JSON dict); otherwise ``formengine.scoring.engine.score`` is called.
Templates autoescape everything; form-text markup goes through a tiny safe converter.

For staff pages: ``score_rows``, ``expectation_tables`` and ``flag_handling`` (see
:mod:`formengine.summary.staffview`) write scores, expectations and the handling of flags as the
printed documents do.
"""

from __future__ import annotations

from typing import Any

from formengine.definition.model import FormDefinition
from formengine.summary.context import build_summary_context
from formengine.summary.documents import agreement_context, blank_context
from formengine.summary.render import html_to_pdf, render_html
from formengine.summary.staffview import expectation_tables, flag_handling, score_rows

__all__ = [
    "agreement_html",
    "blank_html",
    "expectation_tables",
    "flag_handling",
    "html_to_pdf",
    "render_agreement_pdf",
    "render_blank_pdf",
    "render_summary_pdf",
    "score_rows",
    "summary_html",
]


def summary_html(
    defn: FormDefinition,
    answers: dict[str, Any],
    *,
    lang: str = "nb",
    copy: str = "meeting",
    meta: dict[str, Any] | None = None,
    previous: Any = None,
    report: Any = None,
) -> str:
    """Return the meeting summary as HTML (also the web app's printable view).

    ``copy="relative"``: the relative's own copy (:mod:`formengine.summary.relative`).
    """
    if copy == "relative":
        from formengine.summary.relative import relative_context

        return render_html("relative", defn.id, relative_context(defn, answers, lang=lang, meta=meta))
    ctx = build_summary_context(
        defn, answers, lang=lang, copy=copy, meta=meta, previous=previous, report=report
    )
    return render_html("summary", defn.id, ctx)


def render_summary_pdf(
    defn: FormDefinition,
    answers: dict[str, Any],
    *,
    lang: str = "nb",
    copy: str = "meeting",
    meta: dict[str, Any] | None = None,
    previous: Any = None,
    report: Any = None,
) -> bytes:
    """Return the meeting summary as A4 PDF bytes."""
    return html_to_pdf(
        summary_html(defn, answers, lang=lang, copy=copy, meta=meta, previous=previous, report=report),
        "archive" if copy == "record" else "tagged",
    )


def agreement_html(
    defn: FormDefinition,
    answers: dict[str, Any],
    *,
    lang: str = "nb",
    meta: dict[str, Any] | None = None,
    report: Any = None,
) -> str:
    """Return the collaboration agreement as HTML."""
    return render_html(
        "agreement", defn.id, agreement_context(defn, answers, lang=lang, meta=meta, report=report)
    )


def render_agreement_pdf(
    defn: FormDefinition,
    answers: dict[str, Any],
    *,
    lang: str = "nb",
    meta: dict[str, Any] | None = None,
    report: Any = None,
) -> bytes:
    """Return the collaboration agreement as A4 PDF bytes."""
    return html_to_pdf(agreement_html(defn, answers, lang=lang, meta=meta, report=report))


def blank_html(defn: FormDefinition, *, lang: str = "nb", meta: dict[str, Any] | None = None) -> str:
    """Return the blank paper form as HTML."""
    return render_html("blank", defn.id, blank_context(defn, lang=lang, meta=meta))


def render_blank_pdf(defn: FormDefinition, *, lang: str = "nb", meta: dict[str, Any] | None = None) -> bytes:
    """Return the blank paper form as A4 PDF bytes."""
    return html_to_pdf(blank_html(defn, lang=lang, meta=meta))
