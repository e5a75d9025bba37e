"""Reads ``calculated:`` and ``read_only:`` of an item (see :mod:`formengine.definition.calculation`).

:class:`CalculationReader` is one declared part of the
:class:`~formengine.definition.builder.validation.Builder`, built on the
:class:`~formengine.definition.builder.references.ExpressionReader`: an expression in our
language is parsed and its references checked like every other expression; FHIRPath is checked
for syntax at load (FE211) and the linkIds it names are checked once every id is known (FE210).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from formengine.definition import item_types as it
from formengine.definition.builder.references import ExpressionReader
from formengine.definition.calculation import (
    FHIRPATH,
    OURS,
    VARIABLE_NAME,
    Calculation,
    fhirpath_syntax,
    linked_ids,
)
from formengine.definition.model import Item
from formengine.errors.problems import suggest

Path = tuple[Any, ...]
_CALC_KEYS = ("fhirpath", "variables")
_VARIABLE_KEYS = ("name", "expression")


@dataclass
class PendingFhirPath:
    """A FHIRPath text whose linkIds are checked once every item id is known."""

    source: str
    path: Path  # of the YAML scalar holding it


class CalculationReader(ExpressionReader):
    """Reads an item's ``read_only`` and ``calculated`` keys."""

    def __init__(self, *args: Any, **options: Any) -> None:
        super().__init__(*args, **options)
        self.fhirpaths: list[PendingFhirPath] = []

    def calculation_fields(
        self, data: dict[str, Any], path: Path, spec: it.ItemType, ident: str | None
    ) -> dict[str, Any]:
        """The ``read_only`` and ``calculated`` fields of an item (empty when its type takes neither)."""
        out: dict[str, Any] = {}
        if path.count("items") > 1:  # a repeat group's child: answered per entry, never computed
            for key in ("read_only", "calculated"):
                if key in data:
                    self.error("FE149", path + (key,), at_key=True, key=key)
            return out
        if "read_only" in spec.keys:
            out["read_only"] = self.boolean(data, "read_only", path)
        if "calculated" not in spec.keys or data.get("calculated") is None:
            return out
        calculation = self._calculation(data, path, ident)
        if calculation is not None:
            out.update(calculated=calculation, read_only=True)
        for key in ("required", "required_if"):  # nobody types a calculated answer
            if data.get(key) not in (None, False):
                self.error("FE152", path + (key,), at_key=True, key=key)
        if data.get("read_only") is False:
            self.error("FE152", path + ("read_only",), at_key=True, key="read_only: false")
        return out

    def _calculation(self, data: dict[str, Any], path: Path, ident: str | None) -> Calculation | None:
        value = data["calculated"]
        if isinstance(value, str):
            expr = self.expression(data, "calculated", path, "calculated", ident)
            return Calculation(OURS, value, expr) if expr is not None else None
        where = path + ("calculated",)
        block = self.mapping(value, where, "calculated")
        if block is None:
            return None
        self.keys(block, where, _CALC_KEYS, "calculated", required=("fhirpath",))
        source = block.get("fhirpath")
        if not isinstance(source, str) or not self._fhirpath(source, where + ("fhirpath",)):
            if source is not None:
                self.typed(source, where + ("fhirpath",), (str,), "a FHIRPath expression (text)", "fhirpath")
            return None
        variables = self._variables(block.get("variables"), where + ("variables",))
        if variables is None:
            return None
        return Calculation(FHIRPATH, source, None, variables)

    def _variables(self, value: Any, path: Path) -> tuple[tuple[str, str], ...] | None:
        if value is None:
            return ()
        entries = self.sequence(value, path, "variables")
        if entries is None:
            return None
        out: list[tuple[str, str]] = []
        ok = True
        for n, entry in enumerate(entries):
            block = self.mapping(entry, path + (n,), "variables")
            if block is None:
                ok = False
                continue
            self.keys(block, path + (n,), _VARIABLE_KEYS, "a variable", required=_VARIABLE_KEYS)
            name, source = block.get("name"), block.get("expression")
            if not isinstance(name, str) or not VARIABLE_NAME.fullmatch(name):
                self.error("FE211", path + (n, "name"), problem=f"invalid variable name {name!r}")
                ok = False
            elif isinstance(source, str) and self._fhirpath(source, path + (n, "expression")):
                out.append((name, source))
            else:
                ok = False
        return tuple(out) if ok else None

    def _fhirpath(self, source: str, path: Path) -> bool:
        found = fhirpath_syntax(source)
        if found is not None:
            offset, problem = found
            self.problems.append(self._fhirpath_problem("FE211", path, offset, {"problem": problem}))
            return False
        self.fhirpaths.append(PendingFhirPath(source, path))
        return True

    def _fhirpath_problem(self, code: str, path: Path, offset: int, args: dict[str, Any]) -> Any:
        from formengine.errors.problems import Problem

        return Problem(code, self.expr_loc(path, offset), args)

    def check_fhirpath_links(self, index: dict[str, Item], section_ids: set[str]) -> None:
        """Every linkId a FHIRPath compares with must be an item, a matrix row or a section (FE210)."""
        known = set(index) | section_ids
        for pending in self.fhirpaths:
            for link, offset in linked_ids(pending.source):
                if link not in known:
                    args = {"name": link, "suggestion": suggest(link, known)}
                    self.problems.append(self._fhirpath_problem("FE210", pending.path, offset, args))
