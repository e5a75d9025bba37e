"""Export a form definition as a FHIR R4 Questionnaire (plain JSON dict).

Sections and groups become ``group`` items (nested as in the form), repeat groups ``group`` with ``repeats: true``, a matrix a
``group`` (itemControl ``table``) holding one ``choice`` per row (linkId ``matrix.row``), a
cards item a ``group`` per card with a ``choice`` per column (:mod:`formengine.fhir.cards`),
notes ``display`` items and help texts ``display`` children with itemControl ``help``.
Option scores travel as ``itemWeight`` and ``ordinalValue`` on ``answerOption``; texts in
other languages as ``translation`` extensions. The exact formengine type rides along in
a formengine extension so that our own import restores it; other tools ignore it.
Not carried: scales, bands, flags, gaps, offers, contacts, ``required_if``, ``constraint``, option
groups (headings over options; the answer does not depend on them).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from formengine.definition import item_types as it
from formengine.definition.model import FormDefinition, Item, Option, Row, Section, Text
from formengine.expressions.parser import Expression
from formengine.fhir.calculated import calculation_extensions, initial_keys
from formengine.fhir.common import (
    FE_CONVERSATION_ONLY,
    FE_DATE_LIMIT,
    FE_ITEM_TYPE,
    FE_NOT_APPLICABLE,
    FHIR_LANG,
    ITEM_WEIGHT,
    MAX_OCCURS,
    MAX_VALUE,
    MIN_OCCURS,
    MIN_VALUE,
    OPTION_EXCLUSIVE,
    ORDINAL_VALUE,
    UNIT,
    control_extension,
    put_text,
    questionnaire_url,
)
from formengine.fhir.conditions import enable_when
from formengine.fhir.scores import plan_scores, question_score_code, score_item
from formengine.fhir.source import to_source

_SIMPLE = {"text": "string", "long_text": "text", "date": "date"}


class _Exporter:
    def __init__(self, defn: FormDefinition, fhirpath_scores: bool = False):
        self.defn = defn
        self.lang = defn.default_language
        self.url = questionnaire_url(defn.id)
        self.system = self.url + "/options"
        # option lists used by more than one choice item (matrix rows, cards columns, option
        # sets) become one contained ValueSet each; the items point at it with answerValueSet
        self.shared = _shared_option_lists(defn)
        self.value_sets: dict[tuple[Any, ...], dict[str, Any]] = {}
        # scales Refero computes exactly: QS codes on their questions, SS/TS items (fhir.scores)
        self.scores = plan_scores(defn, fhirpath_scores)

    def choices(self, owner_id: str, options: Sequence[Option], out: dict[str, Any]) -> None:
        """Give a choice item its options: a contained ValueSet when shared, else answerOption.

        A question score (QS) always gets answerOption: Refero scores only those."""
        key = _options_key(options)
        if out.get("linkId") in self.scores.question_scores:
            out["code"] = question_score_code()
            out["answerOption"] = [self.option(o) for o in options]
            return
        if key not in self.shared or any(o.exclusive for o in options):  # optionExclusive: answerOption only
            out["answerOption"] = [self.option(o) for o in options]
            return
        if key not in self.value_sets:
            self.value_sets[key] = self.value_set(
                f"vs-{owner_id}".replace(".", "-").replace("_", "-"), options
            )
        out["answerValueSet"] = "#" + self.value_sets[key]["id"]

    def value_set(self, ident: str, options: Sequence[Option]) -> dict[str, Any]:
        """A contained ValueSet: ``compose`` (Refero, our import: translations as designations,
        scores and not-applicable as extensions) and ``expansion`` (LHC-Forms: code, display, score)."""
        concepts, contains = [], []
        for opt in options:
            concept: dict[str, Any] = {"code": opt.value, "display": opt.label.get(self.lang)}
            entry: dict[str, Any] = {"system": self.system, "code": opt.value, "display": concept["display"]}
            designations = [
                {"language": FHIR_LANG.get(lang, lang), "value": text}
                for lang, text in opt.label.values
                if lang != self.lang and text
            ]
            if designations:
                concept["designation"] = designations
            ext = []
            if opt.score is not None:
                ext.append({"url": ORDINAL_VALUE, "valueDecimal": opt.score})
                entry["extension"] = [{"url": ORDINAL_VALUE, "valueDecimal": opt.score}]
            if opt.not_applicable:
                ext.append({"url": FE_NOT_APPLICABLE, "valueBoolean": True})
            if ext:
                concept["extension"] = ext
            concepts.append(concept)
            contains.append(entry)
        return {
            "resourceType": "ValueSet",
            "id": ident,
            "status": "active",
            "compose": {"include": [{"system": self.system, "concept": concepts}]},
            "expansion": {"timestamp": EXPANSION_TIMESTAMP, "contains": contains},
        }

    def text(self, target: dict[str, Any], key: str, text: Text) -> None:
        put_text(target, key, text, self.lang)

    def help(self, owner_id: str, text: Text) -> list[dict[str, Any]]:
        if not text:
            return []
        entry = {"linkId": f"{owner_id}.help", "type": "display", "extension": [control_extension("help")]}
        self.text(entry, "text", text)
        return [entry]

    def option(self, opt: Option) -> dict[str, Any]:
        coding: dict[str, Any] = {"system": self.system, "code": opt.value}
        self.text(coding, "display", opt.label)
        out: dict[str, Any] = {"valueCoding": coding}
        ext = []
        if opt.score is not None:
            # on the coding for Refero and Helsenorge's forms, on the option for LHC-Forms
            coding["extension"] = [{"url": ORDINAL_VALUE, "valueDecimal": opt.score}]
            ext += [
                {"url": ITEM_WEIGHT, "valueDecimal": opt.score},
                {"url": ORDINAL_VALUE, "valueDecimal": opt.score},
            ]
        if opt.not_applicable:
            ext.append({"url": FE_NOT_APPLICABLE, "valueBoolean": True})
        if opt.exclusive:
            ext.append({"url": OPTION_EXCLUSIVE, "valueBoolean": True})
        if ext:
            out["extension"] = ext
        return out

    def section(self, section: Section) -> dict[str, Any]:
        out: dict[str, Any] = {"linkId": section.id, "type": "group"}
        self.text(out, "text", section.title)
        out.update(self.conditions(section.show_if))
        out["item"] = self.help(section.id, section.description) + [self.item(i) for i in section.items]
        out["item"] += [score_item(s, self.defn, self.text) for s in self.scores.in_section(section.id)]
        return out

    def conditions(self, show_if: Expression | None) -> dict[str, Any]:
        return enable_when(self.defn, show_if, self.system)

    def item(self, item: Item) -> dict[str, Any]:
        out: dict[str, Any] = {"linkId": item.id, "type": "display"}
        ext: list[dict[str, Any]] = [{"url": FE_ITEM_TYPE, "valueCode": item.type}]
        if item.type == "note":
            self.text(out, "text", item.text or item.label)
        else:
            self.text(out, "text", item.label)
            if item.required:
                out["required"] = True
            if item.read_only:
                out["readOnly"] = True
            ext += self.typed(item, out)
            ext += calculation_extensions(item)
            keys, more = initial_keys(item, self.system)
            out.update(keys)
            ext += more
        if item.conversation_only_default:
            ext.append({"url": FE_CONVERSATION_ONLY, "valueCode": "default"})
        elif item.conversation_only:
            ext.append({"url": FE_CONVERSATION_ONLY, "valueBoolean": True})
        cond = self.conditions(item.show_if)
        ext += cond.pop("extension", [])
        out.update(cond)
        out["extension"] = ext
        children = out.pop("item", [])
        children = self.help(item.id, item.help) + children
        if children:
            out["item"] = children
        return out

    def typed(self, item: Item, out: dict[str, Any]) -> list[dict[str, Any]]:
        """Fill in type-specific keys; return extra extensions."""
        kind = item.type
        if kind in _SIMPLE:
            out["type"] = _SIMPLE[kind]
            if item.max_length and kind != "date":
                out["maxLength"] = item.max_length
            return self.date_limits(item) if kind == "date" else []
        if kind == "number":
            return self.number(item, out)
        if kind == "matrix":
            # A group of choice rows, without itemControl "table": LHC-Forms draws "table" as a
            # grid, but Helsenorge Refero draws it as a read-only summary, so nobody could answer.
            out["type"] = "group"
            out["item"] = [self.row(item, row) for row in item.rows]
            return []
        if kind == "cards":
            from formengine.fhir.cards import questionnaire_cards

            return questionnaire_cards(self, item, out)
        if kind == "group":  # nested groups stay nested; the group's enableWhen hides all it holds
            out.update(type="group", item=[self.item(child) for child in item.items])
            return []
        if kind == "repeat":
            out.update(type="group", repeats=True, item=[self.item(child) for child in item.items])
            ext = [{"url": MAX_OCCURS, "valueInteger": int(item.max)}] if item.max is not None else []
            if item.min:
                ext.append({"url": MIN_OCCURS, "valueInteger": int(item.min)})
            return ext
        # yes_no too is a choice: a FHIR boolean would show the renderer's own "Yes / No" labels
        out["type"] = "choice"
        self.choices(item.id, item.options, out)
        if kind in it.LIST_CHOICE_TYPES:
            # check-box: Refero shows a repeating choice without it as a repeated question
            out["repeats"] = True
            ext = [control_extension("check-box")]
            if item.max_choices:
                ext.append({"url": MAX_OCCURS, "valueInteger": int(item.max_choices)})
            return ext
        return []

    def row(self, item: Item, row: Row) -> dict[str, Any]:
        out: dict[str, Any] = {"linkId": f"{item.id}.{row.id}", "type": "choice"}
        self.text(out, "text", row.label)
        if item.required:
            out["required"] = True
        self.choices(item.id, item.options, out)
        return out

    def number(self, item: Item, out: dict[str, Any]) -> list[dict[str, Any]]:
        out["type"] = "integer" if item.integer else "decimal"
        key = "valueInteger" if item.integer else "valueDecimal"
        ext: list[dict[str, Any]] = []
        for url, value in ((MIN_VALUE, item.min), (MAX_VALUE, item.max)):
            if value is not None:
                ext.append({"url": url, key: int(value) if item.integer else value})
        if item.unit:
            coding: dict[str, Any] = {}
            self.text(coding, "display", item.unit)
            ext.append({"url": UNIT, "valueCoding": coding})
        return ext

    def date_limits(self, item: Item) -> list[dict[str, Any]]:
        ext: list[dict[str, Any]] = []
        for url, value in ((MIN_VALUE, item.min), (MAX_VALUE, item.max)):
            if value == "today":  # a dynamic limit: R4 minValue cannot hold it (the models refuse _valueDate)
                ext.append(
                    {
                        "url": FE_DATE_LIMIT[url],
                        "valueExpression": {"language": "text/fhirpath", "expression": "today()"},
                    }
                )
            elif value is not None:
                ext.append({"url": url, "valueDate": value})
        return ext


def export_questionnaire(defn: FormDefinition, fhirpath_scores: bool = False) -> dict[str, Any]:
    """Return ``defn`` as a FHIR R4 Questionnaire (JSON-ready dict)."""
    exporter = _Exporter(defn, fhirpath_scores)
    out: dict[str, Any] = {
        "resourceType": "Questionnaire",
        "id": f"{defn.id}-{defn.version}",
        "language": FHIR_LANG.get(defn.default_language, defn.default_language),
        "url": exporter.url,
        "version": defn.version,
        "name": "".join(part.capitalize() for part in defn.id.split("-")),
    }
    exporter.text(out, "title", defn.title)
    out["status"] = defn.status
    if defn.description:
        exporter.text(out, "description", defn.description)
    out["item"] = [exporter.section(s) for s in defn.sections]
    if exporter.value_sets:
        contained = list(exporter.value_sets.values())
        out = {
            **{k: v for k, v in out.items() if k in ("resourceType", "id", "language")},
            "contained": contained,
            **{k: v for k, v in out.items() if k not in ("resourceType", "id", "language")},
        }
    return to_source(defn, out)  # an imported form: the source's linkIds and codes (fhir_meta)


# an expansion needs a timestamp; ours is fixed so that an export is reproducible
EXPANSION_TIMESTAMP = "2025-01-01T00:00:00Z"


def _options_key(options: Sequence[Option]) -> tuple[Any, ...]:
    return tuple((o.value, tuple(o.label.values), o.score, o.not_applicable) for o in options)


def _shared_option_lists(defn: FormDefinition) -> set[tuple[Any, ...]]:
    """The option lists that more than one choice item (matrix row, cards cell) of ``defn`` uses."""
    seen: dict[tuple[Any, ...], int] = {}
    for item in defn.iter_items():
        if item.type == "matrix":
            lists = [item.options] * len(item.rows)
        elif item.type == "cards":
            lists = [c.options for c in item.columns] * len(item.rows)
        elif item.options:
            lists = [item.options]
        else:
            lists = []
        for options in lists:
            key = _options_key(list(options))
            seen[key] = seen.get(key, 0) + 1
    return {key for key, count in seen.items() if count > 1}
