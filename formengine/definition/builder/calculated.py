"""Reads ``calculated:``, ``read_only:`` and ``initial:`` of an item (see :mod:`formengine.definition.calculation`).

:class:`CalculationReader` is one declared part of the
:class:`~formengine.definition.builder.validation.Builder`, built on the
:class:`~formengine.definition.builder.references.ExpressionReader`: an expression in our
language is parsed and its references checked like every other expression; FHIRPath is checked
for syntax at load (FE211) and the linkIds it names are checked once every id is known (FE210).
"""

from __future__ import annotations

import datetime as dt
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


def _option_values(data: dict[str, Any], spec: it.ItemType) -> list[Any]:
    options = data.get("options")
    if isinstance(options, list):
        return [o.get("value") for o in options if isinstance(o, dict)]
    if isinstance(options, str):  # an option set: its values are checked once it is known
        return []
    return [o[0] for o in spec.default_options]


def initial_problem(value: Any, data: dict[str, Any], spec: it.ItemType) -> str:
    """Why ``value`` cannot be the initial answer of an item (empty when it can)."""
    kind = spec.answer
    if kind == "number":
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            return "not a number"
        if data.get("integer", True) is not False and not float(value).is_integer():
            return "not a whole number"
        low, high = data.get("min"), data.get("max")
        if (isinstance(low, (int, float)) and value < low) or (
            isinstance(high, (int, float)) and value > high
        ):
            return "outside min and max"
        return ""
    if kind == "text":
        limit = data.get("max_length") or it.DEFAULT_MAX_LENGTH.get(spec.name, 200)
        return (
            "" if isinstance(value, str) and value and len(value) <= limit else "not a text within max_length"
        )
    if kind == "date":
        try:
            ok = value == "today" or dt.date.fromisoformat(str(value)).isoformat() == value
        except ValueError:
            ok = False
        return "" if ok else "not a date (YYYY-MM-DD) or 'today'"
    values = _option_values(data, spec)
    chosen = value if kind in ("choices", "ordered_choices") and isinstance(value, list) else [value]
    if kind in ("choices", "ordered_choices") and not isinstance(value, list):
        return "not a list of option values"
    if not all(isinstance(v, str) for v in chosen) or (values and any(v not in values for v in chosen)):
        return "not one of the item's option values"
    options = data.get("options")
    alone = (
        [o.get("value") for o in options if isinstance(o, dict) and o.get("exclusive") is True]
        if isinstance(options, list)
        else []
    )
    if len(chosen) > 1 and any(v in alone for v in chosen):
        return "an exclusive option cannot be ticked with others"
    return ""


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
        self, data: dict[str, Any], path: Path, spec: it.ItemType, ident: str | None, parent: str | None
    ) -> dict[str, Any]:
        """The ``read_only``, ``calculated`` and ``initial`` fields of an item (empty when its type
        takes none of them)."""
        out: dict[str, Any] = {}
        if parent is not None:  # a repeat group's child: answered per entry, never computed
            for key in ("read_only", "calculated", "initial"):
                if key in data:
                    self.error("FE149", path + (key,), at_key=True, key=key)
            return out
        if "read_only" in spec.keys:
            out["read_only"] = self.boolean(data, "read_only", path)
        if "initial" in spec.keys and data.get("initial") is not None:
            out["initial"] = self._initial(data, path, spec)
        if "calculated" not in spec.keys or data.get("calculated") is None:
            return out
        calculation = self._calculation(data, path, ident)
        if calculation is not None:
            out.update(calculated=calculation, read_only=True)
        for key in ("required", "required_if", "initial"):  # nobody types a calculated answer
            if data.get(key) not in (None, False):
                self.error("FE152", path + (key,), at_key=True, key=key)
        if data.get("read_only") is False:
            self.error("FE152", path + ("read_only",), at_key=True, key="read_only: false")
        return out

    def _initial(self, data: dict[str, Any], path: Path, spec: it.ItemType) -> Any:
        """``initial``: an answer the item accepts (FE150 otherwise); a date may say ``today``."""
        value = data["initial"]
        reason = initial_problem(value, data, spec)
        if reason:
            self.error("FE150", path + ("initial",), value=value, reason=reason)
            return None
        return value

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
