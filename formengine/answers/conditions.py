"""Evaluate show_if, required_if and constraints against an answer set.

Hidden items count as unanswered everywhere (in other conditions and in scoring), so an
answer left behind on a branch the relative later closed never changes a result.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from formengine.answers.calculate import apply_calculations, calculated_items
from formengine.definition.model import FormDefinition, Item, Section, walk

Answers = dict[str, Any]


def resolver(
    answers: Answers,
    entry: dict[str, Any] | None = None,
    value: Any = None,
    extra: dict[str, Any] | None = None,
) -> Callable[[str], Any]:
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
            if not isinstance(container, dict):
                return None
            if "." in tail:  # a card cell: cards.row.column
                row, _, column = tail.partition(".")
                cells = container.get(row)
                return cells.get(column) if isinstance(cells, dict) else None
            return container.get(tail)
        return answers.get(name)

    return resolve


def _cards_items(defn: FormDefinition) -> tuple[Item, ...]:
    """The top-level cards items (cached per definition)."""
    found = defn.runtime.get("cards_items")
    if found is None:
        found = defn.runtime["cards_items"] = tuple(
            item for section in defn.sections for item in section.fields if item.type == "cards"
        )
    return found


def card_columns_asked(item: Item, cells: dict[str, Any]) -> list[str]:
    """The column ids a card asks, given its answers, in column order.

    A column with a ``show_if`` is asked only when its condition holds against the card's earlier
    columns (a column not asked counts as unanswered there); a not-applicable answer ends the card.
    """
    asked: list[str] = []
    seen: dict[str, Any] = {}
    for column, (column_id, ending) in zip(item.columns, item.card_endings, strict=True):
        if column.show_if is not None and not column.show_if.truthy(lambda name: seen.get(name)):
            continue
        asked.append(column_id)
        value = seen[column_id] = cells.get(column_id)
        if ending and isinstance(value, str) and value in ending:  # never raises on odd data
            break
    return asked


def card_rows_shown(item: Item, answers: Answers) -> list[str]:
    """The row ids a cards item shows: every row, or the options ticked in ``rows_from``, in row order."""
    if item.rows_from is None:
        return [row.id for row in item.rows]
    ticked = answers.get(item.rows_from)
    chosen = {v for v in ticked if isinstance(v, str)} if isinstance(ticked, list) else set()
    return [row.id for row in item.rows if row.id in chosen]


def prune_card_answers(item: Item, value: Any, answers: Answers) -> Any:
    """A cards answer without cards that are not shown and without cells after a card ended.

    Unknown rows and columns are left for the answer checker to report; a card left empty is
    dropped, and an answer with no card left becomes None.
    """
    if not isinstance(value, dict):
        return value
    known = {row.id for row in item.rows}
    shown = set(card_rows_shown(item, answers))
    out: dict[str, Any] = {}
    for row_id, cells in value.items():
        if row_id in known and row_id not in shown:
            continue
        if isinstance(cells, dict) and row_id in known:
            asked = set(card_columns_asked(item, cells))
            columns = {c.id for c in item.columns}
            cells = {k: v for k, v in cells.items() if v is not None and (k in asked or k not in columns)}
            if not cells:
                continue
        out[row_id] = cells
    return out or None


def _prune_cards(defn: FormDefinition, view: Answers) -> None:
    for item in _cards_items(defn):
        if item.id in view:
            pruned = prune_card_answers(item, view[item.id], view)
            if pruned is None:
                view.pop(item.id)
            else:
                view[item.id] = pruned


def section_visible(defn: FormDefinition, section: Section, answers: Answers) -> bool:
    """Return True if the section's show_if holds (or it has none)."""
    return section.show_if is None or section.show_if.truthy(resolver(answers))


def item_visible(
    defn: FormDefinition, item: Item, answers: Answers, entry: dict[str, Any] | None = None
) -> bool:
    """Return True if the item, the groups and repeat groups around it and its section are all shown.

    Inside a repeat entry, ``entry`` is the entry's answers (in a nested repeat: merged with the
    entries around it, the innermost winning).
    """
    view, hidden = _hide(defn, answers)
    if item.parent:
        repeat = defn.items_by_id.get(item.parent)
        if repeat is None or not item_visible(defn, repeat, answers, entry):
            return False
        resolve = resolver(view, entry)
        return all(c.truthy(resolve) for c in entry_conditions(defn, item))
    return item.id not in hidden


def entry_conditions(defn: FormDefinition, item: Item) -> tuple[Any, ...]:
    """The show_if of each group between an item and its repeat group, and the item's own."""
    chain = [box for box in defn.ancestors(item.id) if box.type == "group" and box.parent == item.parent]
    return tuple(c for c in (*(b.show_if for b in chain), item.show_if) if c is not None)


def _conditional_items(defn: FormDefinition) -> tuple[Any, ...]:
    """(item, conditions) for every item and group outside repeat groups that can be hidden, in
    form order; the conditions are the section's, each enclosing group's and the item's own."""
    plan = defn.runtime.get("conditional_items")
    if plan is None:
        out: list[tuple[Item, tuple[Any, ...]]] = []

        def visit(items: tuple[Item, ...], around: tuple[Any, ...]) -> None:
            for item in items:
                conds = around + ((item.show_if,) if item.show_if is not None else ())
                if conds:
                    out.append((item, conds))
                if item.type == "group":
                    visit(item.items, conds)

        for section in defn.sections:
            visit(section.items, (section.show_if,) if section.show_if is not None else ())
        plan = defn.runtime["conditional_items"] = tuple(out)
    return plan


def _hide(defn: FormDefinition, answers: Answers) -> tuple[Answers, set[str]]:
    """Return the answers without hidden items, and the hidden ids (items and groups outside repeats).

    Conditions are evaluated in form order against the answers with earlier hidden items
    already removed, so an item that depends on a hidden item sees it as unanswered. A section's
    or group's condition is evaluated once, where it first applies.
    """
    view = dict(answers)
    cards = _cards_items(defn)
    if cards:
        _prune_cards(defn, view)
    resolve = resolver(view)
    hidden: set[str] = set()
    seen: dict[int, bool] = {}
    for item, conds in _conditional_items(defn):
        shown = True
        for cond in conds:
            found = seen.get(id(cond))
            if found is None:
                found = seen[id(cond)] = bool(cond.truthy(resolve))
            if not found:
                shown = False
                break
        if not shown:
            hidden.add(item.id)
            view.pop(item.id, None)
    if (
        cards and hidden and any(item.rows_from in hidden for item in cards)
    ):  # a checklist hidden: its cards go
        _prune_cards(defn, view)
    return view, hidden


def shown_view(defn: FormDefinition, answers: Answers) -> tuple[Answers, set[str]]:
    """Return the answers as conditions see them (hidden items and cells removed) and the hidden item ids."""
    return _hide(defn, answers)


def visible_items(defn: FormDefinition, answers: Answers) -> set[str]:
    """Return the ids of the items, groups and repeat groups outside repeat entries that are shown."""
    _, hidden = _hide(defn, answers)
    return {
        item.id
        for section in defn.sections
        for item, box in walk(section.items)
        if item.parent is None and (box is None or box.type == "group") and item.id not in hidden
    }


def is_required(
    defn: FormDefinition, item: Item, answers: Answers, entry: dict[str, Any] | None = None
) -> bool:
    """Return True if the item must be answered (required, or required_if holds) and is shown."""
    if not item_visible(defn, item, answers, entry):
        return False
    if item.required:
        return True
    return item.required_if is not None and item.required_if.truthy(resolver(answers, entry))


def constraint_ok(
    defn: FormDefinition, item: Item, value: Any, answers: Answers, entry: dict[str, Any] | None = None
) -> bool:
    """Return True if the item has no constraint, no answer, or the constraint holds."""
    if item.constraint is None or value is None or value == "" or value == []:
        return True
    return item.constraint.truthy(resolver(answers, entry, value))


def effective_answers(defn: FormDefinition, answers: Answers) -> Answers:
    """Return the answers with hidden items (and hidden repeat children) removed, and every
    shown calculated item computed from them (:mod:`formengine.answers.calculate`)."""
    return effective_view(defn, answers)[0]


def effective_view(defn: FormDefinition, answers: Answers) -> tuple[Answers, set[str]]:
    """Return :func:`effective_answers` and the hidden item ids (as :func:`shown_view`), computing
    visibility once (scoring needs both: the answers to score, and which items were not asked)."""
    view, hidden = _hide(defn, answers)
    out: Answers = {}
    top = defn.section_of
    for item_id, value in view.items():
        item = defn.items_by_id.get(item_id)
        if item is None or item.parent or item_id not in top or item.type == "group":
            continue
        if item.type == "repeat" and isinstance(value, list):
            value = prune_entries(defn, item, value, view, {})
        out[item_id] = value
    return apply_calculations(defn, out, hidden), hidden


def prune_entries(
    defn: FormDefinition, repeat: Item, value: list[Any], view: Answers, around: dict[str, Any]
) -> list[Any]:
    """A repeat group's entries without answers to items hidden in that entry, at any depth.

    Inside an entry, conditions see the entry's answers first, then those of the entries
    around it (``around``), then the answer set.
    """
    known = {child.id: child for child in repeat.fields}
    out = []
    for entry in value:
        if not isinstance(entry, dict):
            continue
        scope = {**around, **entry}
        resolve = resolver(view, scope)
        kept: dict[str, Any] = {}
        for child_id, answer in entry.items():
            child = known.get(child_id)
            if child is None or not all(c.truthy(resolve) for c in entry_conditions(defn, child)):
                continue
            if child.type == "repeat" and isinstance(answer, list):
                answer = prune_entries(defn, child, answer, view, scope)
            kept[child_id] = answer
        out.append(kept)
    return out


def recalculate(defn: FormDefinition, answers: Answers) -> Answers:
    """The answers to store: each calculated item set to what it computes now from the shown
    answers (left out when it has no value or is hidden); every other answer as given."""
    plan = calculated_items(defn)
    if not plan:
        return answers
    shown = effective_answers(defn, answers)
    out = dict(answers)
    for item, _section in plan:
        if item.id in shown:
            out[item.id] = shown[item.id]
        else:
            out.pop(item.id, None)
    return out


def _child_shown(defn: FormDefinition, child_id: str, answers: Answers, entry: dict[str, Any]) -> bool:
    child = defn.items_by_id.get(child_id)
    return child is not None and (child.show_if is None or child.show_if.truthy(resolver(answers, entry)))
