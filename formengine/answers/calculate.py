"""Calculated items: their values computed from the other answers, on the server, every time.

A calculated item's stored value is never trusted: :func:`apply_calculations` recomputes every
calculated item from the answers (hidden items count as unanswered) and replaces what was
stored, so the review, the PDFs, the scores and the exports all show what the formula gives.
Items are computed in form order; a calculation that uses another calculated item sees its
new value (up to as many rounds as there are calculated items, until nothing changes).

Values take the item's type: a number item gets a finite number within the answer limits (a
whole number, rounded half up, when ``integer`` is true; a decimal is kept to 10 significant
digits), a text item text (cut at ``max_length``), a date item ``YYYY-MM-DD``. Anything else,
and an expression with no value, leaves the item unanswered.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
from collections import OrderedDict
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from formengine.definition.calculation import answer_items
from formengine.definition.item_types import ANSWER_NUMBER_LIMIT
from formengine.definition.model import FormDefinition, Item
from formengine.expressions.evaluate import is_number

_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_MEMO_SIZE = 256  # remembered FHIRPath results per form version
_LOCK = threading.Lock()


def calculated_items(defn: FormDefinition) -> tuple[tuple[Item, str], ...]:
    """(item, its section id) of every calculated item outside repeat groups (also inside plain
    groups, whose items answer by their own ids), in form order (cached)."""
    found = defn.runtime.get("calculated_items")
    if found is None:
        found = defn.runtime["calculated_items"] = tuple(
            (item, section.id)
            for section in defn.sections
            for item in answer_items(section.items)
            if item.calculated is not None
        )
    return found


def _resolve(answers: dict[str, Any]) -> Any:
    def resolve(name: str) -> Any:
        head, _, tail = name.partition(".")
        value = answers.get(head)
        if not tail:
            return value
        return value.get(tail) if isinstance(value, dict) else None

    return resolve


def typed_value(item: Item, value: Any) -> Any:
    """``value`` as an answer to ``item`` (None when it does not fit the item's type)."""
    if value is None:
        return None
    if item.type == "number":
        if not is_number(value):
            return None
        try:
            number = Decimal(str(value))
            if not number.is_finite() or abs(number) > ANSWER_NUMBER_LIMIT:
                return None
            if item.integer:
                return int(number.quantize(Decimal(1), rounding=ROUND_HALF_UP))
            rounded = float(f"{float(number):.10g}")
        except (InvalidOperation, OverflowError, ValueError):
            return None
        return int(rounded) if rounded.is_integer() and isinstance(value, int) else rounded
    if item.type == "date":
        text = str(value)[:10]
        return text if _DATE.match(text) else None
    if isinstance(value, bool):
        return None
    if isinstance(value, (str, int, float)):
        text = str(value)
        return text[: item.max_length] if item.max_length else text
    return None


def calculate(item: Item, section_id: str, answers: dict[str, Any], defn: FormDefinition) -> Any:
    """The value of one calculated item over ``answers`` (already without hidden items)."""
    calc = item.calculated
    if calc is None:
        return None
    if calc.is_fhirpath:
        # FHIRPath is slow to evaluate (fhirpathpy: tens of milliseconds), and one request asks
        # for the same answers several times (page, summary, scores): results are remembered
        key = (item.id, json.dumps(answers, sort_keys=True, default=str))
        with _LOCK:  # the web app serves several requests at once
            memo: OrderedDict[tuple[str, str], Any] = defn.runtime.setdefault(
                "fhirpath_results", OrderedDict()
            )
            if key in memo:
                memo.move_to_end(key)
                return memo[key]
        from formengine.answers.fhirpath import evaluate, questionnaire_for, response_for

        resource = response_for(defn, answers)
        context = next((g for g in resource["item"] if g["linkId"] == section_id), None)
        value = typed_value(item, evaluate(calc, resource, context, questionnaire_for(defn)))
        with _LOCK:
            memo[key] = value
            if len(memo) > _MEMO_SIZE:
                memo.popitem(last=False)
        return value
    if calc.expression is None:
        return None
    return typed_value(item, calc.expression.evaluate(_resolve(answers)))


def initial_answers(defn: FormDefinition, today: dt.date | None = None) -> dict[str, Any]:
    """The answers a new response starts with: every top-level item's ``initial`` (``today`` as
    the date), then the calculated items computed from them. The relative may change them."""
    out: dict[str, Any] = {}
    for section in defn.sections:
        for item in answer_items(section.items):
            if item.initial is not None:
                value = item.initial
                if item.type == "date" and value == "today":
                    value = (today or dt.date.today()).isoformat()
                out[item.id] = list(value) if isinstance(value, (list, tuple)) else value
    return out


def apply_calculations(defn: FormDefinition, answers: dict[str, Any], hidden: set[str]) -> dict[str, Any]:
    """``answers`` (without hidden items) with every shown calculated item recomputed.

    Stored values of calculated items are dropped first (never trusted), and an item never sees
    its own value (``answers().value.sum()`` would otherwise count the total itself)."""
    plan = [(item, section) for item, section in calculated_items(defn) if item.id not in hidden]
    if not plan:
        return answers
    out = {k: v for k, v in answers.items() if k not in {item.id for item, _section in plan}}
    for _round in range(len(plan)):
        changed = False
        for item, section in plan:
            value = calculate(item, section, {k: v for k, v in out.items() if k != item.id}, defn)
            if value != out.get(item.id) or (value is None) != (item.id not in out):
                changed = True
                if value is None:
                    out.pop(item.id, None)
                else:
                    out[item.id] = value
        if not changed:
            break
    return out
