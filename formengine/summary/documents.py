"""Contexts for the agreement document and the blank paper form.

The agreement is printed section by section from its own definition (repeat groups and
matrices as tables), so a municipality's agreement variant prints without code changes. The
blank form shows every item with empty boxes and lines, and says in plain words when an item
only applies after a certain answer.
"""

from __future__ import annotations

import re
from typing import Any

from babel.lists import format_list

from formengine.answers.conditions import effective_answers, section_visible
from formengine.definition.item_types import LIST_CHOICE_TYPES, TEXT_TYPES
from formengine.definition.model import Column, FormDefinition, Item, Section
from formengine.render.answers import (
    answered,
    babel_locale,
    card_table,
    format_answer,
    matrix_rows,
    repeat_table,
)
from formengine.scoring.engine import score
from formengine.summary.context import as_report, chart_rows, flag_rows, header
from formengine.summary.strings import strings

QUOTE = {"en": "“{}”"}  # how an answer is quoted in a hint; «…» otherwise
_SIMPLE_IF = re.compile(r"^\s*([a-z][a-z0-9_]*)\s*==\s*['\"]([a-z0-9_]+)['\"]\s*$")
BLANK_REPEAT_ROWS = 3


def answer_block(item: Item, value: Any, lang: str) -> dict[str, Any] | None:
    """Return one answered item as a block: kind 'pair', 'text', 'table' (or None if unanswered)."""
    if item.type == "note" or not answered(value):
        return None
    label = item.label.get(lang)
    if item.type == "repeat":
        table = repeat_table(item, value, lang)
        return {"kind": "table", "label": label, **table} if table["rows"] else None
    if item.type == "matrix":
        rows = [list(r) for r in matrix_rows(item, value, lang)]
        return {"kind": "table", "label": label, "head": [], "rows": rows} if rows else None
    if item.type == "cards":  # rows x columns
        table = card_table(item, value, lang)
        rows = [[r["label"], *r["cells"]] for r in table["rows"]]
        return {"kind": "table", "label": label, "head": ["", *table["head"]], "rows": rows} if rows else None
    kind = "text" if item.type == "long_text" else "pair"
    return {"kind": kind, "label": label, "value": format_answer(item, value, lang), "id": item.id}


def _blocks(items: tuple[Item, ...], shown: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    """Answer blocks in form order; a group with a heading and any answer gives a 'heading' block."""
    out: list[dict[str, Any]] = []
    for item in items:
        if item.type == "group":
            inner = _blocks(item.items, shown, lang)
            if inner and item.label:
                out.append({"kind": "heading", "label": item.label.get(lang)})
            out += inner
        elif (block := answer_block(item, shown.get(item.id), lang)) is not None:
            out.append(block)
    return out


def agreement_context(
    defn: FormDefinition,
    answers: dict[str, Any],
    *,
    lang: str = "nb",
    meta: dict[str, Any] | None = None,
    report: Any = None,
) -> dict[str, Any]:
    """Return the template context of the collaboration agreement.

    ``meta["flag_handling"]`` may list the assessment's flags with what handles each
    (``{"severity_label", "message", "how"}``); they are printed as "Slik følges det opp".
    """
    meta = dict(meta or {})
    t = strings(lang)
    shown = effective_answers(defn, answers)
    report = score(defn, shown, lang) if report is None else as_report(report)
    home = {s.id: defn.section_of.get(s.items[0].partition(".")[0]) for s in defn.scoring.scales if s.items}
    chart = chart_rows(defn, report, lang)
    sections = []
    for section in defn.sections:
        if not section_visible(defn, section, shown):
            continue
        blocks = _blocks(section.items, shown, lang)
        rows = [r for r in chart if home.get(r["id"]) == section.id]
        if blocks:
            sections.append({"title": section.title.get(lang), "blocks": blocks, "chart": rows})
    return {
        "lang": lang,
        "t": t,
        "head": header(defn, lang, meta, t["agreement_title"]),
        "sections": sections,
        "flags": flag_rows(report, lang),
        "running": t["agreement_title"],
        "handling": [dict(h) for h in meta.get("flag_handling") or []],
    }


def show_if_hint(defn: FormDefinition, item: Item | Section, lang: str) -> str:
    """Say in plain words when an item applies (empty if it always does)."""
    if item.show_if is None:
        return ""
    t = strings(lang)
    match = _SIMPLE_IF.match(item.show_if.source or "")
    other = defn.items_by_id.get(match.group(1)) if match else None
    opt = other.option(match.group(2)) if other and match else None
    if other is None or opt is None:
        return t["answer_if_generic"]
    return t["answer_if"].format(answer=opt.label.get(lang), question=other.label.get(lang))


def column_hint(item: Item, column: Column, lang: str) -> str:
    """Say in plain words when a card question is asked (empty if always): the answers that ask
    it when its ``show_if`` is one or more ``x == 'v'`` / ``x in [...]`` joined by ``or``."""
    if column.show_if is None:
        return ""
    t = strings(lang)
    root = column.show_if._root
    labels: list[str] = []
    for node in root[1] if root[0] == "or" else (root,):
        if node[0] != "cmp" or node[1] not in ("==", "in"):
            return t["column_if_generic"]
        left, right = node[2], node[3]
        if node[1] == "==" and left[0] == "lit":
            left, right = right, left
        other = item.column(left[1]) if left[0] == "ref" else None
        literals = (right,) if node[1] == "==" else right[1] if right[0] == "list" else ()
        options = [
            other.option(x[1]) if other is not None and x[0] == "lit" and isinstance(x[1], str) else None
            for x in literals
        ]
        if not options or None in options:
            return t["column_if_generic"]
        labels += [QUOTE.get(lang, "«{}»").format(o.label.get(lang)) for o in options if o is not None]
    return t["column_if"].format(answers=format_list(labels, style="or", locale=babel_locale(lang)))


def blank_item(defn: FormDefinition, item: Item, lang: str) -> dict[str, Any]:
    """Return one item of the paper form: its texts, options and the shape of its answer space."""
    t = strings(lang)
    out: dict[str, Any] = {
        "type": item.type,
        "id": item.id,
        "label": item.label.get(lang),
        "help": item.help.get(lang) if item.help else "",
        "text": item.text.get(lang) if item.text else "",
        "hint": show_if_hint(defn, item, lang),
        "options": [o.label.get(lang) for o in item.options],
        "rows": [r.label.get(lang) for r in item.rows],
        "unit": item.unit.get(lang) if item.unit else "",
        "lines": 4 if item.type == "long_text" else 1,
        "instruction": "",
    }
    if item.read_only:  # nothing to write: calculated, or filled in by the system
        out.update(
            type="read_only", instruction=t["calculated_paper" if item.calculated else "read_only_paper"]
        )
        out.update(options=[], rows=[])
    elif item.type == "multi_choice":
        alone = [t["pick_alone"].format(answer=o.label.get(lang)) for o in item.options if o.exclusive]
        out["instruction"] = " ".join([t["pick_many"], *alone])
    elif item.type == "priority":
        out["instruction"] = t["pick_up_to"].format(n=item.max_choices or 3)
    out["groups"] = []
    if item.groups:  # the options under their headings
        out["groups"] = [
            {
                "label": g.label.get(lang),
                "options": [o.label.get(lang) for o in item.options if o.group == g.id],
            }
            for g in item.groups
        ]
    if item.type == "cards":
        out["columns"] = [
            {
                "label": c.label.get(lang),
                "options": [o.label.get(lang) for o in c.options],
                "hint": column_hint(item, c, lang),
            }
            for c in item.columns
        ]
        na = next((o.label.get(lang) for c in item.columns for o in c.options if o.not_applicable), "")
        source = defn.items_by_id.get(item.rows_from or "")
        if source is not None:
            question = source.label.get(lang).rstrip().rstrip(".:")  # «Kryss av for det du hjelper med»
            out["instruction"] = t["cards_from"].format(question=question, na=na or "–")
        elif na:
            out["instruction"] = t["cards_na"].format(na=na)
    if item.type == "repeat":
        out["children"] = [blank_item(defn, c, lang) for c in item.fields if c.type != "note"]
        for child in out["children"]:  # a repeat inside: its questions in the column heading
            inner = defn.items_by_id[child["id"]]
            if inner.type == "repeat":
                asked = ", ".join(c.label.get(lang) for c in inner.fields if c.type != "note")
                child["label"] = f"{child['label']} ({asked})"
        out["blank_rows"] = max(BLANK_REPEAT_ROWS, int(item.min or 0))
        # one box per entry: the relative marks that entry's answers (issue 12: marks are per entry)
        marked = [c for c in item.fields if c.conversation_only]
        out["co_column"] = (
            ""
            if not marked
            else (
                t["co_default_column"] if any(c.conversation_only_default for c in marked) else t["co_column"]
            )
        )
    inline = item.type in ("scale", "support_need", "yes_no") or sum(len(o) for o in out["options"]) < 110
    out["short_options"] = inline and item.type not in LIST_CHOICE_TYPES
    out["conversation_only"] = item.conversation_only
    out["conversation_only_default"] = item.conversation_only_default  # paper: tick to allow the record
    return out


def _blank_entries(defn: FormDefinition, items: tuple[Item, ...], lang: str) -> list[dict[str, Any]]:
    """The paper form's entries in form order: a group is its heading (type 'group'), then its items."""
    out: list[dict[str, Any]] = []
    for item in items:
        out.append(blank_item(defn, item, lang))
        if item.type == "group":
            out += _blank_entries(defn, item.items, lang)
    return out


def blank_context(
    defn: FormDefinition, *, lang: str = "nb", meta: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Return the template context of the printable blank form."""
    t = strings(lang)
    sections = [
        {
            "title": s.title.get(lang),
            "description": s.description.get(lang) if s.description else "",
            "hint": show_if_hint(defn, s, lang) if s.show_if is not None else "",
            "entries": _blank_entries(defn, s.items, lang),
        }
        for s in defn.sections
    ]
    return {
        "lang": lang,
        "t": t,
        "head": header(defn, lang, dict(meta or {}), t["blank_title"]),
        "description": defn.description.get(lang) if defn.description else "",
        "sections": sections,
        "text_types": TEXT_TYPES,
    }
