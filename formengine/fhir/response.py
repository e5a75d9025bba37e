"""Answers ↔ FHIR QuestionnaireResponse, for a form definition.

Export nests items like the exported Questionnaire: section groups, group items (nested at
any depth) around their items' answers, a matrix group with one child per answered row
(``matrix.row``), one repeated group per repeat entry (holding nested repeats' entries). Choices
are ``valueCoding`` (system = the questionnaire url + ``/options``), a plain yes/no is
``valueBoolean``, multi choice and priority one answer per value in order.
Import reads such a response back into our ANSWERS.json shape; linkIds and codes that do
not match the form are reported as warnings, never silently dropped.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from formengine.answers.conditions import recalculate
from formengine.definition.item_types import ITEM_TYPES
from formengine.definition.model import FormDefinition, Item
from formengine.fhir.common import (
    FHIR_LANG,
    number,
    option_value,
    our_language,
    questionnaire_url,
    sanitise,
    warn,
)
from formengine.fhir.import_items import ENTRIES_SUFFIX
from formengine.fhir.kept import coding_of, reference, restore, unit_of
from formengine.fhir.scores import plan_scores
from formengine.fhir.source import to_source
from formengine.i18n import N_, say


def canonical(defn: FormDefinition) -> str:
    return f"{questionnaire_url(defn.id)}|{defn.version}"


def _answer_values(defn: FormDefinition, item: Item, value: Any) -> list[dict[str, Any]]:
    system = questionnaire_url(defn.id) + "/options"
    if value is None or value == [] or value == "":
        return []
    kind = ITEM_TYPES[item.type].answer
    if kind in ("choice", "choices", "ordered_choices") or item.type == "matrix":
        # a matrix row is a choice item of its own (the matrix options): one valueCoding
        out = []
        for code in value if isinstance(value, list) else [value]:
            opt = item.option(code)
            coding = {"system": system, "code": code}
            if opt is not None and opt.label:
                coding["display"] = opt.label.get(defn.default_language)
            out.append({"valueCoding": coding})
        return out
    if kind == "number":
        return [{"valueInteger": int(value)} if item.integer else {"valueDecimal": value}]
    if kind == "date":
        return [{"valueDate": value}]
    return [{"valueString": value}]


def _response_item(defn: FormDefinition, item: Item, value: Any) -> list[dict[str, Any]]:
    if item.type == "cards":
        from formengine.fhir.cards import response_cards

        return response_cards(defn, item, value)
    if item.type == "matrix":
        rows = [
            {"linkId": f"{item.id}.{row.id}", "answer": _answer_values(defn, item, value.get(row.id))}
            for row in item.rows
            if isinstance(value, dict) and value.get(row.id) is not None
        ]
        return [{"linkId": item.id, "item": rows}] if rows else []
    if item.type == "repeat":
        out = []
        for entry in value or []:
            group: dict[str, Any] = {"linkId": item.id}
            children = _response_items(defn, item.items, entry if isinstance(entry, dict) else {})
            if children:
                group["item"] = children
            out.append(group)
        return out
    answers = _answer_values(defn, item, value)
    return [{"linkId": item.id, "answer": answers}] if answers else []


def _response_items(defn: FormDefinition, items: tuple[Item, ...], answers: dict[str, Any]) -> list[Any]:
    """Response items for ``items`` answered in ``answers`` (the answer set or one repeat entry).

    A group answers nothing itself: it is a group item around its items' answers (left out
    when none is answered), nested as the Questionnaire nests it.
    """
    out: list[Any] = []
    for item in items:
        if item.type == "group":
            children = _response_items(defn, item.items, answers)
            if children:
                out.append({"linkId": item.id, "item": children})
        else:
            out.extend(_response_item(defn, item, answers.get(item.id)))
    return out


def export_response(defn: FormDefinition, document: dict[str, Any]) -> dict[str, Any]:
    """Return an answers document (``{"form", "version", "lang", "answers"}``) as a QuestionnaireResponse."""
    answers = recalculate(defn, document.get("answers", document))  # calculated items: computed, not stored
    lang = document.get("lang") or defn.default_language
    groups = []
    for section in defn.sections:
        children = _response_items(defn, section.items, answers)
        if children:
            groups.append({"linkId": section.id, "item": children})
    out = {
        "resourceType": "QuestionnaireResponse",
        "language": FHIR_LANG.get(lang, lang),
        "questionnaire": canonical(defn),
        "status": "completed",
    }
    if groups:
        out["item"] = groups
    kept = document.get("fhir")
    if isinstance(kept, dict):  # units and codings an imported response gave (formengine.fhir.kept)
        restore(out.get("item"), kept)
        out = to_source(defn, out)  # an imported form: the source's linkIds and codes (fhir_meta)
        out["questionnaire"] = reference(out["questionnaire"], kept)
        return out
    return to_source(defn, out)


def parse_canonical(value: Any) -> tuple[str | None, str | None]:
    """Split ``…/Questionnaire/<id>|<version>`` into (id, version)."""
    if not isinstance(value, str) or not value:
        return None, None
    url, _, version = value.partition("|")
    return url.rstrip("/").rsplit("/", 1)[-1] or None, version or None


_LINK_COMMENT = re.compile(r"^\s*(?:- )?id: ([a-z][a-z0-9_]*)  # linkId: (.+)$")


def linkid_comments(source: str) -> dict[str, str]:
    """Read the ``# linkId: …`` comments an import wrote into a definition file: {linkId: id}."""
    try:
        lines = Path(source).read_text("utf-8").splitlines() if source else []
    except (OSError, UnicodeDecodeError):
        return {}
    return {m.group(2).strip(): m.group(1) for m in map(_LINK_COMMENT.match, lines) if m}


class _Reader:
    def __init__(self, defn: FormDefinition, report: Callable[[str], None] = warn):
        self.defn = defn
        self.report = report
        renamed = {
            link: ident for link, ident in linkid_comments(defn.source).items() if ident in defn.items_by_id
        }
        # an imported item whose id differs from its linkId answers to its linkId only
        self.by_link: dict[str, Item] = {
            item.id: item for item in defn.iter_items() if item.id not in renamed.values()
        }
        self.by_link.update({link: defn.items_by_id[ident] for link, ident in renamed.items()})
        self.by_link.update(
            {i.fhir.link_id: i for i in defn.iter_items() if i.fhir is not None and i.fhir.link_id}
        )
        # a renderer's computed scores (Refero fills in our SS/TS items): not answers
        self.score_links = plan_scores(defn, fhirpath=True).link_ids
        self.problems = 0
        self.units: dict[str, dict[str, str]] = {}  # kept beside the answers (formengine.fhir.kept)
        self.codings: dict[str, list[dict[str, str]]] = {}

    def warn(self, message: str, **args: object) -> None:
        """Print a warning: an English msgid (marked with N_) and its arguments, in the output language."""
        self.problems += 1
        self.report(say(message, **args))

    def find(self, link_id: str) -> Item | None:
        return (
            self.by_link.get(link_id)
            or self.by_link.get(sanitise(link_id))
            or self.defn.items_by_id.get(link_id)
        )

    def code(self, item: Item, answer: dict[str, Any]) -> str | None:
        coding = answer.get("valueCoding")
        if isinstance(coding, dict):
            raw = coding.get("code")
            for option in item.options:  # an imported form answers with the source's codes
                if option.fhir is not None and option.fhir.code == raw:
                    if (
                        not (coding.get("system") and option.fhir.system)
                        or coding["system"] == option.fhir.system
                    ):
                        return option.value
            for candidate in (raw, option_value(raw)):
                if item.option(str(candidate)) is not None:
                    return str(candidate)
            self.warn(
                N_("item '{item}': code {code} is not one of its options; left out"),
                item=item.id,
                code=repr(raw),
            )
            return None
        if "valueBoolean" in answer and item.type == "yes_no":
            return "yes" if answer["valueBoolean"] else "no"
        for key in ("valueString", "valueInteger"):
            if key in answer and item.option(option_value(answer[key])) is not None:
                return option_value(answer[key])
        self.warn(
            N_("item '{item}': answer {answer} does not fit a choice; left out"), item=item.id, answer=answer
        )
        return None

    def value(self, item: Item, answers: list[Any]) -> Any:
        # an answer without a value only carries child items (Refero puts a question's help text
        # there): nothing to read at this level
        answers = [a for a in answers if isinstance(a, dict) and any(k.startswith("value") for k in a)]
        kind = (
            "choice" if item.type == "matrix" else ITEM_TYPES[item.type].answer
        )  # a matrix row is one choice
        if kind in ("choice", "choices", "ordered_choices"):
            codes = [c for c in (self.code(item, a) for a in answers) if c is not None]
            return codes if kind != "choice" else (codes[0] if codes else None)
        for answer in answers[:1]:
            for key, raw in answer.items():
                if key == "valueQuantity" and kind == "number" and isinstance(raw, dict):
                    return self.quantity(item, raw)
                if key == "valueCoding" and kind == "text" and isinstance(raw, dict):
                    return self.coded_text(item, raw)
                if key.startswith("value") and kind == "number":
                    return number(raw) if item.integer else raw
                if key.startswith("value"):
                    return raw
        return None

    def coded_text(self, item: Item, raw: dict[str, Any]) -> Any:
        """A coded answer to a text item (its options are not known offline): the display text is the
        answer, the coding is kept beside it and exported again."""
        text = raw.get("display") or raw.get("code")
        coding = coding_of(raw)
        if text is not None and coding and coding not in self.codings.setdefault(item.id, []):
            self.codings[item.id].append(coding)
        return text

    def quantity(self, item: Item, raw: dict[str, Any]) -> Any:
        """The value of a valueQuantity. An item that declares no unit keeps the answer's unit beside
        the answers (a free unit); a unit other than a declared one is a warning (the value is kept)."""
        value = number(raw.get("value"))
        units = {u for u in (raw.get("unit"), raw.get("code")) if isinstance(u, str) and u}
        ours = {text for text in item.unit.as_json().values() if text} if item.unit else set()
        free = not ours and (item.fhir is None or item.fhir.unit is None)
        if value is not None and units and free:
            unit = unit_of(raw)
            if self.units.setdefault(item.id, unit) != unit:
                self.warn(
                    N_("item '{item}': answers in different units ({unit}); only the first unit is kept"),
                    item=item.id,
                    unit=" / ".join(
                        u.get("display") or u.get("code", "?") for u in (self.units[item.id], unit)
                    ),
                )
        elif value is not None and units and not units & ours:
            self.warn(
                N_("item '{item}': the unit {unit} is not the form's; the value {value} is kept as it is"),
                item=item.id,
                unit=" / ".join(sorted(units)),
                value=value,
            )
        if value is None:
            self.warn(
                N_("item '{item}': the quantity {answer} has no number; left out"),
                item=item.id,
                answer=json.dumps(raw, ensure_ascii=False),
            )
        return value

    def collect(self, items: Any, out: dict[str, Any], entry: dict[str, Any] | None = None) -> None:
        """Read QuestionnaireResponse items into ``out`` (or into a repeat ``entry``)."""
        for qr_item in items or []:
            if not isinstance(qr_item, dict):
                continue
            link = str(qr_item.get("linkId", ""))
            item = self.find(link)
            nested = list(qr_item.get("item") or []) + [
                sub for a in qr_item.get("answer") or [] if isinstance(a, dict) for sub in a.get("item") or []
            ]
            if item is None:
                if qr_item.get("answer") and link not in self.score_links:
                    self.warn(
                        N_("linkId '{link}' is not an item of {form}; its answer is left out"),
                        link=link,
                        form=self.defn.key,
                    )
                self.collect(nested, out, entry)
            elif item.type == "matrix":
                self.matrix(item, nested, out)
            elif item.type == "cards":
                from formengine.fhir.cards import read_response_cards

                read_response_cards(self, item, nested, out)
            elif (group := self.entries_of(item)) is not None:
                self.answer_entries(group, item, qr_item, out, entry)
            elif item.type == "repeat":  # one entry per repeated group item, at any depth
                row: dict[str, Any] = {}
                self.collect(nested, out, row)
                holder = entry if entry is not None and item.parent else out
                holder.setdefault(item.id, []).append(row)
            elif item.type in ("note", "group"):  # a group's questions answer beside it
                self.collect(nested, out, entry)
            else:
                target = entry if entry is not None and item.parent else out
                value = self.value(item, qr_item.get("answer") or [])
                if value is not None and value != [] and item.id in target and target[item.id] != value:
                    self.warn(
                        N_(
                            "linkId '{link}' is answered more than once (a repeated group inside a "
                            "repeating group?); only the first answer {answer} is kept"
                        ),
                        link=link,
                        answer=json.dumps(target[item.id], ensure_ascii=False),
                    )
                elif value is not None and value != []:
                    target[item.id] = value
                self.collect(nested, out, entry)

    def entries_of(self, item: Item) -> Item | None:
        """The repeat group made for a repeating question with questions under it (see
        :func:`formengine.fhir.import_items.ItemReader.repeating_question`), when ``item`` is that question."""
        group = self.defn.items_by_id.get(item.parent or "")
        if (
            group is None
            or not group.id.endswith(ENTRIES_SUFFIX)
            or not group.items
            or group.items[0] != item
        ):
            return None
        return group

    def answer_entries(
        self, group: Item, item: Item, qr_item: dict[str, Any], out: dict[str, Any], entry: Any
    ) -> None:
        """Each answer of a repeating question, with the answers under it, is one entry of ``group``."""
        holder = entry if entry is not None and group.parent else out
        for answer in qr_item.get("answer") or []:
            if not isinstance(answer, dict):
                continue
            row: dict[str, Any] = {}
            value = self.value(item, [answer])
            if value is not None and value != []:
                row[item.id] = value
            self.collect(answer.get("item"), out, row)
            holder.setdefault(group.id, []).append(row)
        self.collect(qr_item.get("item"), out, entry)

    def matrix(self, item: Item, rows: list[Any], out: dict[str, Any]) -> None:
        values = out.setdefault(item.id, {})
        for row in rows:
            if not isinstance(row, dict):
                continue
            row_id = str(row.get("linkId", "")).rpartition(".")[2]
            if not any(r.id == row_id for r in item.rows):
                if not row.get("answer"):  # e.g. the matrix's help text, which Refero echoes
                    continue
                self.warn(
                    N_("matrix '{item}': no row '{row}'; left out"), item=item.id, row=row.get("linkId")
                )
                continue
            value = self.value(item, row.get("answer") or [])
            if value is not None:
                values[row_id] = value


def import_response(
    defn: FormDefinition, response: dict[str, Any], report: Callable[[str], None] = warn
) -> dict[str, Any]:
    """Return a QuestionnaireResponse as our answers document for ``defn``; ``report`` gets each warning."""
    reader = _Reader(defn, report)
    answers: dict[str, Any] = {}
    reader.collect(response.get("item"), answers)
    lang = our_language(response.get("language")) or defn.default_language
    document: dict[str, Any] = {"form": defn.id, "version": defn.version, "lang": lang, "answers": answers}
    kept: dict[str, Any] = {k: v for k, v in (("units", reader.units), ("codings", reader.codings)) if v}
    given = response.get("questionnaire")
    if defn.fhir is not None and isinstance(given, str) and given != defn.fhir.canonical:
        kept["questionnaire"] = given
    if kept:
        document["fhir"] = kept
    return document
