"""Check a QuestionnaireResponse against its Questionnaire, the way a FHIR renderer reads it.

A response that validates with the R4B models can still be dropped by a real renderer: a
``choice`` answered with ``valueString``, a code that is not one of the item's options, an
answer under a group, items out of order. :func:`check_response` reports such problems, each
located by the JSON path of the response element and its linkId:

- every response linkId is an item at the same place (nesting) in the Questionnaire, in the
  Questionnaire's order; ``display`` items carry no answers;
- every answer has the value type its item declares (``choice`` → ``valueCoding`` from the
  ``answerOption``s or the contained ``answerValueSet``; ``boolean`` → ``valueBoolean``, …);
- cardinality: one answer unless ``repeats`` (and at most ``questionnaire-maxOccurs``), one
  occurrence of a non-repeating group, groups answer through ``item``, not ``answer``;
- ``questionnaire`` names the Questionnaire's ``url|version``.

``required`` is not checked: it depends on ``enableWhen``, which needs a full evaluator.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from formengine.fhir.common import MAX_OCCURS, extension_value

_VALUE_KEYS: dict[str, tuple[str, ...]] = {
    "boolean": ("valueBoolean",),
    "decimal": ("valueDecimal",),
    "integer": ("valueInteger",),
    "date": ("valueDate",),
    "dateTime": ("valueDateTime",),
    "time": ("valueTime",),
    "string": ("valueString",),
    "text": ("valueString",),
    "url": ("valueUri",),
    "attachment": ("valueAttachment",),
    "reference": ("valueReference",),
    "quantity": ("valueQuantity",),
}


@dataclass(frozen=True)
class ResponseProblem:
    """One mismatch: where (JSON path in the response, linkId) and what."""

    path: str
    link_id: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path} (linkId '{self.link_id}')" if self.link_id else self.path
        return f"{where}: {self.message}"


def _value_sets(questionnaire: dict[str, Any]) -> dict[str, set[tuple[str | None, str]]]:
    """Map '#id' and url of each contained ValueSet to its (system, code) pairs."""
    out: dict[str, set[tuple[str | None, str]]] = {}
    for resource in questionnaire.get("contained") or []:
        if not isinstance(resource, dict) or resource.get("resourceType") != "ValueSet":
            continue
        codes: set[tuple[str | None, str]] = set()
        for include in (resource.get("compose") or {}).get("include") or []:
            for concept in include.get("concept") or []:
                codes.add((include.get("system"), str(concept.get("code"))))
        for entry in (resource.get("expansion") or {}).get("contains") or []:
            codes.add((entry.get("system"), str(entry.get("code"))))
        for key in ("#" + str(resource.get("id", "")), str(resource.get("url", ""))):
            if key not in ("#", ""):
                out[key] = codes
    return out


def _value_key(answer: dict[str, Any]) -> str | None:
    keys = [k for k in answer if k.startswith("value")]
    return keys[0] if len(keys) == 1 else None


class _Checker:
    def __init__(self, questionnaire: dict[str, Any]):
        self.sets = _value_sets(questionnaire)
        self.problems: list[ResponseProblem] = []

    def add(self, path: str, link_id: str, message: str) -> None:
        self.problems.append(ResponseProblem(path, link_id, message))

    def items(self, q_items: list[Any], r_items: Any, path: str) -> None:
        """Check the response items ``r_items`` against the Questionnaire items ``q_items``."""
        defined = {str(q.get("linkId")): (n, q) for n, q in enumerate(q_items) if isinstance(q, dict)}
        if r_items is None:
            return
        if not isinstance(r_items, list):
            self.add(path, "", "'item' must be a list")
            return
        last, seen = -1, set()
        for n, r_item in enumerate(r_items):
            here = f"{path}[{n}]"
            if not isinstance(r_item, dict):
                self.add(here, "", "an item must be an object")
                continue
            link = str(r_item.get("linkId", ""))
            if link not in defined:
                self.add(here, link, "no item with this linkId at this place in the Questionnaire")
                continue
            position, q_item = defined[link]
            if position < last:
                self.add(here, link, "out of order: the Questionnaire lists this item earlier")
            if link in seen and not (q_item.get("type") == "group" and q_item.get("repeats")):
                self.add(here, link, "appears more than once, but the item does not repeat")
            last = position
            seen.add(link)
            self.item(q_item, r_item, here, link)
        for link in seen:
            q_item = defined[link][1]
            limit = extension_value(q_item, MAX_OCCURS)
            count = sum(1 for r in r_items if isinstance(r, dict) and r.get("linkId") == link)
            if q_item.get("type") == "group" and isinstance(limit, int) and count > limit:
                self.add(
                    path, link, f"{count} occurrences, at most {limit} allowed (questionnaire-maxOccurs)"
                )

    def item(self, q_item: dict[str, Any], r_item: dict[str, Any], path: str, link: str) -> None:
        kind = q_item.get("type")
        children = [c for c in q_item.get("item") or [] if isinstance(c, dict)]
        answers = r_item.get("answer")
        if kind in ("group", "display"):
            if answers:
                self.add(f"{path}.answer", link, f"a {kind} item has no answers")
            if kind == "display" and r_item.get("item"):
                self.add(f"{path}.item", link, "a display item has no child items")
            if kind == "group":
                self.items(children, r_item.get("item"), f"{path}.item")
            return
        if r_item.get("item"):
            self.add(f"{path}.item", link, "the children of a question go under its answer, not under 'item'")
        if answers is None:
            return
        if not isinstance(answers, list):
            self.add(f"{path}.answer", link, "'answer' must be a list")
            return
        limit = extension_value(q_item, MAX_OCCURS)
        if len(answers) > 1 and not q_item.get("repeats"):
            self.add(f"{path}.answer", link, f"{len(answers)} answers, but the item does not repeat")
        elif isinstance(limit, int) and len(answers) > limit:
            self.add(
                f"{path}.answer",
                link,
                f"{len(answers)} answers, at most {limit} allowed (questionnaire-maxOccurs)",
            )
        for n, answer in enumerate(answers):
            here = f"{path}.answer[{n}]"
            if not isinstance(answer, dict):
                self.add(here, link, "an answer must be an object")
                continue
            self.answer(q_item, answer, here, link)
            self.items(children, answer.get("item"), f"{here}.item")

    def answer(self, q_item: dict[str, Any], answer: dict[str, Any], path: str, link: str) -> None:
        kind = str(q_item.get("type"))
        key = _value_key(answer)
        if key is None:
            self.add(path, link, "an answer needs exactly one value[x]")
            return
        if kind in ("choice", "open-choice"):
            self.choice(q_item, answer, key, path, link)
            return
        allowed = _VALUE_KEYS.get(kind)
        if allowed is not None and key not in allowed:
            self.add(f"{path}.{key}", link, f"a {kind} item is answered with {allowed[0]}, not {key}")

    def choice(self, q_item: dict[str, Any], answer: dict[str, Any], key: str, path: str, link: str) -> None:
        options = [o for o in q_item.get("answerOption") or [] if isinstance(o, dict)]
        option_keys = {_value_key(o) for o in options} - {None}
        expected = option_keys or {"valueCoding"}
        kind_open = q_item.get("type") == "open-choice"
        if kind_open:
            expected = expected | {"valueString"}
        if key not in expected:
            wanted = " or ".join(sorted(str(k) for k in expected))
            self.add(
                f"{path}.{key}", link, f"a choice item is answered with {wanted} from its options, not {key}"
            )
            return
        value = answer[key]
        if key != "valueCoding":
            if options and not kind_open and all(o.get(key) != value for o in options):
                self.add(f"{path}.{key}", link, f"{value!r} is not one of the item's answerOptions")
            return
        if not isinstance(value, dict) or not value.get("code"):
            self.add(f"{path}.valueCoding", link, "a Coding needs a code")
            return
        pair = (value.get("system"), str(value.get("code")))
        if options:
            codings = [o["valueCoding"] for o in options if isinstance(o.get("valueCoding"), dict)]
            allowed = {(c.get("system"), str(c.get("code"))) for c in codings}
        else:
            reference = str(q_item.get("answerValueSet") or "")
            if reference not in self.sets:
                self.add(path, link, f"answerValueSet {reference!r} is not contained in the Questionnaire")
                return
            allowed = self.sets[reference]
        if pair not in allowed:
            self.add(
                f"{path}.valueCoding",
                link,
                f"code {pair[1]!r} (system {pair[0]!r}) is not one of the item's options",
            )


def check_response(questionnaire: dict[str, Any], response: dict[str, Any]) -> list[ResponseProblem]:
    """Return the problems of ``response`` measured against ``questionnaire`` (empty: it matches)."""
    checker = _Checker(questionnaire)
    if response.get("resourceType") != "QuestionnaireResponse":
        checker.add("resourceType", "", "expected a QuestionnaireResponse")
        return checker.problems
    url, version = questionnaire.get("url"), questionnaire.get("version")
    wanted = f"{url}|{version}" if version else str(url)
    named = response.get("questionnaire")
    if url and named not in (wanted, url):
        checker.add("questionnaire", "", f"names {named!r}, but the Questionnaire is {wanted!r}")
    checker.items(
        [q for q in questionnaire.get("item") or [] if isinstance(q, dict)], response.get("item"), "item"
    )
    return checker.problems
