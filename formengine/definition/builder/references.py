"""Expressions in a form: parsed where they are read, their references checked once all ids are known.

:class:`ExpressionReader` is one declared part of the :class:`~formengine.definition.builder.validation.Builder`:
it owns the list of pending expressions, and :meth:`ExpressionReader.check_references` takes the
finished item index and scale ids as explicit inputs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from formengine.definition.builder.texts import Checker
from formengine.definition.loader import Document
from formengine.definition.model import Item, Section, walk
from formengine.errors.problems import Problem, suggest
from formengine.expressions.parser import Expression, parse
from formengine.expressions.tokens import ExpressionSyntaxError

Path = tuple[Any, ...]


@dataclass
class PendingExpression:
    """An expression parsed at load, whose references are checked once all ids are known."""

    expr: Expression
    path: Path
    context: str  # "show_if" | "required_if" | "constraint" | "scoring" | "gap"
    owner: str | None = None  # the item it belongs to
    names: frozenset[str] = frozenset()  # extra names allowed (gap bindings)


def index_items(sections: tuple[Section, ...]) -> dict[str, Item]:
    """Map every item id (repeat children too), every matrix or card row ``m.r`` and every
    card cell ``c.r.col`` to its item."""
    out: dict[str, Item] = {}
    for section in sections:
        for each, _container in walk(section.items):
            out[each.id] = each
            for row in each.rows:
                out[f"{each.id}.{row.id}"] = each
                for col in each.columns:
                    out[f"{each.id}.{row.id}.{col.id}"] = each
    return out


def option_values_of(index: dict[str, Item], name: str) -> tuple[str, ...]:
    """The option values an answer path can take: an item, a matrix row or a card cell."""
    item = index.get(name)
    if item is None:
        return ()
    if item.columns:
        parts = name.split(".")
        col = item.column(parts[2]) if len(parts) == 3 else None
        return col.option_values if col is not None else ()
    return item.option_values


def _containers(index: dict[str, Item]) -> dict[str, tuple[str, ...]]:
    """Map each item id to the ids of every group and repeat group around it."""
    direct = {child.id: item.id for item in index.values() for child in item.items}
    out: dict[str, tuple[str, ...]] = {}
    for name in direct:
        chain: list[str] = []
        box = direct.get(name)
        while box is not None and len(chain) <= len(direct):
            chain.append(box)
            box = direct.get(box)
        out[name] = tuple(chain)
    return out


def _outside_entry(index: dict[str, Item], name: str, pending: PendingExpression) -> str | None:
    """The repeat group whose entries hold ``name`` when the expression is not inside that group.

    Inside a repeat entry an id means the answer in the same entry (or in an entry around
    it); anywhere else such an answer has no single value.
    """
    item = index.get(name.split(".")[0])
    if item is None or item.parent is None:
        return None
    owner = index.get(pending.owner or "")
    scopes: set[str] = set()
    box = owner.parent if owner is not None else None
    while box is not None and box not in scopes:  # the repeat groups around the expression's item
        scopes.add(box)
        box = index[box].parent if box in index else None
    return item.parent if item.parent not in scopes else None


class ExpressionReader(Checker):
    """Reads expressions (``show_if``, ``constraint``, scoring rules…) and checks what they name."""

    def __init__(self, doc: Document, **options: Any) -> None:
        super().__init__(doc, **options)
        self.expressions: list[PendingExpression] = []

    def expression(
        self,
        data: dict[str, Any],
        key: str,
        path: Path,
        context: str,
        owner: str | None = None,
        names: frozenset[str] = frozenset(),
    ) -> Expression | None:
        """Parse ``data[key]`` (reporting a located syntax error) and remember it for the reference check."""
        if key not in data or data[key] is None:
            return None
        source = data[key]
        if isinstance(source, bool):
            source = "true" if source else "false"
        if not self.typed(source, path + (key,), (str,), "an expression (text)", key):
            return None
        try:
            expr = parse(source)
        except ExpressionSyntaxError as exc:
            self.problems.append(
                Problem(
                    exc.code,
                    self.expr_loc(path + (key,), exc.offset),
                    {"problem": exc.problem, "name": source[exc.offset :].split("(")[0]},
                )
            )
            return None
        self.expressions.append(PendingExpression(expr, path + (key,), context, owner, names))
        return expr

    def check_references(self, index: dict[str, Item], scale_ids: set[str]) -> None:
        """Check every expression's references against the form's items, rows and scales."""
        answerable = {name for name, item in index.items() if item.type not in ("note", "group")}
        inside = _containers(index)
        scales = {f"score.{s}" for s in scale_ids if s}
        for pending in self.expressions:
            known = set(answerable) | set(pending.names)
            if pending.context in ("scoring", "gap"):
                known |= scales
            for ref in pending.expr.references():
                if ref.name == "value":
                    if pending.context != "constraint":
                        self._reference_problem("FE206", pending, ref.offset, {})
                    continue
                if ref.name not in known:
                    self._reference_problem(
                        "FE202",
                        pending,
                        ref.offset,
                        {"name": ref.name, "suggestion": suggest(ref.name, known)},
                    )
                elif pending.context == "show_if" and pending.owner in (
                    ref.name.split(".")[0],  # rows, cells too
                    *inside.get(ref.name.split(".")[0], ()),  # an item inside the group it shows
                ):
                    self._reference_problem("FE205", pending, ref.offset, {"name": ref.name})
                elif (group := _outside_entry(index, ref.name, pending)) is not None:
                    self._reference_problem("FE209", pending, ref.offset, {"name": ref.name, "group": group})
            for offset in pending.expr.zero_divisions():  # "value / 0": that part is always null
                self._reference_problem("FE208", pending, offset, {})
            owner = pending.owner or ""
            cards = index.get(owner[6:]) if owner.startswith("cards:") else None
            for ref, literal in pending.expr.literal_comparisons():
                if not isinstance(literal, str):
                    continue
                column = cards.column(ref.name) if cards is not None else None
                values = column.option_values if column is not None else option_values_of(index, ref.name)
                if values and literal not in values:
                    self._reference_problem(
                        "FE204",
                        pending,
                        ref.offset,
                        {"value": literal, "item": ref.name, "options": ", ".join(values)},
                    )

    def _reference_problem(
        self, code: str, pending: PendingExpression, offset: int, args: dict[str, Any]
    ) -> None:
        self.problems.append(Problem(code, self.expr_loc(pending.path, offset), args))
