"""What staff pages and the agreement show from a ScoreReport, written as in the printed summary.

* :func:`score_rows` — one row per scale with its value written with its range («3,7 av 4»);
* :func:`expectation_tables` — the expectation tables (task × now / from now on / expects);
* :func:`flag_handling` — the assessment's flags with what handles each in the agreement, leaving
  out (as the record copy does) every flag computed from an answer marked "for the conversation
  only".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from formengine.answers.conditions import effective_answers
from formengine.answers.privacy import effective_marks, parse_mark
from formengine.definition.model import FormDefinition
from formengine.scoring.report import ScoreReport
from formengine.summary.context import chart_rows, filter_report
from formengine.summary.parts import gap_table
from formengine.summary.strings import strings


def score_rows(defn: FormDefinition, report: ScoreReport, lang: str) -> list[dict[str, Any]]:
    """Each scale: ``label``, ``written`` («3,7 av 4» in the language), ``band`` and ``bar``."""
    return chart_rows(defn, report, lang)


def expectation_tables(
    defn: FormDefinition, report: ScoreReport, answers: dict[str, Any], lang: str
) -> list[dict[str, Any]]:
    """One table per task group with a gap: ``title``, ``head`` and ``rows`` (``label``, ``cells``)."""
    return gap_table(defn, report, effective_answers(defn, answers), lang)


def flag_handling(
    defn: FormDefinition,
    answers: dict[str, Any],
    report: ScoreReport,
    *,
    lang: str,
    conversation_only: Sequence[str] | None,
    marks: Mapping[str, Mapping[str, Any]],
    reason: str,
    actions: Sequence[str],
) -> list[dict[str, str]]:
    """Each flag with ``severity_label``, ``message`` and ``how`` (the action, the note, or the reason).

    ``marks`` maps a flag id to ``{"action": "N", "note": "..."}``; ``actions`` are the agreed
    actions' texts in order (action N is ``actions[N-1]``); ``reason`` is why the agreement was
    made with a high flag open.
    """
    private = effective_marks(
        defn, answers, list(conversation_only) if conversation_only is not None else None
    )
    shown = filter_report(defn, report, {parse_mark(m).item for m in private})
    t = strings(lang)
    out = []
    for flag in shown.flags:
        mark = marks.get(flag.id) or {}
        how = []
        try:
            n = int(mark.get("action") or 0)
        except (TypeError, ValueError):
            n = 0
        if 1 <= n <= len(actions):
            how.append(t["handled_action"].format(n=n, what=actions[n - 1]))
        note = str(mark.get("note") or "").strip()
        if note:
            how.append(note)
        if not how and reason.strip() and flag.severity == "high":
            how.append(t["handled_reason"].format(reason=reason.strip()))
        out.append(
            {
                "severity_label": t.get(f"flag_{flag.severity}", ""),
                "message": str(flag.message),
                "how": " · ".join(how) or t["handled_none"],
            }
        )
    return out
