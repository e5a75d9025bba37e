"""Our scales as Helsenorge scoring codes, exported only where Refero computes the same number.

Refero (``@helsenorge/refero``, checked against 22.2.1: ``ScoringCalculator`` in
``src/util/scoringCalculator.ts``) reads ``item.code`` from ``http://ehelse.no/scoringFormulas``:

- ``QS`` on a choice item: its score is the sum of ``ordinalValue`` on the ``valueCoding`` of
  every chosen ``answerOption`` (an option without one counts 0; an ``answerValueSet`` is not read);
- ``SS`` (section score): the sum of the ``QS`` items in its parent group, nested groups
  included; blank when none of them is answered;
- ``TS`` (total score): the sum of every ``QS`` item of the Questionnaire.

Refero only adds. A scale is exported when that sum equals our score for every answer set
(:func:`plan_scores`): a ``sum`` (or a ``mean`` of one item) with no weights, reverse, proration
or "not applicable" options, no unscored option on a single choice, at most one answer required,
and either alone with its items in their section (``SS``) or over every ``QS`` item (``TS``).
Every other scale is left out with a located reason (:func:`score_warnings`) rather than exported
as a number Refero would compute differently.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from formengine.definition import item_types as it
from formengine.definition.model import FormDefinition, Item, Scale
from formengine.fhir.common import FE_EXT, HIDDEN, SCORING_SYSTEM, UNIT
from formengine.fhir.score_paths import CALCULATED_EXPRESSION, NOT_CHOICE, expression, path_reason
from formengine.i18n import N_, say

SCORE_UNIT_SYSTEM = "http://ehelse.no/Score"
FE_SCALE = FE_EXT + "scale"  # the scale id an SS/TS item stands for (our import restores it)
FE_SCALE_METHOD = FE_EXT + "scale-method"
FE_SCALE_ITEMS = FE_EXT + "scale-items"  # of a FHIRPath score: its questions, space-separated
FE_SCALE_MIN = FE_EXT + "scale-min-answered"
FE_SCALE_REVERSE = FE_EXT + "scale-reverse"
FE_SCALE_WEIGHTS = FE_EXT + "scale-weights"  # "item=weight ..."
FE_SCALE_PRORATE = FE_EXT + "scale-prorate"
_DISPLAY = {"QS": "QuestionScore", "SS": "Sectionscore", "TS": "Totalscore"}

# why a scale is left out (English msgids; the CLI prints them in the output language)
MEAN = N_("a mean over {count} questions: Refero only adds up scores")
PRORATE = N_("prorated: Refero adds up only the answered questions")
WEIGHTS = N_("weighted questions: Refero gives every question weight 1")
REVERSE = N_("reverse-scored questions: Refero takes the option scores as they are")
MIN_ANSWERED = N_("needs more than one answer: Refero shows a score from the first answer")
NOT_APPLICABLE = N_("'{item}' has a \"not applicable\" option: Refero counts it as 0, we leave it out")
UNSCORED = N_("'{item}' has an option without a score: Refero counts it as 0, we leave it out")
SHARED = N_(
    "its questions share their section with other scored questions: a Refero section score adds them all"
)
SCORE_LEFT_OUT = N_("{where}: scale '{scale}' is not exported as a Helsenorge score: {reason}")


@dataclass(frozen=True)
class ScoreItem:
    """One exported scale: an SS, TS or FHIRPath (``calc``) item at the end of ``section``."""

    scale: Scale
    code: str  # "SS", "TS" or "calc" (an sdf-calculatedExpression, fhir.score_paths)
    section: str

    @property
    def link_id(self) -> str:
        return f"score.{self.scale.id}"


@dataclass
class ScorePlan:
    """What :func:`plan_scores` decided: question-score items, score items, scales left out."""

    question_scores: set[str] = field(default_factory=set)  # item ids or "matrix.row"
    items: list[ScoreItem] = field(default_factory=list)
    left_out: list[tuple[int, Scale, str, dict[str, Any]]] = field(default_factory=list)

    def in_section(self, section_id: str) -> list[ScoreItem]:
        return [s for s in self.items if s.section == section_id]

    @property
    def link_ids(self) -> set[str]:
        return {s.link_id for s in self.items}


def _item_reason(defn: FormDefinition, name: str) -> tuple[str, dict[str, Any]] | None:
    item_id, _, row = name.partition(".")
    item: Item | None = defn.items_by_id.get(item_id)
    if item is None or item.parent or (row and item.type != "matrix") or (not row and item.type == "matrix"):
        return NOT_CHOICE, {"item": name}
    if not item.options or item.type in ("cards", "repeat"):
        return NOT_CHOICE, {"item": name}
    if any(o.not_applicable for o in item.options):
        return NOT_APPLICABLE, {"item": name}
    if item.type not in it.LIST_CHOICE_TYPES and any(o.score is None for o in item.options):
        return UNSCORED, {"item": name}
    return None


def _arithmetic_reason(defn: FormDefinition, scale: Scale) -> tuple[str, dict[str, Any]] | None:
    """Why Refero's plain sum differs from ``scale`` for some answer set (None: it never does)."""
    count = len(scale.items)
    if scale.method == "mean" and count != 1:
        return MEAN, {"count": count}
    if scale.method == "sum" and scale.prorate and count > 1:
        return PRORATE, {}
    if scale.method == "sum" and any(w != 1 for _, w in scale.weights):
        return WEIGHTS, {}
    if scale.reverse:
        return REVERSE, {}
    minimum = scale.min_answered
    required = math.ceil(minimum * count) if isinstance(minimum, float) else int(minimum)
    if required > 1:
        return MIN_ANSWERED, {}
    for name in scale.items:
        reason = _item_reason(defn, name)
        if reason:
            return reason
    return None


def plan_scores(defn: FormDefinition, fhirpath: bool = False) -> ScorePlan:
    """Decide which scales of ``defn`` become SS/TS items and which question items are QS; with
    ``fhirpath``, the scales Refero cannot add up become FHIRPath scores where that is exact.

    FHIRPath scores are opt-in: Refero 22.2.1 computes them exactly, but re-evaluates every
    expression after each answer; with the 27-question strain scale of the 1.x forms, it fell
    behind typing so far that the page stopped responding in our test (docs/fhir-renderers.md)."""
    plan = ScorePlan()
    if defn.fhir is not None or any(i.fhir is not None for i in defn.iter_items()):
        return plan  # imported from a Questionnaire: it exports back in its source's shape
    section_of = defn.section_of
    candidates: list[tuple[int, Scale]] = []
    for i, scale in enumerate(defn.scoring.scales):
        reason = _arithmetic_reason(defn, scale)
        if reason:
            plan.left_out.append((i, scale, reason[0], reason[1]))
        else:
            candidates.append((i, scale))
    # placement: an SS adds every QS of its section, a TS every QS; drop what does not fit
    # until the set of QS items is stable (dropping a scale can only shrink it)
    while True:
        qs = {name for _, s in candidates for name in s.items}
        kept, placed = [], []
        for i, scale in candidates:
            items = set(scale.items)
            sections = {section_of[name.partition(".")[0]] for name in items}
            in_section = {n for n in qs if section_of[n.partition(".")[0]] in sections}
            if len(sections) == 1 and in_section == items:
                kept.append((i, scale))
                placed.append(ScoreItem(scale, "SS", sections.pop()))
            elif items == qs:
                kept.append((i, scale))
                order = [s.id for s in defn.sections]
                last = max((section_of[n.partition(".")[0]] for n in items), key=order.index)
                placed.append(ScoreItem(scale, "TS", last))
            else:
                plan.left_out.append((i, scale, SHARED, {}))
        if len(kept) == len(candidates):
            break
        candidates = kept
    plan.question_scores = {name for _, s in candidates for name in s.items}
    plan.items = placed
    order = [s.id for s in defn.sections]
    still_out = []
    for entry in plan.left_out:  # Refero cannot add them up: an exact FHIRPath, where there is one
        reason = path_reason(defn, entry[1]) if fhirpath else (entry[2], entry[3])
        if reason is None:
            last = max((section_of[n.partition(".")[0]] for n in entry[1].items), key=order.index)
            plan.items.append(ScoreItem(entry[1], "calc", last))
        else:
            still_out.append((entry[0], entry[1], *reason))
    plan.left_out = sorted(still_out, key=lambda entry: entry[0])
    return plan


def score_item(plan_item: ScoreItem, defn: FormDefinition, put_text: Any) -> dict[str, Any]:
    """The Questionnaire item of an exported scale: read-only, with the scale's label.

    SS/TS: a decimal with Helsenorge's score unit (Helsenorge's own forms use ``quantity``;
    Refero 13.1+ fills a ``decimal`` the same way, and LHC-Forms refuses ``questionnaire-unit`` on
    a quantity). FHIRPath: a ``quantity`` without a unit (Refero leaves a decimal blank when the
    expression gives 0). Our own extensions name the scale so that our import restores it."""
    scale = plan_item.scale
    out: dict[str, Any] = {"linkId": plan_item.link_id}
    ext: list[dict[str, Any]] = []
    if plan_item.code == "calc":
        out["type"] = "quantity"
        ext.append({"url": CALCULATED_EXPRESSION, "valueString": expression(defn, scale)})
    else:
        out["code"] = [
            {"system": SCORING_SYSTEM, "code": plan_item.code, "display": _DISPLAY[plan_item.code]}
        ]
        out["type"] = "decimal"
        unit = {"system": SCORE_UNIT_SYSTEM, "code": "score", "display": "score"}
        ext.append({"url": UNIT, "valueCoding": unit})
    put_text(out, "text", scale.label)
    out["readOnly"] = True
    # computed into the response for the services, not shown to the relative (our scores are
    # conversation aids for staff); Refero and LHC-Forms still compute a hidden item
    ext.append({"url": HIDDEN, "valueBoolean": True})
    ext += [
        {"url": FE_SCALE, "valueCode": scale.id},
        {"url": FE_SCALE_METHOD, "valueCode": scale.method},
    ]
    if plan_item.code == "calc":  # which questions and how: the expression is not read back
        ext += [
            {"url": FE_SCALE_ITEMS, "valueString": " ".join(scale.items)},
            {"url": FE_SCALE_MIN, "valueDecimal": scale.min_answered},
        ]
        if scale.reverse:
            ext.append({"url": FE_SCALE_REVERSE, "valueString": " ".join(scale.reverse)})
        if scale.weights:
            ext.append(
                {"url": FE_SCALE_WEIGHTS, "valueString": " ".join(f"{n}={w!r}" for n, w in scale.weights)}
            )
        if scale.prorate:
            ext.append({"url": FE_SCALE_PRORATE, "valueBoolean": True})
    out["extension"] = ext
    return out


def question_score_code() -> list[dict[str, Any]]:
    return [{"system": SCORING_SYSTEM, "code": "QS", "display": _DISPLAY["QS"]}]


def score_warnings(defn: FormDefinition, fhirpath: bool = False) -> list[str]:
    """The scales left out of the export, each naming where it is defined and why (output language)."""
    out = []
    for i, scale, reason, args in plan_scores(defn, fhirpath).left_out:
        where = f"{defn.key} scoring.scales[{i}]"
        out.append(say(SCORE_LEFT_OUT, where=where, scale=scale.id, reason=say(reason, **args)))
    return out
