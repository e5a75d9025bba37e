"""Groups and repeat groups: items that hold items, nested at any depth up to ``MAX_NESTING``.

:class:`GroupReader` is one declared part of the
:class:`~formengine.definition.builder.validation.Builder`. A ``group`` is a heading (optional)
over items that are shown or hidden together; it has no answer of its own, so its items'
answers sit beside the answers around it. A ``repeat`` is answered once per entry (a list of
objects keyed by its items' ids); the items of a group inside a repeat answer in the entry.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from formengine.definition import item_types as it
from formengine.definition.builder.references import ExpressionReader
from formengine.definition.fhir_meta import FhirItem
from formengine.definition.loader import Document
from formengine.definition.model import Item


class GroupReader(ExpressionReader):
    """Reads the items of a group or repeat group, and how deep containers nest (FE127, FE148)."""

    def __init__(self, doc: Document, **options: Any) -> None:
        super().__init__(doc, **options)
        self.depth = 0  # how many groups and repeat groups are open around the item being read
        self.repeats = 0  # how many of them are repeat groups

    def items(self, entry: dict[str, Any], path: tuple[Any, ...], parent: str | None = None) -> list[Item]:
        raise NotImplementedError  # the Builder reads items

    if TYPE_CHECKING:  # the Builder's FhirReader reads ``fhir:``

        def fhir_item(self, data: dict[str, Any], path: tuple[Any, ...]) -> FhirItem | None: ...

    def contained(
        self, data: dict[str, Any], path: tuple[Any, ...], ident: str | None, parent: str | None
    ) -> tuple[Item, ...]:
        """The items of a group or repeat; ``parent`` is the repeat their answers belong to."""
        if "items" not in data:
            self.error("FE101", path, key="items", where=f"item '{ident}'")
            return ()
        if self.depth >= it.MAX_NESTING:
            self.error("FE127", path + ("items",), limit=it.MAX_NESTING)
            return ()
        self.depth += 1
        try:
            items = tuple(self.items(data, path, parent=parent))
        finally:
            self.depth -= 1
        if not items and isinstance(data["items"], list) and not data["items"]:
            self.error("FE148", path + ("items",), id=ident)
        return items

    def group(
        self, data: dict[str, Any], path: tuple[Any, ...], ident: str | None, parent: str | None
    ) -> Item:
        """A ``group``: optional heading and help, show_if, and its items (answered beside it)."""
        where = f"item '{ident}'"
        return Item(
            ident or "",
            "group",
            label=self.text(data, "label", path, where),
            help=self.text(data, "help", path, where),
            show_if=self.expression(data, "show_if", path, "show_if", ident),
            items=self.contained(data, path, ident, parent),
            parent=parent,
            fhir=self.fhir_item(data, path),
            origin=self.origin(path),
            location=self.doc.loc(path),
        )

    def repeat_fields(self, data: dict[str, Any], path: tuple[Any, ...], ident: str | None) -> dict[str, Any]:
        """A repeat group's items (groups and repeat groups may nest) and its add button's label."""
        self.repeats += 1
        try:
            items = self.contained(data, path, ident, ident)
        finally:
            self.repeats -= 1
        return {"items": items, "add_label": self.text(data, "add_label", path, f"item '{ident}'")}

    def markable(self, offered: bool, by_default: bool, path: tuple[Any, ...]) -> tuple[bool, bool]:
        """``conversation_only`` is marked per entry of one repeat group, not inside a nested one (FE153)."""
        if offered and self.repeats > 1:
            self.error("FE153", path + ("conversation_only",), at_key=True)
            return False, False
        return offered, by_default
