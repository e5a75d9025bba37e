"""Generated sample answers: a complete, plausible, valid answer set for any form version.

The one sample-answer generator: for previewing a form's printed summary before it is published,
for screenshots, tests and the bench. ``sample_answers(defn, seed)`` is deterministic (same form version and seed, same answers), passes
:func:`formengine.answers.check.validate_answers`, and answers every item a relative would see with
those answers: every visible question, every matrix row, every card shown (every column), one to three repeat entries with
their visible children. Free text is Norwegian. Limits (``min``/``max``, ``max_choices``,
``max_length``, date limits) and constraints are respected; "not relevant" options are never
picked, so every scale gets a value. ``text_every=3`` answers only every third long free-text
question, as most relatives write in some of them, not all.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from formengine.answers.conditions import (
    card_columns_asked,
    card_rows_shown,
    constraint_ok,
    effective_answers,
    entry_conditions,
    resolver,
    visible_items,
)
from formengine.definition.item_types import CHOICE_TYPES, DEFAULT_MAX_LENGTH, LIST_CHOICE_TYPES, TEXT_TYPES
from formengine.definition.model import FormDefinition, Item

PHRASES = (
    "Jeg hjelper mor med handling og medisiner hver uke.",
    "Det er mest krevende om kveldene, når jeg er alene med ansvaret.",
    "Jeg vil gjerne vite hva kommunen kan hjelpe med.",
    "Søvnen blir dårlig når jeg er bekymret.",
    "Vi har fått god hjelp av hjemmesykepleien.",
    "Jeg ønsker å snakke om avlastning og om framtida.",
    "Barna spør ofte om hvordan det går med bestefar.",
    "Jobben min er fleksibel, men det blir mye fravær.",
)
SHORT = ("Nabo", "Kari", "Onsdager", "Hjemmetjenesten", "Ettermiddag", "Bror", "Dagsenter")
NO_ANSWER = object()
ROUNDS = 8


def sample_answers(
    defn: FormDefinition, seed: int = 0, today: dt.date | None = None, text_every: int = 1
) -> dict[str, Any]:
    """Return a deterministic, valid answer set that answers every visible item of ``defn``.

    Only every ``text_every``-th long free-text question (in form order) is answered.
    """
    rng = random.Random(f"{defn.id}@{defn.version}#{seed}")  # noqa: S311  repeatable sample data, not a secret
    today = today or dt.date.today()
    answers: dict[str, Any] = {}
    long_texts = [i.id for s in defn.sections for i in s.fields if i.type == "long_text"]
    tried: set[str] = {ident for n, ident in enumerate(long_texts) if n % max(1, text_every)}
    for _round in range(ROUNDS):  # a new answer can open a branch: repeat until nothing new shows
        shown = visible_items(defn, answers)
        todo = [i for s in defn.sections for i in s.fields if i.id in shown and i.id not in tried]
        if not todo:
            break
        for item in todo:
            tried.add(item.id)
            value = _answer(defn, item, answers, rng, today)
            if value is not NO_ANSWER:
                answers[item.id] = value
        answers = effective_answers(defn, answers)
    return answers


def _answer(
    defn: FormDefinition,
    item: Item,
    answers: dict[str, Any],
    rng: random.Random,
    today: dt.date,
    entry: dict[str, Any] | None = None,
) -> Any:
    """A value for ``item`` that fits its constraint (up to 12 tries), else NO_ANSWER."""
    if item.type == "note":
        return NO_ANSWER
    if item.type == "repeat":
        return _repeat(defn, item, answers, rng, today, entry or {})
    if item.type == "cards":
        return _cards(item, answers, rng)
    for _try in range(12):
        value = _value(item, rng, today)
        if value is NO_ANSWER:
            return value
        if constraint_ok(defn, item, value, answers, entry):
            return value
    return NO_ANSWER


def _usable(item: Item) -> list[str]:
    return [o.value for o in item.options if not o.not_applicable]


def _value(item: Item, rng: random.Random, today: dt.date) -> Any:
    kind = item.type
    if kind in CHOICE_TYPES:
        usable = _usable(item)
        return rng.choice(usable) if usable else NO_ANSWER
    if kind in LIST_CHOICE_TYPES:
        return _choices(item, rng)
    if kind == "matrix":
        usable = _usable(item)
        return {row.id: rng.choice(usable) for row in item.rows} if usable else NO_ANSWER
    if kind == "number":
        return _number(item, rng)
    if kind == "date":
        return _date(item, rng, today)
    if kind in TEXT_TYPES:
        return _text(item, rng)
    return NO_ANSWER


def _cards(item: Item, answers: dict[str, Any], rng: random.Random) -> Any:
    """Every card shown (every option ticked in ``rows_from``), every column the card asks (its
    ``show_if`` on the earlier answers holds), never "not relevant"."""
    out: dict[str, dict[str, str]] = {}
    for row_id in card_rows_shown(item, answers):
        cells: dict[str, str] = {}
        for column in item.columns:
            if column.id not in card_columns_asked(item, cells):
                continue
            usable = [o.value for o in column.options if not o.not_applicable]
            if usable:
                cells[column.id] = rng.choice(usable)
        if cells:
            out[row_id] = cells
    return out or NO_ANSWER


def _choices(item: Item, rng: random.Random) -> Any:
    usable = _usable(item)
    if not usable:
        return NO_ANSWER
    limit = item.max_choices or (3 if item.type == "priority" else len(usable))
    count = rng.randint(1, max(1, min(limit, len(usable), 3)))
    picked = rng.sample(usable, count)
    if count == 1:
        return picked
    # an exclusive option ("none of these") is ticked alone: with others it is left out
    alone = {o.value for o in item.options if o.exclusive}
    return [v for v in picked if v not in alone] or picked[:1]


def _number(item: Item, rng: random.Random) -> int | float:
    low = float(item.min) if isinstance(item.min, (int, float)) else 0.0
    high = float(item.max) if isinstance(item.max, (int, float)) else low + 40
    if high < low:
        high = low
    if item.integer:
        first, last = int(-(-low // 1)), int(high // 1)  # ceil(low), floor(high)
        return rng.randint(first, last) if first <= last else int(low)
    return round(rng.uniform(low, high), 1) if high - low >= 0.1 else low


def _limit(value: Any, today: dt.date) -> dt.date | None:
    if value == "today":
        return today
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _date(item: Item, rng: random.Random, today: dt.date) -> str:
    high = _limit(item.max, today)
    low = _limit(item.min, today)
    if low is None:
        low = (high or today) - dt.timedelta(days=3 * 365)
    if high is None:
        high = low + dt.timedelta(days=3 * 365)
    span = max(0, (high - low).days)
    return (low + dt.timedelta(days=rng.randint(0, span))).isoformat()


def _text(item: Item, rng: random.Random) -> str:
    limit = item.max_length or DEFAULT_MAX_LENGTH[item.type]
    if item.type == "text":
        text = rng.choice(SHORT)
    else:
        text = " ".join(rng.sample(PHRASES, rng.randint(1, 3)))
    return text[:limit].rstrip() or "Ja"[:limit]


def _repeat(
    defn: FormDefinition,
    item: Item,
    answers: dict[str, Any],
    rng: random.Random,
    today: dt.date,
    around: dict[str, Any],
) -> Any:
    """Entries of a repeat group (``around``: the answers of the entries around a nested one)."""
    low = int(item.min) if isinstance(item.min, (int, float)) else 0
    high = int(item.max) if isinstance(item.max, (int, float)) else 10
    count = min(max(low, rng.randint(1, 2)), high)
    entries = []
    for _n in range(count):
        entry: dict[str, Any] = {}
        tried: set[str] = set()
        for _round in range(ROUNDS):
            todo = [
                c for c in item.fields if c.id not in tried and _shown(defn, c, answers, {**around, **entry})
            ]
            if not todo:
                break
            for child in todo:
                tried.add(child.id)
                value = _answer(defn, child, answers, rng, today, {**around, **entry})
                if value is not NO_ANSWER:
                    entry[child.id] = value
            entry = {
                k: v for k, v in entry.items() if _shown(defn, defn.item(k), answers, {**around, **entry})
            }
        entries.append(entry)
    return entries


def _shown(defn: FormDefinition, child: Item, answers: dict[str, Any], scope: dict[str, Any]) -> bool:
    """Is a repeat entry's item shown (its own show_if and those of the groups around it in the entry)?"""
    return all(c.truthy(resolver(answers, scope)) for c in entry_conditions(defn, child))
