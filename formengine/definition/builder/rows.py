"""Rows of a matrix and the cards of a ``cards`` item (fixed ``rows`` or ``rows_from``, and ``columns``).

:class:`RowReader` is one declared part of the :class:`~formengine.definition.builder.validation.Builder`;
it builds on the :class:`~formengine.definition.builder.options.OptionReader` for each column's options.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from formengine.definition import item_types as it
from formengine.definition.builder.options import OptionReader
from formengine.definition.loader import Document
from formengine.definition.model import Column, Item, Row, Section, walk
from formengine.errors.problems import Problem, suggest
from formengine.expressions.parser import Expression, parse
from formengine.expressions.tokens import ExpressionSyntaxError


class RowReader(OptionReader):
    """Reads matrix rows, cards (rows or rows_from, and columns) and count limits."""

    def __init__(self, doc: Document, **options: Any) -> None:
        super().__init__(doc, **options)
        self.cards_paths: dict[
            str, tuple[Any, ...]
        ] = {}  # cards item id -> its path (rows_from is resolved later)

    def _at_least_one(self, data: dict[str, Any], key: str, path: tuple[Any, ...]) -> float | None:
        """A count limit (max_length, max_choices): below 1 the item could never be answered (FE132)."""
        value = self.number(data, key, path)
        if value is not None and value < 1:
            self.error("FE132", path + (key,), key=key, value=value, least=1)
            return None
        return value

    def _cards(self, data: dict[str, Any], path: tuple[Any, ...], ident: str | None) -> dict[str, Any]:
        """Read a cards item: ``rows`` or ``rows_from`` (resolved after all sections), and ``columns``."""
        fields: dict[str, Any] = {}
        has_rows, has_from = "rows" in data, "rows_from" in data
        if has_rows == has_from:
            self.error("FE145", path)
        if has_rows:
            fields["rows"] = self._rows(data, path, "a card row")
        if has_from:
            source = data["rows_from"]
            if self.typed(source, path + ("rows_from",), (str,), "an id (text)", "rows_from"):
                fields["rows_from"] = source
                if ident:
                    self.cards_paths[ident] = path
        columns: list[Column] = []
        listed = self.list_of_maps(data, "columns", path)
        if "columns" not in data:
            self.error("FE101", path, key="columns", where="a cards item")
        elif not listed and isinstance(data["columns"], list):
            self.error("FE147", path + ("columns",))
        all_ids = {str(e.get("id")) for _, e in listed if isinstance(e.get("id"), str)}
        for cpath, entry in listed:
            self.keys(
                entry,
                cpath,
                ("id", "label", "help", "options", "show_if"),
                "a column",
                required=("id", "label", "options"),
            )
            cid = self.ident(entry.get("id"), cpath + ("id",)) if "id" in entry else None
            if cid is None:
                continue
            if any(c.id == cid for c in columns):
                self.error("FE144", cpath + ("id",), id=cid, what="column")
                continue
            options = (
                self._item_options(entry, cpath, it.ITEM_TYPES["single_choice"]) if "options" in entry else ()
            )
            columns.append(
                Column(
                    cid,
                    self.text(entry, "label", cpath, f"column '{cid}'", True),
                    options,
                    self.text(entry, "help", cpath, f"column '{cid}'"),
                    self._column_condition(entry, cpath, cid, columns, all_ids),
                )
            )
        fields["columns"] = tuple(columns)
        return fields

    def _column_condition(
        self,
        entry: dict[str, Any],
        cpath: tuple[Any, ...],
        cid: str,
        earlier: list[Column],
        all_ids: set[str],
    ) -> Expression | None:
        """A column's ``show_if``: it may name only the card's earlier columns (FE154, FE155),
        compared with their own option values (FE204)."""
        source = entry.get("show_if")
        path = cpath + ("show_if",)
        if source is None:
            return None
        if isinstance(source, bool):
            source = "true" if source else "false"
        if not self.typed(source, path, (str,), "an expression (text)", "show_if"):
            return None
        try:
            expr = parse(source)
        except ExpressionSyntaxError as exc:
            args = {"problem": exc.problem, "name": source[exc.offset :].split("(")[0]}
            self.problems.append(Problem(exc.code, self.expr_loc(path, exc.offset), args))
            return None
        before = {c.id: c for c in earlier}
        ok = True
        for ref in expr.references():
            if ref.name in before:
                continue
            ok = False
            if ref.name in all_ids:  # itself or a column below it
                args = {"column": cid, "name": ref.name}
                self.problems.append(Problem("FE155", self.expr_loc(path, ref.offset), args))
            else:
                args = {"name": ref.name, "suggestion": suggest(ref.name, before)}
                self.problems.append(Problem("FE154", self.expr_loc(path, ref.offset), args))
        for ref, literal in expr.literal_comparisons():
            column = before.get(ref.name)
            if column is not None and isinstance(literal, str) and literal not in column.option_values:
                ok = False
                args = {"value": literal, "item": ref.name, "options": ", ".join(column.option_values)}
                self.problems.append(Problem("FE204", self.expr_loc(path, ref.offset), args))
        return expr if ok else None

    def _rows(
        self, data: dict[str, Any], path: tuple[Any, ...], what: str = "a matrix row"
    ) -> tuple[Row, ...]:
        out, seen = [], set()
        if "rows" not in data:
            self.error("FE101", path, key="rows", where="a matrix item")
        if isinstance(data.get("rows"), list) and not data["rows"]:
            self.error("FE133", path + ("rows",))
        for rpath, row in self.list_of_maps(data, "rows", path):
            self.keys(row, rpath, ("id", "label"), what, required=("id", "label"))
            ident = self.ident(row.get("id"), rpath + ("id",)) if "id" in row else None
            if ident in seen:
                self.error("FE105", rpath + ("id",), id=ident, first_line=self.doc.loc(rpath).line)
            elif ident:
                seen.add(ident)
                out.append(Row(ident, self.text(row, "label", rpath, f"row '{ident}'", True)))
        return tuple(out)

    def _resolve_rows_from(self, sections: tuple[Section, ...]) -> tuple[Section, ...]:
        """Give each ``rows_from`` cards item one row per option of its multi_choice source.

        The source must be a top-level multi_choice item before the cards item, or in the same
        section (FE146).
        """
        if not self.cards_paths:
            return sections
        seen: dict[str, tuple[int, Item]] = {}  # item id -> (section index, item)
        for s_index, section in enumerate(sections):
            for item, _box in walk(section.items):
                seen[item.id] = (s_index, item)
        earlier: set[str] = set()

        def resolve(items: tuple[Item, ...], s_index: int) -> tuple[Item, ...]:
            out = []
            for item in items:
                if item.items:
                    item = replace(item, items=resolve(item.items, s_index))
                if item.type == "cards" and item.rows_from is not None:
                    item = self._rows_from(item, seen, earlier, s_index)
                out.append(item)
                earlier.add(item.id)
            return tuple(out)

        return tuple(replace(section, items=resolve(section.items, i)) for i, section in enumerate(sections))

    def _rows_from(
        self, item: Item, seen: dict[str, tuple[int, Item]], earlier: set[str], s_index: int
    ) -> Item:
        found = seen.get(item.rows_from or "")
        source = found[1] if found is not None else None
        ok = (
            source is not None
            and source.type == "multi_choice"
            and source is not item
            and (item.rows_from in earlier or (found is not None and found[0] == s_index))
        )
        if source is None or not ok:
            choices = [i for i, (_, it_) in seen.items() if it_.type == "multi_choice"]
            self.error(
                "FE146",
                self.cards_paths[item.id] + ("rows_from",),
                name=item.rows_from,
                suggestion=suggest(item.rows_from or "", choices),
            )
            return item
        for option in source.options:
            if option.exclusive:  # "none of these" is not a card
                self.error(
                    "FE158", self.cards_paths[item.id] + ("rows_from",), name=source.id, value=option.value
                )
        return replace(item, rows=tuple(Row(o.value, o.label) for o in source.options))
