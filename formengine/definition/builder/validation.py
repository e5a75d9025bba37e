"""Turn a loaded document into a frozen FormDefinition, reporting every problem in one run."""
from __future__ import annotations

from typing import Any

import re
from dataclasses import replace
from typing import Any

from formengine.definition import item_types as it
from formengine.definition.builder.catalogue import CatalogueReader
from formengine.definition.builder.references import ExpressionReader, index_items
from formengine.definition.builder.scoring_rules import ScoringReader
from formengine.definition.builder.texts import FORM_ID, OPTION_VALUE
from formengine.definition.loader import Document
from formengine.definition.model import (
    KINDS,
    LANGUAGES,
    STATUSES,
    FormDefinition,
    Item,
    Municipality,
    Column,
    Option,
    OptionGroup,
    Row,
    Section,
    Text,
)
from formengine.errors.problems import Location, Problem, suggest

SEMVER = re.compile(r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$")
DATE = re.compile(r"^(today|[0-9]{4}-[0-9]{2}-[0-9]{2})$")
TOP_KEYS = ("id", "version", "status", "kind", "title", "description", "languages",
            "default_language", "extends", "municipality", "option_sets", "domains", "sections",
            "scoring", "contacts", "offers", "changes", "prefill")
SECTION_KEYS = ("id", "title", "description", "show_if", "items")


def identify(doc: Document) -> tuple[str | None, str | None, list[Problem]]:
    """A document's form id and version, checked exactly as :class:`Builder` checks them.

    For a caller that needs them before building (e.g. to place an uploaded file at
    ``<id>/<version>.yaml``); the problems are FE101, FE103, FE106 and FE107.
    """
    data = doc.data if isinstance(doc.data, dict) else {}
    reader = Builder(doc)
    form_id = reader.ident(data["id"], ("id",), FORM_ID, "-") if "id" in data else None
    version = reader._version(data)
    for key in ("id", "version"):
        if key not in data:
            reader.error("FE101", (), key=key, where="the form")
    return form_id, version, reader.problems


class Builder(ScoringReader, ExpressionReader, CatalogueReader):
    """Reads one document (a core form or an already merged variant).

    Its declared parts: :class:`CatalogueReader` (domains, contacts, offers),
    :class:`ExpressionReader` (expressions and their references) and :class:`ScoringReader`
    (the scoring block); all share the located reads and problem list of ``Checker``. This
    class reads the top level, sections and items.
    """

    def __init__(self, doc: Document, strict: bool = False, expected_path: tuple[Any, ...] | None = None):
        super().__init__(doc, strict=strict)
        self.expected_path = expected_path
        self.ids: dict[str, Location] = {}
        self.option_sets: dict[str, tuple[Option, ...]] = {}
        self.option_paths: dict[int, tuple[Any, ...]] = {}  # id(Option) -> where it was written
        self.cards_paths: dict[str, tuple[Any, ...]] = {}  # cards item id -> its path (rows_from is resolved later)

    # -- top level ---------------------------------------------------------------------
    def build(self) -> FormDefinition | None:
        data = self.doc.data
        self.keys(data, (), TOP_KEYS, "the form",
                  required=("id", "version", "status", "title", "languages", "default_language", "sections"))
        form_id = self.ident(data["id"], ("id",), FORM_ID, "-") if "id" in data else None
        version = self._version(data)
        status = data.get("status", "draft")
        if status not in STATUSES:
            self.error("FE108", ("status",), status=status)
        kind = data.get("kind", "assessment")
        if kind not in KINDS:
            self.error("FE126", ("kind",), kind=kind)
        self._languages(data)
        self._check_path(form_id, version)
        title = self.text(data, "title", (), "the form", required="title" in data)
        description = self.text(data, "description", (), "the form")
        domains = self.domains(data)
        contacts = self.contacts(data)
        offers = self.offers(data, {c.id for c in contacts})
        self.option_sets = self._option_sets(data)
        sections = self._sections(data)
        index = index_items(sections)  # scoring and the reference check need every item built
        scoring = self.scoring(data, index)
        self.check_references(index, self.scale_ids)
        from formengine.definition.builder.prefill import build_prefill  # needs every item built

        prefill = build_prefill(self, data, sections)
        municipality = self._municipality(data)
        if self.has_errors or form_id is None or version is None:  # a missing id or version is an error
            return None
        return FormDefinition(
            id=form_id, version=version, status=status, kind=kind, title=title,
            description=description, languages=self.languages, default_language=self.default,
            sections=sections, scoring=scoring, domains=domains, contacts=contacts, offers=offers,
            extends=data.get("extends"), municipality=municipality, prefill=prefill, hash=self.doc.content_hash,
            source=self.doc.file)

    def _version(self, data: dict[str, Any]) -> str | None:
        if "version" not in data:
            return None
        version = data["version"]
        if not isinstance(version, str) or not SEMVER.match(version):
            self.error("FE107", ("version",), version=version)
            return None
        return version

    def _languages(self, data: dict[str, Any]) -> None:
        langs = data.get("languages")
        good: list[str] = []
        if langs is not None and self.sequence(langs, ("languages",), "languages") is not None:
            for i, lang in enumerate(langs):
                if lang not in LANGUAGES:
                    self.error("FE121", ("languages", i), lang=lang)
                elif lang not in good:
                    good.append(lang)
        self.languages = tuple(good) or ("nb",)
        default = data.get("default_language", self.languages[0])
        if default not in self.languages:
            self.error("FE118", ("default_language",), lang=default)
            default = self.languages[0]
        self.default = default

    def _check_path(self, form_id: str | None, version: str | None) -> None:
        if not self.expected_path:
            return
        want_id, want_version = self.expected_path
        if form_id and want_id and form_id != want_id:
            self.error("FE117", ("id",), key="id", value=form_id, expected=want_id)
        if version and want_version and version != want_version:
            self.error("FE117", ("version",), key="version", value=version, expected=want_version)

    def _municipality(self, data: dict[str, Any]) -> Municipality | None:
        value = data.get("municipality")
        if value is None or self.mapping(value, ("municipality",), "municipality") is None:
            return None
        self.keys(value, ("municipality",), ("id", "name", "duty_email"), "municipality", required=("id", "name"))
        return Municipality(str(value.get("id", "")), str(value.get("name", "")), str(value.get("duty_email", "")))

    def _unique(self, ident: str | None, path: tuple[Any, ...]) -> bool:
        if ident is None:
            return False
        if ident in self.ids:
            self.error("FE105", path, id=ident, first_line=self.ids[ident].line)
            return False
        self.ids[ident] = self.doc.loc(path)
        return True

    def _option_sets(self, data: dict[str, Any]) -> dict[str, tuple[Option, ...]]:
        sets = data.get("option_sets")
        if sets is None or self.mapping(sets, ("option_sets",), "option_sets") is None:
            return {}
        return {name: self.options(value, ("option_sets", name)) for name, value in sets.items()}

    # -- sections and items ----------------------------------------------------------------
    def _sections(self, data: dict[str, Any]) -> tuple[Section, ...]:
        out = []
        for path, entry in self.list_of_maps(data, "sections"):
            self.keys(entry, path, SECTION_KEYS, "a section", required=("id", "title", "items"))
            ident = self.ident(entry.get("id"), path + ("id",)) if "id" in entry else None
            self._unique(ident, path + ("id",))
            show_if = self.expression(entry, "show_if", path, "show_if")
            items = self.items(entry, path)
            if "items" in entry and not items and isinstance(entry["items"], list) and not entry["items"]:
                self.error("FE124", path + ("items",))
            out.append(Section(ident or "", self.text(entry, "title", path, f"section '{ident}'"),
                               tuple(items), self.text(entry, "description", path, f"section '{ident}'"),
                               show_if, self.origin(path), self.doc.loc(path)))
        return self._resolve_rows_from(tuple(out))

    def _resolve_rows_from(self, sections: tuple[Section, ...]) -> tuple[Section, ...]:
        """Give each ``rows_from`` cards item one row per option of its multi_choice source.

        The source must be a top-level multi_choice item before the cards item, or in the same
        section (FE146).
        """
        if not self.cards_paths:
            return sections
        seen: dict[str, tuple[int, Item]] = {}  # item id -> (section index, item)
        for s_index, section in enumerate(sections):
            for item in section.items:
                seen[item.id] = (s_index, item)
        out = []
        earlier: set[str] = set()
        for s_index, section in enumerate(sections):
            items = []
            for item in section.items:
                if item.type == "cards" and item.rows_from is not None:
                    found = seen.get(item.rows_from)
                    source = found[1] if found is not None else None
                    ok = source is not None and source.type == "multi_choice" and source is not item and (
                        item.rows_from in earlier or (found is not None and found[0] == s_index))
                    if source is None or not ok:
                        choices = [i for i, (_, it_) in seen.items() if it_.type == "multi_choice"]
                        self.error("FE146", self.cards_paths[item.id] + ("rows_from",), name=item.rows_from,
                                   suggestion=suggest(item.rows_from, choices))
                    else:
                        rows = tuple(Row(o.value, o.label) for o in source.options)
                        item = replace(item, rows=rows)
                items.append(item)
                earlier.add(item.id)
            out.append(replace(section, items=tuple(items)))
        return tuple(out)

    def items(self, entry: dict[str, Any], path: tuple[Any, ...], parent: str | None = None) -> list[Item]:
        out = []
        for item_path, item in self.list_of_maps(entry, "items", path):
            built = self.item(item, item_path, parent)
            if built is not None:
                out.append(built)
        return out

    def item(self, data: dict[str, Any], path: tuple[Any, ...], parent: str | None) -> Item | None:
        if "id" not in data:
            self.error("FE101", path, key="id", where="an item")
        ident = self.ident(data.get("id"), path + ("id",)) if "id" in data else None
        self._unique(ident, path + ("id",))
        kind = data.get("type")
        if kind not in it.ITEM_TYPES:
            if "type" not in data:
                all_keys = set(it.COMMON_KEYS).union(*(t.keys for t in it.ITEM_TYPES.values()))
                unknown = [k for k in data if k not in all_keys]
                for key in unknown:
                    self.error("FE102", path + (key,), at_key=True, key=key, where="an item",
                               suggestion=suggest(key, all_keys))
                if not any(suggest(k, ["type"]) for k in unknown):
                    self.error("FE101", path, key="type", where="an item")
            else:
                self.error("FE104", path + ("type",), type=kind, suggestion=suggest(str(kind), it.ITEM_TYPES),
                           known=", ".join(it.ITEM_TYPES))
            return None
        spec = it.ITEM_TYPES[kind]
        all_keys = set(it.COMMON_KEYS).union(*(t.keys for t in it.ITEM_TYPES.values()))
        for key in data:
            if key not in spec.allowed_keys:
                if key in all_keys:
                    self.error("FE119", path + (key,), at_key=True, key=key, type=kind)
                else:
                    self.error("FE102", path + (key,), at_key=True, key=key, where=f"a {kind} item",
                               suggestion=suggest(key, spec.allowed_keys))
        where = f"item '{ident}'"
        if kind == "note":
            note_text = self.text(data, "text", path, where, required="label" not in data)
            return Item(ident or "", kind, label=self.text(data, "label", path, where), text=note_text,
                        show_if=self.expression(data, "show_if", path, "show_if", ident),
                        parent=parent, origin=self.origin(path), location=self.doc.loc(path))
        fields = self._type_fields(data, path, spec, ident)
        offered, by_default = self._conversation_only(data, path)
        return Item(
            ident or "", kind, label=self.text(data, "label", path, where, required=True),
            help=self.text(data, "help", path, where),
            required=self.boolean(data, "required", path),
            required_if=self.expression(data, "required_if", path, "required_if", ident),
            show_if=self.expression(data, "show_if", path, "show_if", ident),
            constraint=self.expression(data, "constraint", path, "constraint", ident),
            constraint_message=self.text(data, "constraint_message", path, where),
            conversation_only=offered, conversation_only_default=by_default,
            parent=parent, origin=self.origin(path), location=self.doc.loc(path), **fields)

    def _conversation_only(self, data: dict[str, object], path: tuple[object, ...]) -> tuple[bool, bool]:
        """``conversation_only``: true (may be marked), false, or "default" (marked until unmarked)."""
        value = data.get("conversation_only", False)
        if value == "default":
            return True, True
        if not self.typed(value, path + ("conversation_only",), (bool,), "true, false or default",
                          "conversation_only"):
            return False, False
        return bool(value), False

    def _type_fields(self, data: dict[str, Any], path: tuple[Any, ...], spec: it.ItemType, ident: str | None) -> dict[str, Any]:
        fields: dict[str, Any] = {}
        where = f"item '{ident}'"
        if spec.has_options:
            fields["options"] = self._item_options(data, path, spec)
        if "groups" in spec.keys:
            fields["groups"] = self._groups(data, path, fields.get("options", ()))
        if spec.name == "cards":
            fields.update(self._cards(data, path, ident))
        elif "rows" in spec.keys:
            fields["rows"] = self._rows(data, path)
        if spec.name == "repeat":
            if isinstance(data.get("items"), list) and any(
                    isinstance(c, dict) and c.get("type") == "repeat" for c in data["items"]):
                self.error("FE127", path + ("items",))
            fields["items"] = tuple(self.items(data, path, parent=ident))
            if "items" not in data:
                self.error("FE101", path, key="items", where=where)
            fields["add_label"] = self.text(data, "add_label", path, where)
        if spec.answer in ("number", "repeat"):  # numeric min and max (a date's are dates)
            fields["min"] = self.number(data, "min", path)
            fields["max"] = self.number(data, "max", path)
            if spec.name == "repeat" and fields["max"] is None:
                fields["max"] = it.DEFAULT_REPEAT_MAX
        if spec.name == "date":
            for key in ("min", "max"):
                if key in data:
                    value = str(data[key])
                    if not DATE.match(value):
                        self.error("FE123", path + (key,), value=value)
                    fields[key] = value
        elif fields.get("min") is not None and fields.get("max") is not None and fields["min"] > fields["max"]:
            self.error("FE114", path + ("min",), min=fields["min"], max=fields["max"])
        if spec.name == "number":
            fields["unit"] = self.text(data, "unit", path, where)
            fields["integer"] = self.boolean(data, "integer", path, default=True)
        if spec.name in it.DEFAULT_MAX_LENGTH:
            fields["max_length"] = int(self.number(data, "max_length", path) or it.DEFAULT_MAX_LENGTH[spec.name])
        if "max_choices" in spec.keys:
            limit = self.number(data, "max_choices", path)
            fields["max_choices"] = int(limit) if limit else it.DEFAULT_MAX_CHOICES.get(spec.name)
        return fields

    def _item_options(self, data: dict[str, Any], path: tuple[Any, ...], spec: it.ItemType) -> tuple[Option, ...]:
        value = data.get("options")
        if value is None:
            if spec.needs_options:
                self.error("FE115", path, type=spec.name)
                return ()
            return tuple(Option(v, self._builtin(labels), score, na) for v, labels, score, na in spec.default_options)
        if isinstance(value, str):
            if value not in self.option_sets:
                self.error("FE116", path + ("options",), name=value, suggestion=suggest(value, self.option_sets))
                return ()
            options = self.option_sets[value]
        else:
            options = self.options(value, path + ("options",))
        if spec.name == "yes_no":
            values = [o.value for o in options if not o.not_applicable]
            if sorted(values) != ["no", "yes"] or len(options) - len(values) > 1:
                self.error("FE125", path + ("options",))
        return options

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
            self.keys(entry, opath, ("value", "label", "score", "not_applicable", "group"), "an option")
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
            group = entry.get("group")
            if group is not None and not self.typed(group, opath + ("group",), (str,), "an id (text)", "group"):
                group = None
            option = Option(option_value, self.text(entry, "label", opath, f"option '{option_value}'", True),
                            score, self.boolean(entry, "not_applicable", opath), group)
            self.option_paths[id(option)] = opath
            out.append(option)
        return tuple(out)

    def _groups(self, data: dict[str, Any], path: tuple[Any, ...], options: tuple[Option, ...]) -> tuple[OptionGroup, ...]:
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
                self.error("FE141", opath + ("group",), value=option.value, group=option.group,
                           suggestion=suggest(option.group, ids))
            else:
                used.add(option.group)
        for i, group in enumerate(groups):
            if group.id not in used:
                self.error("FE143", path + ("groups", i), group=group.id)
        return tuple(groups)

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
        for cpath, entry in listed:
            self.keys(entry, cpath, ("id", "label", "help", "options"), "a column",
                      required=("id", "label", "options"))
            cid = self.ident(entry.get("id"), cpath + ("id",)) if "id" in entry else None
            if cid is None:
                continue
            if any(c.id == cid for c in columns):
                self.error("FE144", cpath + ("id",), id=cid, what="column")
                continue
            options = self._item_options(entry, cpath, it.ITEM_TYPES["single_choice"]) if "options" in entry else ()
            columns.append(Column(cid, self.text(entry, "label", cpath, f"column '{cid}'", True), options,
                                  self.text(entry, "help", cpath, f"column '{cid}'")))
        fields["columns"] = tuple(columns)
        return fields

    def _rows(self, data: dict[str, Any], path: tuple[Any, ...], what: str = "a matrix row") -> tuple[Row, ...]:
        out, seen = [], set()
        if "rows" not in data:
            self.error("FE101", path, key="rows", where="a matrix item")
        for rpath, row in self.list_of_maps(data, "rows", path):
            self.keys(row, rpath, ("id", "label"), what, required=("id", "label"))
            ident = self.ident(row.get("id"), rpath + ("id",)) if "id" in row else None
            if ident in seen:
                self.error("FE105", rpath + ("id",), id=ident, first_line=self.doc.loc(rpath).line)
            elif ident:
                seen.add(ident)
                out.append(Row(ident, self.text(row, "label", rpath, f"row '{ident}'", True)))
        return tuple(out)

