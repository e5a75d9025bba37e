"""How a scale adds up: exact decimal arithmetic, memoised score tables, and one scale's tally.

The building blocks of :class:`formengine.scoring.engine.Scorer` (see that module for the rules).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from formengine.answers.conditions import card_columns_asked, card_rows_shown
from formengine.definition.model import Item, Scale
from formengine.expressions.parser import Expression

_NA = object()  # marks a "not applicable" option in a score table
_CENT = Decimal("0.01")
_ZERO = Decimal("0.00")
MEMO_LIMIT = 4096


def _decimal(number: float | int) -> Decimal:
    # repr gives the shortest text that round-trips, so 1.005 becomes exactly Decimal('1.005')
    return Decimal(repr(number)) if isinstance(number, float) else Decimal(number)


def _exact(number: Decimal) -> Decimal | int:
    """Return a whole number as an int: int sums are several times faster than Decimal ones."""
    if not number.is_finite():  # inf/nan from an old definition: the scale becomes "not_scorable"
        return number
    return int(number) if number == number.to_integral_value() else number


def round_cents(value: Decimal) -> Decimal:
    rounded = value.quantize(_CENT, rounding=ROUND_HALF_UP)
    return rounded if rounded else _ZERO  # no "-0.0" in reports


class Memo:
    """An expression with its results remembered by the values of the names it reads.

    Expressions are pure functions of those values, and answers come from small option
    sets, so most evaluations of a form's rules become one dictionary lookup.
    """

    __slots__ = ("expr", "names", "results")

    def __init__(self, expr: Expression):
        self.expr = expr
        self.names = tuple(dict.fromkeys(ref.name for ref in expr.references()))
        self.results: dict[tuple[Any, ...], bool] = {}

    def truthy(self, resolve: Callable[[str], object]) -> bool:
        """Return the truth of the expression under ``resolve``."""
        # the class is part of the key because 1 == 1.0 == True in a dict, not in expressions
        key = tuple((v.__class__, v) for v in map(resolve, self.names))
        try:
            return self.results[key]
        except KeyError:
            pass
        except TypeError:  # a list or mapping among the values: evaluate directly
            return self.expr.truthy(resolve)
        result = self.expr.truthy(resolve)
        if len(self.results) < MEMO_LIMIT:
            self.results[key] = result
        return result


class ScaleSpec:
    """One scale with a score table per item: option value → weighted score, or _NA."""

    __slots__ = ("scale", "entries", "bands", "fraction", "count", "mean", "plain", "cells")

    def __init__(self, scale: Scale, index: dict[str, Item]):
        self.scale = scale
        weights = {name: _decimal(w) for name, w in scale.weights}
        self.entries = tuple(
            _entry(name, index[name], name in scale.reverse, weights.get(name, Decimal(1)))
            for name in scale.items
        )
        self.bands = tuple((None if b.max is None else _decimal(b.max), b) for b in scale.bands)
        minimum = scale.min_answered
        self.fraction = _decimal(minimum) if isinstance(minimum, float) else None
        self.count = int(minimum)
        self.mean = scale.method == "mean"
        self.plain = frozenset(e[0] for e in self.entries if e[1].__class__ is not tuple)  # item ids
        self.cells = len(self.entries) - sum(e[1].__class__ is not tuple for e in self.entries)

    def not_asked(self, hidden: set[str], skipped: int) -> bool:
        """Return True if conditions hid every plain item and every card cell was not asked
        (``skipped`` of :func:`tally`): nothing of the scale was asked of this answer set."""
        return bool(self.plain) and skipped == self.cells and self.plain <= hidden

    def required(self, n_items: int) -> int:
        """Return how many scored answers the scale needs out of ``n_items``."""
        if self.fraction is not None:
            return max(1, math.ceil(self.fraction * n_items))
        return min(self.count, n_items)


def _entry(name: str, item: Item, reverse: bool, weight: Decimal) -> tuple[Any, ...]:
    item_id, _, row_name = name.partition(".")
    row: str | tuple[str, str, Item] = row_name
    options = item.options
    if item.type == "cards":  # a card cell: the row is (row id, column id, cards item)
        row_id, _, column_id = row_name.partition(".")
        column = item.column(column_id)
        options = column.options if column is not None else ()
        row = (row_id, column_id, item)
    scored = [_decimal(o.score) for o in options if o.score is not None and not o.not_applicable]
    low, high = (min(scored), max(scored)) if scored else (Decimal(0), Decimal(0))
    multi = item.type == "multi_choice"
    table: dict[str, Any] = {}
    for option in options:
        if option.not_applicable:
            table[option.value] = _NA
        elif option.score is not None:
            value = _decimal(option.score)
            table[option.value] = _exact((low + high - value if reverse else value) * weight)
        elif multi:
            table[option.value] = 0
    return item_id, row or None, table, multi, _exact(weight)


def tally(spec: ScaleSpec, answers: dict[str, Any]) -> tuple[Decimal, Decimal, int, int, int]:
    """Return (weighted total, total weight, scored answers, not-applicable answers, cells not asked).

    A card cell is not asked when its card is not shown (not ticked in ``rows_from``), the card
    ended before its column, or its column's ``show_if`` does not hold; such a cell is left out
    of the scale's item count.
    """
    total: Decimal | int = 0
    weight_sum: Decimal | int = 0
    answered, na, skipped = 0, 0, 0
    shown_rows: dict[str, set[str]] = {}  # per cards item, once per answer set
    for item_id, row, table, multi, weight in spec.entries:
        value = answers.get(item_id)
        if row.__class__ is tuple:
            row_id, column_id, card = row
            cells = value.get(row_id) if isinstance(value, dict) else None
            cells = cells if isinstance(cells, dict) else {}
            shown = shown_rows.get(item_id)
            if shown is None:
                shown = shown_rows[item_id] = set(card_rows_shown(card, answers))
            if row_id not in shown or column_id not in card_columns_asked(card, cells):
                skipped += 1
                continue
            value = cells.get(column_id)
        elif row is not None:
            value = value.get(row) if isinstance(value, dict) else None
        if value is None:
            continue
        if multi:
            if not isinstance(value, list):
                continue
            got = [table.get(v) for v in value if isinstance(v, str)]
            scored = [g for g in got if g is not None and g is not _NA]
            if scored:
                total += sum(scored)
                weight_sum += weight
                answered += 1
            elif _NA in got:
                na += 1
            continue
        hit = table.get(value) if isinstance(value, str) else None
        if hit is None:
            continue
        if hit is _NA:
            na += 1
        else:
            total += hit
            weight_sum += weight
            answered += 1
    return Decimal(total), Decimal(weight_sum), answered, na, skipped
