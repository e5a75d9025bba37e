"""Helsenorge Refero's scoring rules, re-implemented in Python for the tests.

A line-by-line port of Refero's ``ScoringCalculator`` and ``scoringItemType``:
npm ``@helsenorge/refero`` 22.2.1, ``refero.es.js`` (class ``pL`` = ScoringCalculator, ``Is`` =
scoringItemType, ``Cg`` = createDummySectionScoreItem), the same logic as
github.com/helsenorge/refero ``src/util/scoringCalculator.ts`` at commit
09ec80ab85d0ea0f2f1c17e402762c31ce8e8db4 and ``src/util/scoring.ts`` at
048407bfe201505db0c6c544a088c0a829ee04d1. Only the question/section/total score part
(not the FHIRPath calculated expressions). Used to check that what we export as SS/TS items
makes Refero compute the numbers our scoring does, without a browser.
"""

from __future__ import annotations

from typing import Any

SCORING_FORMULAS = "http://ehelse.no/scoringFormulas"
ORDINAL_VALUE = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
_DUMMY = "refero-dummy-total"  # Refero gives the dummy section score a uuid


def scoring_type(item: dict[str, Any]) -> str:
    """``Is``: QS/SS/TS from the first coding of the scoring-formulas system, else NONE."""
    for coding in item.get("code") or []:
        if (coding.get("system") or "") == SCORING_FORMULAS and coding.get("code") in ("QS", "SS", "TS"):
            return str(coding["code"])
    return "NONE"


class _Scores:  # ``Ds`` (CalculatedScores)
    def __init__(self) -> None:
        self.total: list[dict[str, Any]] = []
        self.section: list[dict[str, Any]] = []
        self.question: list[dict[str, Any]] = []

    def update(self, other: _Scores) -> None:
        self.total += other.total
        self.section += other.section
        self.question += other.question


class ReferoScoring:
    def __init__(self, questionnaire: dict[str, Any]):
        self.section_cache: dict[str, list[dict[str, Any]]] = {}  # a JS Map: insertion order
        self.total_cache: dict[str, bool] = {}
        self.total_item: dict[str, Any] = {}
        self.traverse(questionnaire, 0)

    def traverse(self, node: dict[str, Any], level: int) -> _Scores:
        found = _Scores()
        for child in node.get("item") or []:
            found.update(self.traverse(child, level + 1))
        if level == 0:
            self.total_item = {
                "linkId": _DUMMY,
                "type": "quantity",
                "code": [{"system": SCORING_FORMULAS, "code": "SS"}],
            }
            found.update(self.traverse(self.total_item, level + 1))
        for total in found.total:  # cacheTotalScores
            self.total_cache[total["linkId"]] = True
        if found.section:  # cacheSectionScores
            first = found.section.pop(0)
            self.section_cache[first["linkId"]] = found.question
            for alias in found.section:
                self.section_cache[alias["linkId"]] = [first]
        return self.process(node, found)

    @staticmethod
    def process(node: dict[str, Any], found: _Scores) -> _Scores:
        out = _Scores()
        if "type" not in node:  # the Questionnaire itself
            return out
        kind = scoring_type(node)
        if kind == "SS":
            out.section.append(node)
        elif kind == "TS":
            out.total.append(node)
        elif kind == "QS":
            out.question += [node, *found.question]
        else:
            out.question += found.question
        return out

    def calculate(self, response: dict[str, Any]) -> dict[str, float | None]:
        """``calculateScore``: {SS/TS linkId: score or None (Refero's undefined)}."""
        pad: dict[str, float | None] = {}
        for link in list(self.section_cache):
            pad[link] = self.section_score(link, response, pad)
        for link in self.total_cache:
            pad[link] = self.section_score(self.total_item["linkId"], response, pad)
        pad.pop(self.total_item["linkId"], None)
        return pad

    def section_score(
        self, link: str, response: dict[str, Any], pad: dict[str, float | None]
    ) -> float | None:
        total, any_answer = 0.0, False
        for item in self.section_cache.get(link) or []:
            value = self.value_of(item, response, pad)
            if value is not None:
                total += value
                any_answer = True
        return total if any_answer else None

    def value_of(
        self, item: dict[str, Any], response: dict[str, Any], pad: dict[str, float | None]
    ) -> float | None:
        kind = scoring_type(item)
        if kind == "SS":
            return (
                pad[item["linkId"]]
                if item["linkId"] in pad
                else self.section_score(item["linkId"], response, pad)
            )
        if kind == "QS":
            return self.question_score(item, response)
        return None

    def question_score(self, item: dict[str, Any], response: dict[str, Any]) -> float | None:
        total, any_answer = 0.0, False
        for qr_item in _items_with_link(item["linkId"], response.get("item") or []):
            for answer in qr_item.get("answer") or []:
                option = _answer_match(answer, item)
                if option is not None:
                    total += _option_score(option)
                    any_answer = True
        return total if any_answer else None


def _items_with_link(link: str, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``getQuestionnaireResponseItemsWithLinkId(linkId, items, true)``: nested items and answers' items too."""
    out = []
    for item in items:
        if item.get("linkId") == link:
            out.append(item)
        out += _items_with_link(link, item.get("item") or [])
        for answer in item.get("answer") or []:
            out += _items_with_link(link, answer.get("item") or [])
    return out


def _answer_match(answer: dict[str, Any], item: dict[str, Any]) -> dict[str, Any] | None:
    coding = answer.get("valueCoding")
    if not coding or not item.get("answerOption"):
        return None
    for option in item["answerOption"]:
        own = option.get("valueCoding") or {}
        if own.get("code") == coding.get("code") and own.get("system") == coding.get("system"):
            return option
    return None


def _option_score(option: dict[str, Any]) -> float:
    """``getOptionScore``: ordinalValue on the option's valueCoding; 0 without one (or when 0)."""
    for ext in (option.get("valueCoding") or {}).get("extension") or []:
        if ext.get("url") == ORDINAL_VALUE:
            return ext.get("valueDecimal") or 0
    return 0


CALCULATED_EXPRESSION = "http://ehelse.no/fhir/StructureDefinition/sdf-calculatedExpression"
_COMPILED: dict[str, Any] = {}


def fhirpath_scores(questionnaire: dict[str, Any], response: dict[str, Any]) -> dict[str, Any]:
    """Refero's FHIRPath scores (``bg.calculateFhirScore`` / ``evaluateExpression`` in 22.2.1) for
    ``quantity`` and ``decimal`` items: {linkId: value or None}. fhirpathpy with the R4 model stands
    in for fhirpath.js; the expression gets the response as its input (``%context``), as in Refero."""
    from fhirpathpy import compile as compile_path
    from fhirpathpy.models import models

    out: dict[str, Any] = {}

    def walk(items: list[dict[str, Any]]) -> None:
        for item in items:
            walk(item.get("item") or [])
            for ext in item.get("extension") or []:
                if ext.get("url") == CALCULATED_EXPRESSION and ext.get("valueString"):
                    path = _COMPILED.get(ext["valueString"])
                    if path is None:
                        path = _COMPILED[ext["valueString"]] = compile_path(ext["valueString"], models["r4"])
                    result = path(response)
                    value = result[0] if result else None
                    if item["type"] == "decimal" and value == 0:  # Refero: a decimal 0 stays blank
                        value = None
                    out[item["linkId"]] = None if value is None else float(value)

    walk(questionnaire.get("item") or [])
    return out
