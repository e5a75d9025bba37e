"""Marks "for the conversation only": which answers stay out of the copy for the patient's record.

A mark is a string: an item id (``strain_feelings_text``), or ``ITEM[N].CHILD`` for the child
of one repeat entry (``others_helping[1].note``; N counts from 0). A mark on a repeat child
without an index (``others_helping.note``) or on the repeat group itself marks every entry.

An item with ``conversation_only: default`` starts marked; :func:`default_marks` lists those
marks for a set of answers, and :func:`effective_marks` applies them where no explicit list
of marks was given.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from formengine.definition.model import FormDefinition, Item

ENTRY_MARK = re.compile(r"^(?P<item>[a-z][a-z0-9_]*)\[(?P<index>\d+)\]\.(?P<child>[a-z][a-z0-9_]*)$")


@dataclass(frozen=True)
class Mark:
    """A parsed mark: the item (or repeat group), the entry index, the child id."""

    item: str
    index: int | None = None
    child: str | None = None


def entry_mark(item_id: str, index: int, child_id: str) -> str:
    """Return the mark of one child answer in one repeat entry."""
    return f"{item_id}[{index}].{child_id}"


def parse_mark(mark: str) -> Mark:
    """Split a mark into item, index and child (a plain id has neither index nor child)."""
    found = ENTRY_MARK.match(mark)
    if found:
        return Mark(found["item"], int(found["index"]), found["child"])
    head, dot, tail = mark.partition(".")
    return Mark(head, None, tail) if dot else Mark(mark)


def offered_items(defn: FormDefinition) -> list[Item]:
    """Return every item (repeat children included) the relative may mark."""
    return [item for item in defn.iter_items() if item.conversation_only]


def default_marks(defn: FormDefinition, answers: dict[str, Any]) -> list[str]:
    """Return the marks an item with ``conversation_only: default`` gets before the relative acts.

    Top-level items are marked by id; repeat children per existing entry (``ITEM[N].CHILD``).
    """
    out: list[str] = []
    for item in defn.iter_items():
        if not item.conversation_only_default:
            continue
        if item.parent is None:
            out.append(item.id)
            continue
        entries = answers.get(item.parent)
        for index, _entry in enumerate(entries if isinstance(entries, list) else []):
            out.append(entry_mark(item.parent, index, item.id))
    return out


def effective_marks(defn: FormDefinition, answers: dict[str, Any], marks: Iterable[str] | None) -> list[str]:
    """Return the marks to apply: ``marks`` when given (even empty), else the definition's defaults."""
    if marks is None:
        return default_marks(defn, answers)
    return [str(m) for m in marks]


def is_marked(
    marks: Iterable[str], item_id: str, index: int | None = None, parent: str | None = None
) -> bool:
    """Is this answer marked? For a repeat child pass its ``parent`` group and the entry ``index``."""
    wanted = set(marks)
    if item_id in wanted:
        return True
    if parent is None:
        return False
    if parent in wanted or f"{parent}.{item_id}" in wanted:
        return True
    return index is not None and entry_mark(parent, index, item_id) in wanted


def strip_marked(
    defn: FormDefinition, answers: dict[str, Any], marks: Iterable[str]
) -> tuple[dict[str, Any], int]:
    """Return the answers without the marked ones, and how many answered values were left out.

    A marked repeat child is removed from its entry only; the other entries keep their answer.
    """
    wanted = set(marks)
    out: dict[str, Any] = {}
    left_out = 0
    for key, value in answers.items():
        if key in wanted:
            left_out += _count_answered(value)
            continue
        item = defn.items_by_id.get(key)
        if isinstance(value, list) and item is not None and item.type == "repeat":
            entries = []
            for index, entry in enumerate(value):
                if not isinstance(entry, dict):
                    entries.append(entry)
                    continue
                kept = {}
                for child_id, child_value in entry.items():
                    if is_marked(wanted, child_id, index, key):
                        left_out += _count_answered(child_value)
                    else:
                        kept[child_id] = child_value
                entries.append(kept)
            out[key] = entries
        else:
            out[key] = value
    return out, left_out


def _count_answered(value: Any) -> int:
    if value is None or value == "" or value == [] or value == {}:
        return 0
    return 1
