"""Scales for an imported Questionnaire: Helsenorge scoring codes, else one total.

Helsenorge (Refero) marks items with a coding from ``http://ehelse.no/scoringFormulas``
in ``item.code``: ``QS`` question score, ``SS`` section score, ``TS`` total score. An SS
item becomes a scale (id = its sanitised linkId) summing the QS items of the group it sits
in (nested groups included); a TS item a scale over every QS item. A Questionnaire with
scored options but no SS/TS items gets a scale ``total`` over every scored item. A score
with no answered item is null (``min_answered: 1``), as Refero leaves it blank.
"""

from __future__ import annotations

from typing import Any, Protocol

from formengine.fhir.common import IdAllocator
from formengine.i18n import N_, gettext_in

TOTAL = N_("Total")  # the one scale of a Questionnaire without scoring codes


class ScoredImport(Protocol):
    """What scoring reads of an :class:`~formengine.fhir.importer.Importer` (no import back to it)."""

    qs: list[tuple[str, tuple[str, ...]]]  # (question score item, group path)
    scored: list[str]
    totals: list[tuple[str, object, tuple[str, ...]]]  # (scale id, label, group path)
    comments: dict[str, str]
    q: dict[str, Any]
    ids: IdAllocator
    languages: list[str]
    lang: str

    def warn(self, message: str, **args: object) -> None: ...


def _scale(ident: str, label: object, items: list[str]) -> dict[str, Any]:
    return {"id": ident, "label": label, "items": items, "method": "sum", "min_answered": 1}


def _headings(items: list[Any]) -> dict[str, str]:
    """linkId -> plain text of every group with a text (to tell section scores apart)."""
    out: dict[str, str] = {}
    for item in items:
        if isinstance(item, dict):
            if item.get("type") == "group" and isinstance(item.get("text"), str):
                out[str(item.get("linkId"))] = item["text"]
            out.update(_headings(item.get("item") or []))
    return out


def build_scoring(importer: ScoredImport) -> dict[str, Any] | None:
    """Return the ``scoring`` block for an :class:`~formengine.fhir.importer.Importer` (None if unscored)."""
    question_scores = importer.qs or [(ident, ()) for ident in importer.scored]
    scales = []
    labels = [str(label) for _ident, label, _path in importer.totals]
    headings = _headings(importer.q.get("item") or [])
    for ident, label, path in importer.totals:
        if labels.count(str(label)) > 1 and path and isinstance(label, str) and headings.get(path[-1]):
            label = f"{label} – {headings[path[-1]]}"  # Refero's "Sum" per section: say which one
        items = [q for q, where in question_scores if where[: len(path)] == path]
        if not items:
            importer.warn(
                N_("score '{name}' has no scored questions; left out"),
                name=importer.comments.get(ident, ident),
            )
            continue
        scales.append(_scale(ident, label, items))
    if not importer.totals and importer.scored:
        ident = importer.ids("total")
        label = {lang: gettext_in(lang, TOTAL) for lang in importer.languages}
        scales.append(
            _scale(
                ident, label if len(label) > 1 else gettext_in(importer.lang, TOTAL), list(importer.scored)
            )
        )
    return {"scales": scales} if scales else None
