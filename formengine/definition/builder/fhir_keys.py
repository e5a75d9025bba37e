"""Reads the ``fhir:`` keys of an imported form (see :mod:`formengine.definition.fhir_meta`).

- top level: ``fhir: {url, version}`` (the source Questionnaire's canonical);
- a section or an item: ``fhir: {linkId, code: [{system, code, display}], under, top_level,
  type: quantity, unit: {system, code, display}}``;
- an option: ``fhir: {system, code, display}`` (its source Coding).

Every linkId is unique in the form (FE151); unknown keys and wrong types are FE102/FE103.
"""

from __future__ import annotations

from typing import Any

from formengine.definition.builder.texts import Checker
from formengine.definition.fhir_meta import Coding, FhirForm, FhirItem
from formengine.errors.problems import Location

ITEM_KEYS = ("linkId", "code", "under", "top_level", "type", "unit")
CODING_KEYS = ("system", "code", "display")


class FhirReader(Checker):
    """Mixin for the Builder: the ``fhir:`` keys, with located problems."""

    link_ids: dict[str, Location]

    def _fhir_block(self, data: dict[str, Any], path: tuple[Any, ...]) -> dict[str, Any] | None:
        if "fhir" not in data:
            return None
        return self.mapping(data["fhir"], path + ("fhir",), "fhir")

    def _fhir_text(self, block: dict[str, Any], key: str, path: tuple[Any, ...]) -> str | None:
        value = block.get(key)
        if value is None:
            return None
        ok = self.typed(value, path + (key,), (str,), "a text", key) and bool(value)
        return str(value) if ok else None

    def fhir_form(self, data: dict[str, Any]) -> FhirForm | None:
        block = self._fhir_block(data, ())
        if block is None:
            return None
        self.keys(block, ("fhir",), ("url", "version"), "fhir")
        return FhirForm(
            self._fhir_text(block, "url", ("fhir",)), self._fhir_text(block, "version", ("fhir",))
        )

    def fhir_coding(self, block: dict[str, Any], path: tuple[Any, ...]) -> Coding | None:
        self.keys(block, path, CODING_KEYS, "a FHIR coding", required=("code",))
        code = self._fhir_text(block, "code", path)
        if code is None:
            return None
        return Coding(code, self._fhir_text(block, "system", path), self._fhir_text(block, "display", path))

    def fhir_option(self, entry: dict[str, Any], path: tuple[Any, ...]) -> Coding | None:
        block = self._fhir_block(entry, path)
        return None if block is None else self.fhir_coding(block, path + ("fhir",))

    def fhir_item(self, data: dict[str, Any], path: tuple[Any, ...]) -> FhirItem | None:
        block = self._fhir_block(data, path)
        if block is None:
            return None
        where = path + ("fhir",)
        self.keys(block, where, ITEM_KEYS, "fhir")
        link = self._fhir_text(block, "linkId", where)
        if link is not None:
            seen = getattr(self, "link_ids", None)
            if seen is None:
                seen = self.link_ids = {}
            if link in seen:
                self.error("FE151", where + ("linkId",), link=link, first_line=seen[link].line)
            else:
                seen[link] = self.doc.loc(where + ("linkId",))
        codes = []
        for i, entry in enumerate(self.sequence(block.get("code", []), where + ("code",), "code") or []):
            if self.mapping(entry, where + ("code", i), "a FHIR coding") is not None:
                coding = self.fhir_coding(entry, where + ("code", i))
                codes += [coding] if coding else []
        kind = self._fhir_text(block, "type", where)
        if kind not in (None, "quantity"):
            self.error("FE103", where + ("type",), key="type", expected="quantity", actual=kind)
            kind = None
        unit = block.get("unit")
        return FhirItem(
            link,
            tuple(codes),
            self._fhir_text(block, "under", where),
            self.boolean(block, "top_level", where),
            kind,
            self.fhir_coding(unit, where + ("unit",))
            if unit is not None and self.mapping(unit, where + ("unit",), "unit")
            else None,
        )
