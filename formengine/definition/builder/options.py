"""Options of a form: option sets, an item's options (or its type's built-in ones), option groups.

:class:`OptionReader` is one declared part of the :class:`~formengine.definition.builder.validation.Builder`;
it owns the form's option sets and where each option was written.
"""

from __future__ import annotations

from typing import Any

from formengine.definition import item_types as it
from formengine.definition.builder.fhir_keys import FhirReader
from formengine.definition.builder.texts import OPTION_VALUE
from formengine.definition.loader import Document
from formengine.definition.model import Option, OptionGroup, Text
from formengine.errors.problems import suggest


class OptionReader(FhirReader):
    """Reads ``option_sets``, an item's ``options`` and their groups."""

    def __init__(self, doc: Document, **options: Any) -> None:
        super().__init__(doc, **options)
        self.option_sets: dict[str, tuple[Option, ...]] = {}
        self.option_paths: dict[int, tuple[Any, ...]] = {}  # id(Option) -> where it was written

    def _option_sets(self, data: dict[str, Any]) -> dict[str, tuple[Option, ...]]:
        sets = data.get("option_sets")
        if sets is None or self.mapping(sets, ("option_sets",), "option_sets") is None:
            return {}
        return {name: self.options(value, ("option_sets", name)) for name, value in sets.items()}

    def _item_options(
        self, data: dict[str, Any], path: tuple[Any, ...], spec: it.ItemType
    ) -> tuple[Option, ...]:
        value = data.get("options")
        if value is None:
            if spec.needs_options:
                self.error("FE115", path, type=spec.name)
                return ()
            return tuple(
                Option(v, self._builtin(labels), score, na) for v, labels, score, na in spec.default_options
            )
        if isinstance(value, str):
            if value not in self.option_sets:
                self.error(
                    "FE116", path + ("options",), name=value, suggestion=suggest(value, self.option_sets)
                )
                return ()
            options = self.option_sets[value]
        else:
            options = self.options(value, path + ("options",))
            if isinstance(value, list) and not value and spec.needs_options:
                self.error("FE115", path + ("options",), type=spec.name)
        self._exclusive(value, path, spec, options)
        if spec.name == "yes_no":
            values = [o.value for o in options if not o.not_applicable]
            if sorted(values) != ["no", "yes"] or len(options) - len(values) > 1:
                self.error("FE125", path + ("options",))
        return options

    def _exclusive(
        self, value: Any, path: tuple[Any, ...], spec: it.ItemType, options: tuple[Option, ...]
    ) -> None:
        """``exclusive: true`` only on a multi_choice's options (FE156), never on all of them (FE157)."""
        marked = [o for o in options if o.exclusive]
        if not marked:
            return
        if spec.name != "multi_choice":
            for option in marked:
                # An option set is shared: point at the item's ``options:``; else at the key itself.
                where = path + ("options",)
                if not isinstance(value, str):
                    where = self.option_paths.get(id(option), where) + ("exclusive",)
                self.error("FE156", where, at_key=True, value=option.value, type=spec.name)
        elif len(marked) == len(options):
            self.error("FE157", path + ("options",), at_key=True)

    def _builtin(self, labels: dict[str, Any]) -> Text:
        return Text(tuple((lang, labels[lang]) for lang in self.languages if lang in labels), self.default)

    def options(self, value: Any, path: tuple[Any, ...]) -> tuple[Option, ...]:
        if self.sequence(value, path, "options") is None:
            return ()
        out, seen = [], set()
        for i, entry in enumerate(value):
            opath = path + (i,)
            if self.mapping(entry, opath, "an option") is None:
                continue
            self.keys(
                entry,
                opath,
                ("value", "label", "score", "not_applicable", "group", "fhir", "exclusive"),
                "an option",
            )
            if "value" not in entry or entry["value"] is None:
                self.error("FE111", opath)
                continue
            raw = entry["value"]
            option_value = str(raw) if isinstance(raw, int) and not isinstance(raw, bool) else raw
            if not isinstance(option_value, str) or not OPTION_VALUE.match(option_value):
                self.error("FE122", opath + ("value",), value=raw)
                continue
            if option_value in seen:
                self.error("FE113", opath + ("value",), value=option_value)
            seen.add(option_value)
            score = entry.get("score")
            if score is not None and (isinstance(score, bool) or not isinstance(score, (int, float))):
                self.error("FE112", opath + ("score",), score=score)
                score = None
            elif score is not None and not self.in_range(score, opath + ("score",), "score"):
                score = None
            group = entry.get("group")
            if group is not None and not self.typed(
                group, opath + ("group",), (str,), "an id (text)", "group"
            ):
                group = None
            option = Option(
                option_value,
                self.text(entry, "label", opath, f"option '{option_value}'", True),
                score,
                self.boolean(entry, "not_applicable", opath),
                group,
                self.fhir_option(entry, opath),
                self.boolean(entry, "exclusive", opath),
            )
            self.option_paths[id(option)] = opath
            out.append(option)
        return tuple(out)

    def _groups(
        self, data: dict[str, Any], path: tuple[Any, ...], options: tuple[Option, ...]
    ) -> tuple[OptionGroup, ...]:
        """Read ``groups:`` and check that the options name them (FE141–FE144)."""
        groups: list[OptionGroup] = []
        for gpath, entry in self.list_of_maps(data, "groups", path):
            self.keys(entry, gpath, ("id", "label"), "an option group", required=("id", "label"))
            ident = self.ident(entry.get("id"), gpath + ("id",)) if "id" in entry else None
            if ident is None:
                continue
            if any(g.id == ident for g in groups):
                self.error("FE144", gpath + ("id",), id=ident, what="group")
                continue
            groups.append(OptionGroup(ident, self.text(entry, "label", gpath, f"group '{ident}'", True)))
        grouped = any(o.group is not None for o in options)
        if not groups and not grouped:
            return ()
        ids = [g.id for g in groups]
        used: set[str] = set()
        for option in options:
            opath = self.option_paths.get(id(option), path + ("options",))
            if option.group is None:
                self.error("FE142", opath, value=option.value)
            elif option.group not in ids:
                self.error(
                    "FE141",
                    opath + ("group",),
                    value=option.value,
                    group=option.group,
                    suggestion=suggest(option.group, ids),
                )
            else:
                used.add(option.group)
        for i, group in enumerate(groups):
            if group.id not in used:
                self.error("FE143", path + ("groups", i), group=group.id)
        return tuple(groups)
