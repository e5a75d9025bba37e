"""Turn a loaded document into a frozen FormDefinition, reporting every problem in one run."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from formengine.definition import item_types as it
from formengine.definition.builder.calculated import CalculationReader
from formengine.definition.builder.catalogue import CatalogueReader
from formengine.definition.builder.cycles import check_show_if_cycles
from formengine.definition.builder.groups import GroupReader
from formengine.definition.builder.prefill import build_prefill
from formengine.definition.builder.references import index_items
from formengine.definition.builder.rows import RowReader
from formengine.definition.builder.scoring_rules import ScoringReader
from formengine.definition.builder.texts import FORM_ID
from formengine.definition.loader import Document
from formengine.definition.model import (
    KINDS,
    LANGUAGES,
    STATUSES,
    FormDefinition,
    Item,
    Municipality,
    Section,
)
from formengine.errors.problems import Location, Problem, suggest

SEMVER = re.compile(r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$")
DATE = re.compile(r"^(today|[0-9]{4}-[0-9]{2}-[0-9]{2})$")
TOP_KEYS = (
    "id",
    "version",
    "status",
    "kind",
    "title",
    "description",
    "languages",
    "default_language",
    "extends",
    "municipality",
    "option_sets",
    "domains",
    "sections",
    "scoring",
    "contacts",
    "offers",
    "changes",
    "prefill",
    "fhir",
)
SECTION_KEYS = ("id", "title", "description", "show_if", "items", "fhir")


def _real_date(value: str) -> bool:
    """'today' or a date that exists (2024-13-45 has the right shape but is no date)."""
    if value == "today":
        return True
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


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


class Builder(ScoringReader, GroupReader, CalculationReader, CatalogueReader, RowReader):
    """Reads one document (a core form or an already merged variant).

    Its declared parts: :class:`CatalogueReader` (domains, contacts, offers), :class:`OptionReader`
    (options, option sets and groups), :class:`RowReader` (matrix rows and cards),
    :class:`GroupReader` (groups and repeat groups, nested), :class:`ExpressionReader`
    (expressions and their references) and :class:`ScoringReader`
    (the scoring block); all share the located reads and problem list of ``Checker``. This
    class reads the top level, sections and items.
    """

    def __init__(self, doc: Document, strict: bool = False, expected_path: tuple[Any, ...] | None = None):
        super().__init__(doc, strict=strict)
        self.expected_path = expected_path
        self.ids: dict[str, Location] = {}
        self.cards_paths: dict[
            str, tuple[Any, ...]
        ] = {}  # cards item id -> its path (rows_from is resolved later)

    # -- top level ---------------------------------------------------------------------
    def build(self) -> FormDefinition | None:
        data = self.doc.data
        self.keys(
            data,
            (),
            TOP_KEYS,
            "the form",
            required=("id", "version", "status", "title", "languages", "default_language", "sections"),
        )
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
        self.check_fhirpath_links(index, {s.id for s in sections})
        check_show_if_cycles(self.expressions, sections, self.expr_loc, self.problems)

        prefill = build_prefill(self, data, sections)
        municipality = self._municipality(data)
        if self.has_errors or form_id is None or version is None:  # a missing id or version is an error
            return None
        return FormDefinition(
            id=form_id,
            version=version,
            status=status,
            kind=kind,
            title=title,
            description=description,
            languages=self.languages,
            default_language=self.default,
            sections=sections,
            scoring=scoring,
            domains=domains,
            contacts=contacts,
            offers=offers,
            extends=data.get("extends"),
            municipality=municipality,
            prefill=prefill,
            hash=self.doc.content_hash,
            source=self.doc.file,
            fhir=self.fhir_form(data),
        )

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
        self.keys(
            value, ("municipality",), ("id", "name", "duty_email"), "municipality", required=("id", "name")
        )
        return Municipality(
            str(value.get("id", "")), str(value.get("name", "")), str(value.get("duty_email", ""))
        )

    def _unique(self, ident: str | None, path: tuple[Any, ...]) -> bool:
        if ident is None:
            return False
        if ident in self.ids:
            self.error("FE105", path, id=ident, first_line=self.ids[ident].line)
            return False
        self.ids[ident] = self.doc.loc(path)
        return True

    # -- sections and items ----------------------------------------------------------------
    def _sections(self, data: dict[str, Any]) -> tuple[Section, ...]:
        out = []
        for path, entry in self.list_of_maps(data, "sections"):
            self.keys(entry, path, SECTION_KEYS, "a section", required=("id", "title", "items"))
            ident = self.ident(entry.get("id"), path + ("id",)) if "id" in entry else None
            self._unique(ident, path + ("id",))
            show_if = self.expression(entry, "show_if", path, "show_if", ident)
            items = self.items(entry, path)
            if "items" in entry and not items and isinstance(entry["items"], list) and not entry["items"]:
                self.error("FE124", path + ("items",))
            out.append(
                Section(
                    ident or "",
                    self.text(entry, "title", path, f"section '{ident}'"),
                    tuple(items),
                    self.text(entry, "description", path, f"section '{ident}'"),
                    show_if,
                    self.origin(path),
                    self.doc.loc(path),
                    self.fhir_item(entry, path),
                )
            )
        return self._resolve_rows_from(tuple(out))

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
                    self.error(
                        "FE102",
                        path + (key,),
                        at_key=True,
                        key=key,
                        where="an item",
                        suggestion=suggest(key, all_keys),
                    )
                if not any(suggest(k, ["type"]) for k in unknown):
                    self.error("FE101", path, key="type", where="an item")
            else:
                self.error(
                    "FE104",
                    path + ("type",),
                    type=kind,
                    suggestion=suggest(str(kind), it.ITEM_TYPES),
                    known=", ".join(it.ITEM_TYPES),
                )
            return None
        spec = it.ITEM_TYPES[kind]
        all_keys = set(it.COMMON_KEYS).union(*(t.keys for t in it.ITEM_TYPES.values()))
        for key in data:
            if key not in spec.allowed_keys:
                if key in all_keys:
                    self.error("FE119", path + (key,), at_key=True, key=key, type=kind)
                else:
                    self.error(
                        "FE102",
                        path + (key,),
                        at_key=True,
                        key=key,
                        where=f"a {kind} item",
                        suggestion=suggest(key, spec.allowed_keys),
                    )
        where = f"item '{ident}'"
        if kind == "group":
            return self.group(data, path, ident, parent)
        if kind == "note":
            note_text = self.text(data, "text", path, where, required="label" not in data)
            return Item(
                ident or "",
                kind,
                label=self.text(data, "label", path, where),
                text=note_text,
                show_if=self.expression(data, "show_if", path, "show_if", ident),
                parent=parent,
                fhir=self.fhir_item(data, path),
                origin=self.origin(path),
                location=self.doc.loc(path),
            )
        fields = self._type_fields(data, path, spec, ident)
        fields.update(self.calculation_fields(data, path, spec, ident, parent))
        offered, by_default = self._conversation_only(data, path)
        offered, by_default = self.markable(offered, by_default, path)
        return Item(
            ident or "",
            kind,
            label=self.text(data, "label", path, where, required=True),
            help=self.text(data, "help", path, where),
            required=self.boolean(data, "required", path),
            required_if=self.expression(data, "required_if", path, "required_if", ident),
            show_if=self.expression(data, "show_if", path, "show_if", ident),
            constraint=self.expression(data, "constraint", path, "constraint", ident),
            constraint_message=self.text(data, "constraint_message", path, where),
            conversation_only=offered,
            conversation_only_default=by_default,
            parent=parent,
            fhir=self.fhir_item(data, path),
            origin=self.origin(path),
            location=self.doc.loc(path),
            **fields,
        )

    def _conversation_only(self, data: dict[str, object], path: tuple[object, ...]) -> tuple[bool, bool]:
        """``conversation_only``: true (may be marked), false, or "default" (marked until unmarked)."""
        value = data.get("conversation_only", False)
        if value == "default":
            return True, True
        if not self.typed(
            value, path + ("conversation_only",), (bool,), "true, false or default", "conversation_only"
        ):
            return False, False
        return bool(value), False

    def _type_fields(
        self, data: dict[str, Any], path: tuple[Any, ...], spec: it.ItemType, ident: str | None
    ) -> dict[str, Any]:
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
            fields.update(self.repeat_fields(data, path, ident))
        if spec.answer in ("number", "repeat"):  # numeric min and max (a date's are dates)
            fields["min"] = self.number(data, "min", path)
            fields["max"] = self.number(data, "max", path)
            if spec.name == "repeat" and fields["max"] is None:
                fields["max"] = it.DEFAULT_REPEAT_MAX
        if spec.name == "date":
            for key in ("min", "max"):
                if key in data:
                    value = str(data[key])
                    if not DATE.match(value) or not _real_date(value):
                        self.error("FE123", path + (key,), value=value)
                        continue
                    fields[key] = value
        elif (
            fields.get("min") is not None and fields.get("max") is not None and fields["min"] > fields["max"]
        ):
            self.error("FE114", path + ("min",), min=fields["min"], max=fields["max"])
        if spec.name == "number":
            fields["unit"] = self.text(data, "unit", path, where)
            fields["integer"] = self.boolean(data, "integer", path, default=True)
        if spec.name == "repeat" and fields["max"] is not None and fields["max"] < 1:
            self.error("FE132", path + ("max",), key="max", value=fields["max"], least=1)
        if spec.name in it.DEFAULT_MAX_LENGTH:
            length = self._at_least_one(data, "max_length", path)
            fields["max_length"] = int(length if length is not None else it.DEFAULT_MAX_LENGTH[spec.name])
        if "max_choices" in spec.keys:
            limit = self._at_least_one(data, "max_choices", path)
            fields["max_choices"] = int(limit) if limit is not None else it.DEFAULT_MAX_CHOICES.get(spec.name)
        return fields
