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
    # (scale id, label, group path, spec: method; for our FHIRPath scores items, min_answered, ...)
    totals: list[tuple[str, object, tuple[str, ...], dict[str, Any]]]
    comments: dict[str, str]
    ids: IdAllocator
    languages: list[str]
    lang: str

    def warn(self, message: str, **args: object) -> None: ...


def _scale(ident: str, label: object, items: list[str], spec: dict[str, Any] | None = None) -> dict[str, Any]:
    out = {"id": ident, "label": label, "items": items, "method": "sum", "min_answered": 1}
    for key, value in (spec or {}).items():
        if key != "items" and value:
            out[key] = value
    return out


def build_scoring(importer: ScoredImport) -> dict[str, Any] | None:
    """Return the ``scoring`` block for an :class:`~formengine.fhir.importer.Importer` (None if unscored)."""
    question_scores = importer.qs or [(ident, ()) for ident in importer.scored]
    scales = []
    for ident, label, path, spec in importer.totals:
        if "items" in spec:  # our own FHIRPath score: its questions are named
            known = set(importer.scored)
            items = [name for name in spec["items"] if name in known]
            if len(items) < len(spec["items"]):
                importer.warn(
                    N_("score '{name}' names questions without scores; left out"),
                    name=importer.comments.get(ident, ident),
                )
                continue
        else:
            items = [q for q, where in question_scores if where[: len(path)] == path]
        if not items:
            importer.warn(
                N_("score '{name}' has no scored questions; left out"),
                name=importer.comments.get(ident, ident),
            )
            continue
        scales.append(_scale(ident, label, items, spec))
    if not importer.totals and importer.scored:
        ident = importer.ids("total")
        label = {lang: gettext_in(lang, TOTAL) for lang in importer.languages}
        scales.append(
            _scale(
                ident, label if len(label) > 1 else gettext_in(importer.lang, TOTAL), list(importer.scored)
            )
        )
    return {"scales": scales} if scales else None
