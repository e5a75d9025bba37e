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

from formengine.fhir.common import IdAllocator, extension_value, number
from formengine.fhir.scores import (
    FE_SCALE,
    FE_SCALE_ITEMS,
    FE_SCALE_METHOD,
    FE_SCALE_MIN,
    FE_SCALE_PRORATE,
    FE_SCALE_REVERSE,
    FE_SCALE_WEIGHTS,
)
from formengine.i18n import N_, gettext_in

TOTAL = N_("Total")  # the one scale of a Questionnaire without scoring codes


class ScoredImport(Protocol):
    """What scoring reads of an :class:`~formengine.fhir.importer.Importer` (no import back to it)."""

    qs: list[tuple[str, tuple[str, ...]]]  # (question score item, group path)
    scored: list[str]
    # (scale id, label, group path, spec: method; for our FHIRPath scores items, min_answered, ...)
    totals: list[tuple[str, object, tuple[str, ...], dict[str, Any]]]
    comments: dict[str, str]
    q: dict[str, Any]
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
    labels = [str(total[1]) for total in importer.totals]
    headings = _headings(importer.q.get("item") or [])
    for ident, label, path, spec in importer.totals:
        if labels.count(str(label)) > 1 and path and isinstance(label, str) and headings.get(path[-1]):
            label = f"{label} – {headings[path[-1]]}"  # Refero's "Sum" per section: say which one
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


class ScoreItemReader(Protocol):
    """What :func:`read_score_item` needs of the item reader."""

    ids: IdAllocator
    comments: dict[str, str]
    totals: list[tuple[str, object, tuple[str, ...], dict[str, Any]]]

    def text(self, element: dict[str, Any], key: str) -> str | dict[str, str] | None: ...


def read_score_item(
    importer: ScoreItemReader, item: dict[str, Any], code: str, path: tuple[Any, ...]
) -> None:
    """Note an SS/TS item, or our own FHIRPath score (``code`` "calc"), as a scale to build."""
    link = str(item.get("linkId", ""))
    ours = extension_value(item, FE_SCALE)  # our own export names the scale it stands for
    # our scale ids are unique among scales (they may equal a section id); others get a fresh id
    ident = ours if isinstance(ours, str) and ours not in importer.comments else importer.ids(link, "score")
    importer.comments[ident] = link
    spec: dict[str, Any] = {"method": "sum"}
    method = extension_value(item, FE_SCALE_METHOD)
    if method in ("sum", "mean"):
        spec["method"] = method
    if code == "calc":  # the FHIRPath is not read back: our extensions say what it computes
        spec.update(
            items=str(extension_value(item, FE_SCALE_ITEMS) or "").split(),
            min_answered=number(extension_value(item, FE_SCALE_MIN)) or 1,
            reverse=str(extension_value(item, FE_SCALE_REVERSE) or "").split(),
            prorate=extension_value(item, FE_SCALE_PRORATE) is True,
        )
        pairs = [p.partition("=") for p in str(extension_value(item, FE_SCALE_WEIGHTS) or "").split()]
        spec["weights"] = {n: number(float(w)) for n, _, w in pairs if w}
    importer.totals.append((ident, importer.text(item, "text") or link, path if code == "SS" else (), spec))
