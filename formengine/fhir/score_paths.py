"""A scale Refero cannot add up as a section score, computed by a FHIRPath expression instead.

Refero evaluates Helsenorge's ``sdf-calculatedExpression`` (a FHIRPath ``valueString``) on the
QuestionnaireResponse and writes the result into the item (22.2.1: ``evaluateExpression`` in the
fhirpath-score calculator). The expression written here is our scoring rule for one scale
(:mod:`formengine.scoring.engine`): per question its score (reversed and weighted), whether it is
answered and whether it is "not applicable"; an unscored single-choice answer counts as
unanswered; ``min_answered``; then the mean, sum or prorated sum, rounded to two decimals half
up. It works in whole numbers only: each question's four figures are packed into one integer
(``score·100³ + weight·100² + answered·100 + not applicable``) so that the sum over the questions
is written once, and the rounding is ``(2·100·x + n) div (2·n)``. Scales with scores or weights
that are not whole numbers ≥ 0, or with questions in repeat groups or cards, are left out.
"""

from __future__ import annotations

from typing import Any

from formengine.definition import item_types as it
from formengine.definition.model import FormDefinition, Item, Scale
from formengine.i18n import N_

CALCULATED_EXPRESSION = "http://ehelse.no/fhir/StructureDefinition/sdf-calculatedExpression"
NOT_CHOICE = N_("'{item}' is not a choice question outside a repeat group or card")
NOT_WHOLE = N_("scores or weights that are not whole numbers from 0: no exact FHIRPath for it")
_B = 100  # one packed field: a scale has fewer than 100 questions and a total weight below 100
_LIMIT = 2**53 // _B**3  # the largest packed total that is still exact in JavaScript


def _item(defn: FormDefinition, name: str) -> Item | None:
    item_id, _, row = name.partition(".")
    item = defn.items_by_id.get(item_id)
    if item is None or item.parent or item.type in ("cards", "repeat") or not item.options:
        return None
    if bool(row) != (item.type == "matrix"):
        return None
    return item


def _whole(value: float) -> bool:
    return float(value).is_integer() and value >= 0


def path_reason(defn: FormDefinition, scale: Scale) -> tuple[str, dict[str, Any]] | None:
    """Why no exact expression can be written for ``scale`` (None: one can)."""
    weights = dict(scale.weights)
    top = 0.0
    for name in scale.items:
        item = _item(defn, name)
        if item is None:
            return NOT_CHOICE, {"item": name}
        scores = [o.score for o in item.options if o.score is not None and not o.not_applicable]
        weight = weights.get(name, 1)
        if not all(_whole(s) for s in scores) or not _whole(weight) or weight == 0:
            return NOT_WHOLE, {}
        many = len(scores) if item.type in it.LIST_CHOICE_TYPES else 1
        top += max(scores, default=0) * weight * many
    if len(scale.items) >= _B or sum(weights.get(n, 1) for n in scale.items) >= _B or top >= _LIMIT:
        return NOT_WHOLE, {}
    return None


def _in(codes: list[str]) -> str:
    return "(" + " | ".join(f"'{c}'" for c in codes) + ")"  # codes are [a-z0-9_]+: no quoting needed


def _packed(defn: FormDefinition, scale: Scale, name: str) -> str:
    """One question's packed figures, evaluated on its response item: score·B³ + weight·B² +
    answered·B + not applicable."""
    item = _item(defn, name)
    if item is None:  # path_reason() refuses such a scale first
        raise ValueError(name)
    weight = int(dict(scale.weights).get(name, 1))
    scored = [o for o in item.options if o.score is not None and not o.not_applicable]
    low = min((int(o.score or 0) for o in scored), default=0)
    high = max((int(o.score or 0) for o in scored), default=0)

    def value(score: float | None) -> int:
        s = int(score or 0)
        return (low + high - s if name in scale.reverse else s) * weight

    na = [o.value for o in item.options if o.not_applicable]
    if item.type in it.LIST_CHOICE_TYPES:  # every chosen option adds its score; answered once
        by_score: dict[int, list[str]] = {}
        for o in scored:
            by_score.setdefault(value(o.score) * _B**3, []).append(o.value)
        parts = [f"answer.value.where(code in {_in(c)}).count() * {v}" for v, c in by_score.items() if v]
        others = [o.value for o in item.options if not o.not_applicable]
        flag = f"iif(answer.value.where(code in {_in(others)}).exists(), {weight * _B**2 + _B}, "
        flag += f"iif(answer.value.where(code in {_in(na)}).exists(), 1, 0))" if na else "0)"
        return " + ".join([*parts, flag])
    by_value: dict[int, list[str]] = {}
    for o in scored:
        by_value.setdefault(value(o.score) * _B**3 + weight * _B**2 + _B, []).append(o.value)
    if na:
        by_value.setdefault(1, []).extend(na)
    chain = "0"
    for packed, codes in reversed(list(by_value.items())):
        chain = f"iif(code in {_in(codes)}, {packed}, {chain})"
    return f"answer.value.select({chain}).aggregate($total + $this, 0)"


def expression(defn: FormDefinition, scale: Scale) -> str:
    """The FHIRPath (on the QuestionnaireResponse) that gives our value of ``scale``, or empty.

    One pass over the response finds the scale's questions; each gives its packed figures
    (chosen by its linkId), and their sum is taken apart again in the final ``select``."""
    per_item = "0"
    for name in reversed(scale.items):
        per_item = f"iif(linkId = '{name}', {_packed(defn, scale, name)}, {per_item})"
    found = f"descendants().where(linkId in {_in(list(scale.items))})"
    total = f"{found}.select({per_item}).aggregate($total + $this, 0)"
    t, w, a = f"($this div {_B**3})", f"(($this div {_B**2}) mod {_B})", f"(($this div {_B}) mod {_B})"
    n = f"({len(scale.items)} - ($this mod {_B}))"
    minimum = scale.min_answered
    if isinstance(minimum, float):
        need = f"({minimum!r} * {n}).ceiling()"
        required = f"iif({need} < 1, 1, {need})"
    else:
        required = f"iif({n} < {int(minimum)}, {n}, {int(minimum)})"
    if scale.method == "mean":
        result = f"(({t} * 200 + {w}) div (2 * {w})) / 100"
    elif scale.prorate:
        result = f"iif({a} < {n}, (({t} * {n} * 200 + {a}) div (2 * {a})) / 100, {t})"
    else:
        result = t
    empty = f"{n} = 0 or {a} = 0 or {w} = 0 or {a} < {required}"
    return f"({total}).select(iif({empty}, {{}}, {result}))"
