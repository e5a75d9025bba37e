"""Labels for the summary: split 'Group: question' labels, and name an item or a matrix row.

Answers are written by :mod:`formengine.render.answers`, the formatter the web pages use too.
"""

from __future__ import annotations

from formengine.definition.model import FormDefinition


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
