"""Give an export of an imported form back its source's linkIds, codes and nesting.

A form imported from another system keeps, under ``fhir:`` (:mod:`formengine.definition.fhir_meta`),
each item's source linkId and codes, each option's source Coding, the source canonical url,
where an item was nested (``under``: a group or a question of the source) and which section the
import made up for loose top-level items (``top_level``). :func:`to_source` rewrites an exported
Questionnaire or QuestionnaireResponse with them, so that the source system reads it unchanged:
``q_29463_7`` → ``/29463-7``, ``la11871_3`` → ``LA11871-3`` (with system ``http://loinc.org``).
A form without any ``fhir:`` key is left exactly as it was exported.
"""

from __future__ import annotations

import re
from typing import Any

from formengine.definition.fhir_meta import FhirItem
from formengine.definition.model import FormDefinition, Item, Section
from formengine.fhir.common import UNIT


def has_source(defn: FormDefinition) -> bool:
    """True when ``defn`` was imported with source linkIds or codes (it then exports with them)."""
    return (
        defn.fhir is not None
        or any(s.fhir is not None for s in defn.sections)
        or any(i.fhir is not None or any(o.fhir for o in i.options) for i in defn.iter_items())
    )


class _Source:
    def __init__(self, defn: FormDefinition, response: bool):
        self.defn = defn
        self.response = response
        self.owners: dict[str, Section | Item] = {s.id: s for s in defn.sections}
        self.owners.update(defn.items_by_id)
        self.link = {ident: _link(owner) for ident, owner in self.owners.items()}
        self.meta: dict[str, FhirItem] = {
            self.link[ident]: owner.fhir for ident, owner in self.owners.items() if owner.fhir is not None
        }

    def coding(self, item_id: str, coding: dict[str, Any]) -> dict[str, Any]:
        """The source Coding for our ``coding`` (an answer or option of item ``item_id``)."""
        owner = self.owners.get(item_id)
        option = owner.option(str(coding.get("code"))) if isinstance(owner, Item) else None
        if option is None or option.fhir is None:
            return coding
        out = option.fhir.as_json()
        if "display" not in out and coding.get("display"):
            out["display"] = coding["display"]
        return out

    def rewrite(self, node: dict[str, Any]) -> None:
        """Map one item (and everything in it) to the source's linkIds and codes."""
        ours = str(node.get("linkId", ""))
        if ours in self.link:
            node["linkId"] = self.link[ours]
            owner = self.owners[ours]
            if not self.response and owner.fhir is not None and owner.fhir.codes:
                node["code"] = [c.as_json() for c in owner.fhir.codes]
        for option in node.get("answerOption") or []:
            if isinstance(option.get("valueCoding"), dict):
                option["valueCoding"] = self.coding(ours, option["valueCoding"])
        self.expressions(node)
        meta = self.owners[ours].fhir if ours in self.owners else None
        if meta is not None and meta.type == "quantity":
            self.quantity(node, meta)
        if meta is not None and meta.unit is not None and not self.response:
            for ext in node.get("extension") or []:
                if ext.get("url") == UNIT:
                    ext["valueCoding"] = meta.unit.as_json()
        for answer in node.get("answer") or []:
            if isinstance(answer.get("valueCoding"), dict):
                answer["valueCoding"] = self.coding(ours, answer["valueCoding"])
            for child in answer.get("item") or []:
                self.rewrite(child)
        for condition in node.get("enableWhen") or []:
            question = str(condition.get("question", ""))
            if isinstance(condition.get("answerCoding"), dict):
                condition["answerCoding"] = self.coding(question, condition["answerCoding"])
            condition["question"] = self.link.get(question, question)
        for child in node.get("item") or []:
            self.rewrite(child)

    def unwrap(self, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """A repeating question with questions under it was imported as a repeat group around it
        (``…_entries``): give it back as the question, repeated, its followers under each answer."""
        out = []
        for node in items:
            if node.get("item"):
                node["item"] = self.unwrap(node["item"])
            for answer in node.get("answer") or []:
                if answer.get("item"):
                    answer["item"] = self.unwrap(answer["item"])
            owner = self.owners.get(str(node.get("linkId", "")))
            if not (
                isinstance(owner, Item)
                and owner.type == "repeat"
                and owner.id.endswith(ENTRIES_SUFFIX)
                and owner.items
                and owner.items[0].type != "group"
            ):
                out.append(node)
                continue
            first = owner.items[0].id
            children = node.get("item") or []
            question = next((c for c in children if c.get("linkId") == first), None)
            rest = [c for c in children if c is not question]
            if question is None or (self.response and not question.get("answer")):
                out.append(node)  # nothing to hang the followers on: left as the group
            elif self.response:  # one item, one answer per entry (FHIR: answer.item holds its followers)
                if rest:
                    question["answer"][0].setdefault("item", []).extend(rest)
                before = out[-1] if out else None
                if before is not None and before.get("linkId") == question["linkId"] and before.get("answer"):
                    before["answer"] += question["answer"]
                else:
                    out.append(question)
            else:
                question["repeats"] = True
                if rest:
                    question.setdefault("item", []).extend(rest)
                out.append(question)
        return out

    def expressions(self, node: dict[str, Any]) -> None:
        """FHIRPath in extensions (calculatedExpression, variable …) names the source's linkIds."""
        for ext in node.get("extension") or []:
            value = ext.get("valueExpression") if isinstance(ext, dict) else None
            if isinstance(value, dict) and isinstance(value.get("expression"), str):
                value["expression"] = _LINK_IN_PATH.sub(
                    lambda m: f"linkId{m.group(1)}'{self.link.get(m.group(2), m.group(2))}'",
                    value["expression"],
                )

    def quantity(self, node: dict[str, Any], meta: FhirItem) -> None:
        """A number item that was a FHIR quantity: type quantity, answers as valueQuantity."""
        unit = meta.unit.as_json() if meta.unit is not None else {}
        if not self.response:
            node["type"] = "quantity"
            return
        for answer in node.get("answer") or []:
            for key in ("valueDecimal", "valueInteger"):
                if key in answer:
                    value = {"value": answer.pop(key)}
                    if unit:
                        value["unit"] = unit.get("display") or unit["code"]
                        value.update({k: unit[k] for k in ("system", "code") if k in unit})
                    answer["valueQuantity"] = value

    def value_set(self, vs: dict[str, Any], users: list[str]) -> None:
        """Give a contained ValueSet (shared options) the source codes of the items that use it."""
        if not users:
            return
        for include in (vs.get("compose") or {}).get("include") or []:
            systems = set()
            for concept in include.get("concept") or []:
                mapped = self.coding(users[0], {"code": concept.get("code")})
                concept["code"] = mapped["code"]
                systems.add(mapped.get("system"))
            if len(systems) == 1 and None not in systems:
                include["system"] = systems.pop()
        for entry in (vs.get("expansion") or {}).get("contains") or []:
            mapped = self.coding(users[0], {"code": entry.get("code")})
            entry["code"] = mapped["code"]
            if mapped.get("system"):
                entry["system"] = mapped["system"]

    def nest(self, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Put items back under the source group or question they were flattened out of."""
        out: list[dict[str, Any]] = []
        by_link: dict[str, dict[str, Any]] = {}

        def place(node: dict[str, Any], under: str | None) -> None:
            if under and under not in by_link:  # a group the export has no item for: make one
                group: dict[str, Any] = (
                    {"linkId": under} if self.response else {"linkId": under, "type": "group"}
                )
                place(group, self.meta[under].under if under in self.meta else None)
                by_link[under] = group
            (self.children(by_link[under]) if under else out).append(node)

        for node in items:
            if node.get("item"):  # what the export already nested (sections, repeat entries)
                node["item"] = self.nest(node["item"])
            for answer in node.get("answer") or []:
                if answer.get("item"):
                    answer["item"] = self.nest(answer["item"])
            link = str(node.get("linkId", ""))
            place(node, self.meta[link].under if link in self.meta else None)
            by_link.setdefault(link, node)
        return out

    def children(self, parent: dict[str, Any]) -> list[dict[str, Any]]:
        """Where a nested item goes: a question's first answer (FHIR's answer.item) or a group's item."""
        if self.response and parent.get("answer"):
            return parent["answer"][0].setdefault("item", [])  # type: ignore[no-any-return]
        if not self.response and parent.get("type") == "display":
            parent["type"] = "group"  # a heading that was a note is the group again
        return parent.setdefault("item", [])  # type: ignore[no-any-return]


# the id ending of the repeat group around a repeating question (import_items.ENTRIES_SUFFIX)
ENTRIES_SUFFIX = "_entries"
_LINK_IN_PATH = re.compile(r"linkId(\s*=\s*)'([^']*)'")


def _link(owner: Section | Item) -> str:
    return owner.fhir.link_id if owner.fhir is not None and owner.fhir.link_id else owner.id


def to_source(defn: FormDefinition, resource: dict[str, Any]) -> dict[str, Any]:
    """Rewrite an exported Questionnaire or QuestionnaireResponse of ``defn`` in its source's terms."""
    if not has_source(defn):
        return resource
    response = resource.get("resourceType") == "QuestionnaireResponse"
    source = _Source(defn, response)
    top_level = {s.id for s in defn.sections if s.fhir is not None and s.fhir.top_level}
    users: dict[str, list[str]] = {}
    for item in defn.iter_items():  # the items that use each contained ValueSet, in form order
        users.setdefault(_value_set_of(resource, item.id), []).append(item.id)
    items: list[dict[str, Any]] = []
    for node in resource.get("item") or []:
        items += node.get("item") or [] if node.get("linkId") in top_level else [node]
    items = source.unwrap(items)
    for node in items:
        source.rewrite(node)
    source.expressions(resource)  # form-level variables
    for vs in resource.get("contained") or []:
        source.value_set(vs, users.get("#" + str(vs.get("id")), []))
    nested = source.nest(items)
    out = {k: v for k, v in resource.items() if k != "item"}
    if nested:
        out["item"] = nested
    if defn.fhir is not None and defn.fhir.url:
        if response:
            out["questionnaire"] = defn.fhir.canonical
        else:
            out["url"] = defn.fhir.url
            out["version"] = defn.fhir.version or defn.version
    return out


def _value_set_of(resource: dict[str, Any], item_id: str) -> str:
    """The answerValueSet of our item ``item_id`` in an exported Questionnaire ('' when none)."""
    stack = list(resource.get("item") or [])
    while stack:
        node = stack.pop()
        if node.get("linkId") == item_id:
            return str(node.get("answerValueSet") or "")
        stack += node.get("item") or []
    return ""
