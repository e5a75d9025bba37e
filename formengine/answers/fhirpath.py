"""FHIRPath calculations: a QuestionnaireResponse built from the answers, evaluated with fhirpathpy.

The response mirrors the form: one ``group`` per section (linkId = section id) holding its
items (linkId = item id; a matrix is a group of ``matrix.row`` items, a repeat one group per
entry). Answers are typed as FHIR writes them: numbers as ``valueInteger``/``valueDecimal``,
choices as ``valueCoding`` (code = option value) carrying the option's score as the
``ordinalValue`` and ``itemWeight`` extensions, a plain yes/no as ``valueBoolean``, text as
``valueString``, dates as ``valueDate``. ``%resource`` is the response, ``%context`` the
section group of the calculated item, ``%questionnaire`` the items with their answer options
and scores, and each variable is evaluated in order before the calculation. The SDC functions ``weight()`` and ``ordinal()`` read the score extensions, and
``answers()`` gives every answer at any depth.
Evaluation never raises: an expression that fails on the data gives no value.
"""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal
from functools import lru_cache
from typing import Any

from formengine.definition.calculation import Calculation, answer_items
from formengine.definition.model import FormDefinition, Item

ORDINAL_VALUE = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
ITEM_WEIGHT = "http://hl7.org/fhir/StructureDefinition/itemWeight"
_SCORE_URLS = (ITEM_WEIGHT, ORDINAL_VALUE)
log = logging.getLogger(__name__)


def _weights(inputs: list[Any]) -> list[Any]:
    """SDC ``weight()``/``ordinal()``: the score extension of each coding (or answer) given."""
    out = []
    for value in inputs:
        if not isinstance(value, dict):
            continue
        for ext in value.get("extension") or []:
            if isinstance(ext, dict) and ext.get("url") in _SCORE_URLS:
                out.append(ext.get("valueDecimal", ext.get("valueInteger")))
                break
    return out


def _every_answer(inputs: list[Any]) -> list[Any]:
    """SDC ``answers()``: every answer of the given response or items, at any depth (under
    ``item`` and under ``answer.item``), typed so that ``.value`` finds ``valueCoding`` etc."""
    from fhirpathpy.engine.nodes import ResourceNode

    found: list[dict[str, Any]] = []

    def walk(items: Any) -> None:
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict):
                for answer in item.get("answer") or []:
                    if isinstance(answer, dict):
                        found.append(answer)
                        walk(answer.get("item"))
                walk(item.get("item"))

    for value in inputs:
        if isinstance(value, dict):
            walk([value] if "linkId" in value else value.get("item"))
    return [ResourceNode.create_node(a, "QuestionnaireResponse.item.answer") for a in found]  # type: ignore[no-untyped-call]


def _numbers(inputs: list[Any]) -> list[Any]:
    values = [v.get("value") if isinstance(v, dict) else v for v in inputs]  # a Quantity by its value
    if not all(isinstance(v, (int, float, Decimal)) and not isinstance(v, bool) for v in values):
        raise ValueError("an aggregate of values that are not all numbers")
    return values


def _aggregate(pick: Any, empty: list[Any]) -> Any:
    # fhirpathpy 2.2.4's own sum()/min()/max()/avg() fail on values read from the response
    # (wrapped nodes), so these take the plain values; FHIRPath: the sum of nothing is 0
    return lambda inputs: [pick(_numbers(inputs))] if inputs else empty


_OPTIONS = {
    "userInvocationTable": {
        "weight": {"fn": _weights, "arity": {0: []}},
        "ordinal": {"fn": _weights, "arity": {0: []}},
        "answers": {"fn": _every_answer, "arity": {0: []}},
        "sum": {"fn": _aggregate(sum, [0]), "arity": {0: []}},
        "min": {"fn": _aggregate(min, []), "arity": {0: []}},
        "max": {"fn": _aggregate(max, []), "arity": {0: []}},
        "avg": {"fn": _aggregate(lambda v: sum(v) / len(v), []), "arity": {0: []}},
    }
}


def _plain_yes_no(item: Item) -> bool:
    return item.type == "yes_no" and [o.value for o in item.options] == ["yes", "no"] and not item.scored


def _coding(item: Item, value: str) -> dict[str, Any]:
    coding: dict[str, Any] = {"code": value}
    option = item.option(value)
    if option is not None:
        coding["display"] = option.label.get()
        if option.score is not None:
            coding["extension"] = [
                {"url": url, "valueDecimal": option.score} for url in (ITEM_WEIGHT, ORDINAL_VALUE)
            ]
    return coding


def _answers(item: Item, value: Any) -> list[dict[str, Any]]:
    if value is None or value == "" or value == []:
        return []
    if item.type == "number" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return [{"valueInteger" if isinstance(value, int) else "valueDecimal": value}]
    if item.type == "date" and isinstance(value, str):
        return [{"valueDate": value}]
    if item.type in ("text", "long_text") and isinstance(value, str):
        return [{"valueString": value}]
    if _plain_yes_no(item) and value in ("yes", "no"):
        return [{"valueBoolean": value == "yes"}]
    values = value if isinstance(value, list) else [value]
    return [{"valueCoding": _coding(item, v)} for v in values if isinstance(v, str)]


def _entry(item: Item, value: Any) -> list[dict[str, Any]]:
    if item.type == "matrix" and isinstance(value, dict):
        rows = [
            {"linkId": f"{item.id}.{row.id}", "answer": _answers(item, value.get(row.id))}
            for row in item.rows
            if value.get(row.id) is not None
        ]
        return [{"linkId": item.id, "item": rows}] if rows else []
    if item.type == "repeat" and isinstance(value, list):
        out = []
        for each in value:
            if isinstance(each, dict):
                children = [e for child in item.items for e in _entry(child, each.get(child.id))]
                out.append({"linkId": item.id, "item": children})
        return out
    answers = _answers(item, value)
    return [{"linkId": item.id, "answer": answers}] if answers else []


def response_for(defn: FormDefinition, answers: dict[str, Any]) -> dict[str, Any]:
    """A QuestionnaireResponse (JSON) of ``answers`` as FHIRPath calculations see them."""
    groups = []
    for section in defn.sections:
        items = [e for item in answer_items(section.items) for e in _entry(item, answers.get(item.id))]
        groups.append({"linkId": section.id, "item": items})
    return {"resourceType": "QuestionnaireResponse", "status": "in-progress", "item": groups}


def _option(item: Item, value: str) -> dict[str, Any]:
    """An answerOption: the coding, with the score on the option (as LHC-Forms and Refero put it)."""
    coding = _coding(item, value)
    scores = coding.pop("extension", None)
    return {"valueCoding": coding, **({"extension": scores} if scores else {})}


def questionnaire_for(defn: FormDefinition) -> dict[str, Any]:
    """The ``%questionnaire`` calculations see: the items with their answer options (code = option
    value, the score as ``ordinalValue`` and ``itemWeight`` on the option), grouped as in
    :func:`response_for`."""
    cached = defn.runtime.get("fhirpath_questionnaire")
    if cached is not None:
        return cached  # type: ignore[no-any-return]

    def entry(item: Item) -> dict[str, Any]:
        out: dict[str, Any] = {"linkId": item.id}
        if item.options:
            out["answerOption"] = [_option(item, o.value) for o in item.options]
            if item.type == "matrix":
                out["item"] = [
                    {"linkId": f"{item.id}.{r.id}", "answerOption": out.pop("answerOption")}
                    for r in item.rows
                ]
        if item.items:
            out["item"] = [entry(child) for child in item.items]
        return out

    groups = [{"linkId": s.id, "item": [entry(i) for i in answer_items(s.items)]} for s in defn.sections]
    found = defn.runtime["fhirpath_questionnaire"] = {"resourceType": "Questionnaire", "item": groups}
    return found


def _plain(value: Any) -> Any:
    """A fhirpathpy result value as plain JSON-like Python (Decimal → int/float, dates → text)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, dict) and "value" in value:  # a Quantity
        return _plain(value["value"])
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    text = str(value) if value is not None else None
    return text or None


@lru_cache(maxsize=512)
def _compiled(source: str) -> Any:
    """A FHIRPath expression parsed once (parsing costs far more than evaluating)."""
    from fhirpathpy import compile as fhirpath
    from fhirpathpy.models import models

    return fhirpath(source, models["r4"], _OPTIONS)


def evaluate(
    calc: Calculation,
    resource: dict[str, Any],
    context: dict[str, Any] | None,
    questionnaire: dict[str, Any] | None = None,
) -> Any:
    """The value of a FHIRPath calculation (None when it has none, several, or fails on the data)."""
    env: dict[str, Any] = {"resource": resource, "context": context or resource}
    if questionnaire is not None:
        env["questionnaire"] = questionnaire
    try:
        for name, source in calc.variables:
            env[name] = _compiled(source)(resource, env)
        result = _compiled(calc.source)(resource, env)
    except Exception as exc:  # noqa: BLE001 - fhirpathpy raises many kinds of errors on data
        log.info("FHIRPath calculation gave no value: %s", exc)
        return None
    values = [v for v in (result if isinstance(result, list) else [result]) if v is not None]
    return _plain(values[0]) if len(values) == 1 else None
