"""Answers as text: the one locale-aware formatter for the PDF, the relative's review and the staff pages.

Numbers and dates are written by Babel in the locale of the language asked for (``1,5`` in
bokmål, ``1.5`` in English; "1. desember 2026" or "1 December 2026"); options by their label in
that language. :func:`answer_lines` gives one line per row, entry or priority (web pages);
:func:`format_answer` one line (tables in the PDF).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from babel.dates import format_date as babel_date
from babel.numbers import format_decimal

from formengine.answers.conditions import card_columns_asked
from formengine.definition.item_types import CHOICE_TYPES, ITEM_TYPES, LIST_CHOICE_TYPES, NO_ANSWER_TYPES
from formengine.definition.model import Item, Option, Text

BABEL_LOCALE = {"nb": "nb_NO", "nn": "nn_NO", "en": "en_GB", "se": "se_NO"}

__all__ = [
    "BABEL_LOCALE",
    "answer_lines",
    "answered",
    "card_cells",
    "card_lines",
    "card_table",
    "babel_locale",
    "format_answer",
    "format_date",
    "format_number",
    "matrix_rows",
    "option_label",
    "ordinary_number",
    "options_for",
    "repeat_table",
]


def babel_locale(lang: str) -> str:
    """The Babel locale for a form language (bokmål for an unknown one)."""
    return BABEL_LOCALE.get(lang, "nb_NO")


def format_number(value: float | int | None, lang: str) -> str:
    """A number in the locale of ``lang`` (no trailing ``,0``); empty for None. A number stored
    before absurd answers were refused (29 digits, 1e308, inf, nan) is shown as a sign, never
    handed to Babel (which raised on it and broke the page)."""
    if value is None:
        return ""
    if not ordinary_number(value):
        if isinstance(value, float):
            return "–" if value != value else ("−∞" if value < 0 else "∞") if math.isinf(value) else "> 10¹⁵"
        return "> 10¹⁵" if value > 0 else "< −10¹⁵"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(format_decimal(value, locale=babel_locale(lang)))


def ordinary_number(value: object) -> bool:
    """A finite number of at most 10^15 in size (anything else is not formatted, only named)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return True
    if isinstance(value, int):
        return value.bit_length() <= 50
    return value == value and abs(value) <= 10**15


def format_date(value: Any, lang: str, fmt: str = "long") -> str:
    """A date, datetime or ``YYYY-MM-DD`` text in the locale of ``lang`` (other text as it is)."""
    if isinstance(value, str):
        text: str = value
        try:
            value = dt.date.fromisoformat(text[:10])
        except ValueError:
            return text
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        return ""
    return str(babel_date(value, format=fmt, locale=babel_locale(lang)))


def answered(value: Any) -> bool:
    """True if a value counts as an answer (not None, blank text, [] or {})."""
    if isinstance(value, str):
        return bool(value.strip())
    return value not in (None, [], {})


def options_for(item: Item) -> tuple[Option, ...]:
    """The item's options, or its type's built-in ones (yes_no, support_need)."""
    if item.options:
        return item.options
    spec = ITEM_TYPES.get(item.type)
    if spec is None:
        return ()
    return tuple(
        Option(value, Text(tuple(labels.items())), score, na)
        for value, labels, score, na in spec.default_options
    )


def option_label(item: Item, value: Any, lang: str) -> str:
    """The label of one option value (the value itself if unknown)."""
    for option in options_for(item):
        if option.value == value:
            return option.label.get(lang)
    return str(value)


def matrix_rows(item: Item, value: Any, lang: str) -> list[tuple[str, str]]:
    """(row label, answer label) for every answered matrix row."""
    if not isinstance(value, dict):
        return []
    return [
        (row.label.get(lang), option_label(item, value[row.id], lang))
        for row in item.rows
        if answered(value.get(row.id))
    ]


def repeat_table(item: Item, value: Any, lang: str) -> dict[str, list[Any]]:
    """``{"head": [labels], "rows": [[cells]]}`` for a repeat group's entries."""
    children = [c for c in item.fields if c.type not in NO_ANSWER_TYPES]  # groups opened
    rows = []
    for entry in value if isinstance(value, list) else []:
        if isinstance(entry, dict) and any(answered(entry.get(c.id)) for c in children):
            rows.append([_cell(c, entry.get(c.id), lang) for c in children])
    return {"head": [c.label.get(lang) for c in children], "rows": rows}


def _cell(item: Item, value: Any, lang: str) -> str:
    """A repeat entry's answer in a table cell; a repeat inside it: each of its entries in brackets."""
    if item.type == "repeat" and answered(value):
        return "; ".join(
            f"({', '.join(c for c in row if c)})" for row in repeat_table(item, value, lang)["rows"]
        )
    return format_answer(item, value, lang)


def card_cells(item: Item, value: Any, lang: str) -> list[tuple[str, str, list[str]]]:
    """(row id, row label, [answer label per column, '' when unanswered or not asked]) for every
    answered card: a cell the card does not ask (after "not applicable", or its column's
    ``show_if`` does not hold) is never shown, even when the answers still hold it."""
    if not isinstance(value, dict):
        return []
    out = []
    for row in item.rows:
        cells = value.get(row.id)
        if not isinstance(cells, dict) or not any(answered(v) for v in cells.values()):
            continue
        labels = []
        asked = card_columns_asked(item, cells)
        for column in item.columns:
            cell = cells.get(column.id) if column.id in asked else None
            option = column.option(cell) if isinstance(cell, str) else None
            labels.append(option.label.get(lang) if option else ("" if cell is None else str(cell)))
        out.append((row.id, row.label.get(lang), labels))
    return out


def card_lines(item: Item, value: Any, lang: str) -> list[str]:
    """One line per answered card: 'Row: answer · answer' (unanswered cells left out)."""
    return [
        f"{label}: {' · '.join(c for c in cells if c)}" for _, label, cells in card_cells(item, value, lang)
    ]


def card_table(item: Item, value: Any, lang: str, rows: list[str] | None = None) -> dict[str, Any]:
    """``{"title", "head": [column labels], "rows": [{"id", "label", "cells"}]}`` for a cards answer
    (only ``rows`` when given; cards without answers left out; an unanswered cell is '–')."""
    out = []
    for row_id, label, answers in card_cells(item, value, lang):
        if rows is None or row_id in rows:
            out.append({"id": row_id, "label": label, "cells": [a or "–" for a in answers]})
    return {"title": item.label.get(lang), "head": [c.label.get(lang) for c in item.columns], "rows": out}


def _single(item: Item, value: Any, lang: str) -> str:
    if item.type == "number":
        unit = item.unit.get(lang) if item.unit else ""
        return f"{format_number(value, lang)} {unit}".strip()
    if item.type == "date":
        return format_date(value, lang)
    if item.type in CHOICE_TYPES:
        return option_label(item, value, lang)
    return str(value)


def format_answer(item: Item, value: Any, lang: str) -> str:
    """One line of text for an answer (empty when unanswered); see :func:`repeat_table` for groups."""
    if not answered(value):
        return ""
    if item.type in LIST_CHOICE_TYPES:
        return "; ".join(option_label(item, v, lang) for v in value)
    if item.type == "matrix":
        return "; ".join(f"{label}: {answer}" for label, answer in matrix_rows(item, value, lang))
    if item.type == "cards":
        return "; ".join(card_lines(item, value, lang))
    if item.type == "repeat":
        return " · ".join(", ".join(c for c in row if c) for row in repeat_table(item, value, lang)["rows"])
    return _single(item, value, lang)


def _entry_line(child: Item, value: Any, lang: str) -> str:
    """One answer inside a repeat entry; a repeat inside it: its label, then each entry in brackets."""
    lines = answer_lines(child, value, lang)
    if child.type == "repeat":
        return f"{child.label.get(lang)}: " + "; ".join(f"({line})" for line in lines)
    return ", ".join(lines)


def answer_lines(item: Item, value: Any, lang: str) -> list[str]:
    """The answer as lines: one per matrix row, repeat entry or priority (numbered); [] when unanswered."""
    if not answered(value):
        return []
    if item.type == "matrix":
        return [f"{label}: {answer}" for label, answer in matrix_rows(item, value, lang)]
    if item.type == "cards":
        return card_lines(item, value, lang)
    if item.type == "repeat":
        return [
            ", ".join(
                _entry_line(child, (entry or {}).get(child.id), lang)
                for child in item.fields
                if answered((entry or {}).get(child.id))
            )
            or "–"
            for entry in value
        ]
    if item.type == "priority":
        return [f"{n}. {option_label(item, v, lang)}" for n, v in enumerate(value, 1)]
    if isinstance(value, list):
        return [option_label(item, v, lang) for v in value]
    return [_single(item, value, lang)]
