"""Turn answers into readable text: option labels, dates in the locale's format, repeat tables."""
from __future__ import annotations

import datetime as dt
from typing import Any

from babel.dates import format_date

from formengine.definition.model import FormDefinition, Item
from formengine.summary.strings import BABEL_LOCALE

TEXT_TYPES = ("text", "long_text")


def fmt_date(value: Any, lang: str, fmt: str = "long") -> str:
    """Format a date, datetime or ``YYYY-MM-DD`` string in the locale of ``lang``."""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        return ""
    return format_date(value, format=fmt, locale=BABEL_LOCALE.get(lang, "nb_NO"))


def fmt_number(value: Any) -> str:
    """Write a number the Norwegian way: no trailing .0, decimal comma."""
    if value is None:
        return ""
    if not ordinary_number(value):  # stored before such answers were refused: never crash on them
        return "–" if value != value else ("−∞" if value < 0 else "∞") if isinstance(value, float) else "> 10¹⁵"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace(".", ",")


def ordinary_number(value: Any) -> bool:
    """A finite number of at most 10^15 in size (anything else is shown as a sign, not formatted)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return True
    if isinstance(value, int):
        return value.bit_length() <= 50
    return value == value and abs(value) <= 10**15


def option_label(item: Item, value: Any, lang: str) -> str:
    """Return the label of one option value (the value itself if unknown)."""
    opt = item.option(value) if isinstance(value, str) else None
    return opt.label.get(lang) if opt else str(value)


def answered(value: Any) -> bool:
    """True if a value counts as an answer (not None, '', [] or {})."""
    if isinstance(value, str):
        return bool(value.strip())
    return value not in (None, [], {})


def fmt_value(item: Item, value: Any, lang: str) -> str:
    """Return a one-line text for an answer to a non-repeat item."""
    if not answered(value):
        return ""
    if item.type in ("single_choice", "scale", "yes_no", "support_need"):
        return option_label(item, value, lang)
    if item.type in ("multi_choice", "priority"):
        return "; ".join(option_label(item, v, lang) for v in value)
    if item.type == "number":
        unit = item.unit.get(lang) if item.unit else ""
        return f"{fmt_number(value)} {unit}".strip()
    if item.type == "date":
        return fmt_date(value, lang)
    if item.type == "matrix":
        return "; ".join(f"{row.label.get(lang)}: {option_label(item, value[row.id], lang)}"
                         for row in item.rows if answered(value.get(row.id)))
    return str(value)


def repeat_table(item: Item, value: Any, lang: str) -> dict:
    """Return ``{"head": [labels], "rows": [[cells]]}`` for a repeat group's entries."""
    children = [c for c in item.items if c.type != "note"]
    rows = []
    for entry in value if isinstance(value, list) else []:
        if isinstance(entry, dict) and any(answered(entry.get(c.id)) for c in children):
            rows.append([fmt_value(c, entry.get(c.id), lang) for c in children])
    return {"head": [c.label.get(lang) for c in children], "rows": rows}


def matrix_rows(item: Item, value: Any, lang: str) -> list[tuple[str, str]]:
    """Return (row label, answer label) for every answered matrix row."""
    if not isinstance(value, dict):
        return []
    return [(row.label.get(lang), option_label(item, value[row.id], lang))
            for row in item.rows if answered(value.get(row.id))]


def split_label(text: str) -> tuple[str, str]:
    """Split 'Group: question' into its two parts ('' and the text when there is no colon)."""
    head, sep, tail = text.partition(": ")
    return (head, tail) if sep else ("", text)


def item_label(defn: FormDefinition, item_id: str, lang: str) -> str:
    """Return the label of an item (or a matrix row ``m.r``), or the id if unknown."""
    base, _, row = item_id.partition(".")
    item = defn.items_by_id.get(base)
    if item is None:
        return item_id
    for r in item.rows:
        if r.id == row:
            return r.label.get(lang)
    return item.label.get(lang)
