"""Evaluate show_if, required_if and constraints against an answer set.

Hidden items count as unanswered everywhere (in other conditions and in scoring), so an
answer left behind on a branch the relative later closed never changes a result.
"""
from __future__ import annotations

from typing import Any, Callable

from .definition import FormDefinition, Item, Section

Answers = dict[str, Any]


def resolver(answers: Answers, entry: dict | None = None, value: Any = None,
             extra: dict | None = None) -> Callable[[str], Any]:
    """Return a name → value function over answers (a repeat entry's children shadow them)."""
    def resolve(name: str) -> Any:
        if extra and name in extra:
            return extra[name]
        if name == "value":
            return value
        if entry is not None and name in entry:
            return entry[name]
        if "." in name:
            head, _, tail = name.partition(".")
            if head == "score":
                return (extra or {}).get(name)
            container = answers.get(head)
            return container.get(tail) if isinstance(container, dict) else None
        return answers.get(name)
    return resolve


def section_visible(defn: FormDefinition, section: Section, answers: Answers) -> bool:
    """Return True if the section's show_if holds (or it has none)."""
    return section.show_if is None or section.show_if.truthy(resolver(answers))


def item_visible(defn: FormDefinition, item: Item, answers: Answers, entry: dict | None = None) -> bool:
    """Return True if the item, its repeat group and its section are all shown."""
    if item.show_if is not None and not item.show_if.truthy(resolver(answers, entry)):
        return False
    if item.parent:
        group = defn.items_by_id.get(item.parent)
        if group is not None and not item_visible(defn, group, answers):
            return False
    section_id = defn.section_of.get(item.id)
    if section_id is not None:
        section = defn.section(section_id)
        if not section_visible(defn, section, answers):
            return False
    return True


def visible_items(defn: FormDefinition, answers: Answers) -> set[str]:
    """Return the ids of top-level items (and repeat groups) that are shown."""
    out = set()
    for section in defn.sections:
        if not section_visible(defn, section, answers):
            continue
        for item in section.items:
            if item.show_if is None or item.show_if.truthy(resolver(answers)):
                out.add(item.id)
    return out


def is_required(defn: FormDefinition, item: Item, answers: Answers, entry: dict | None = None) -> bool:
    """Return True if the item must be answered (required, or required_if holds) and is shown."""
    if not item_visible(defn, item, answers, entry):
        return False
    if item.required:
        return True
    return item.required_if is not None and item.required_if.truthy(resolver(answers, entry))


def constraint_ok(defn: FormDefinition, item: Item, value: Any, answers: Answers, entry: dict | None = None) -> bool:
    """Return True if the item has no constraint, no answer, or the constraint holds."""
    if item.constraint is None or value is None or value == "" or value == []:
        return True
    return item.constraint.truthy(resolver(answers, entry, value))


def effective_answers(defn: FormDefinition, answers: Answers) -> Answers:
    """Return the answers with hidden items (and hidden repeat children) removed."""
    shown = visible_items(defn, answers)
    out: Answers = {}
    for item_id, value in answers.items():
        item = defn.items_by_id.get(item_id)
        if item is None or item.parent or item_id not in shown:
            continue
        if item.type == "repeat" and isinstance(value, list):
            value = [{cid: cval for cid, cval in entry.items()
                      if _child_shown(defn, cid, answers, entry)} for entry in value if isinstance(entry, dict)]
        out[item_id] = value
    return out


def _child_shown(defn: FormDefinition, child_id: str, answers: Answers, entry: dict) -> bool:
    child = defn.items_by_id.get(child_id)
    return child is not None and (child.show_if is None or child.show_if.truthy(resolver(answers, entry)))
