"""Turn a loaded document into a frozen FormDefinition, reporting every problem in one run."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from formengine.definition.builder import catalogue
from formengine.definition import item_types as it
from formengine.definition.model import KINDS, LANGUAGES, STATUSES, FormDefinition, Item, Municipality, Option, Row, Section
from formengine.errors.problems import Location, Problem, suggest
from formengine.expressions.parser import Expression, ExpressionSyntaxError, parse
from formengine.definition.loader import Document
from formengine.definition.builder.texts import FORM_ID, OPTION_VALUE, Checker

SEMVER = re.compile(r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$")
DATE = re.compile(r"^(today|[0-9]{4}-[0-9]{2}-[0-9]{2})$")
TOP_KEYS = ("id", "version", "status", "kind", "title", "description", "languages",
            "default_language", "extends", "municipality", "option_sets", "domains", "sections",
            "scoring", "contacts", "offers", "changes")
SECTION_KEYS = ("id", "title", "description", "show_if", "items")


def _real_date(value: str) -> bool:
    """'today' or a date that exists (2024-13-45 has the right shape but is no date)."""
    if value == "today":
        return True
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


@dataclass
class PendingExpression:
    """An expression parsed at load, whose references are checked once all ids are known."""

    expr: Expression
    path: tuple
    context: str  # "show_if" | "required_if" | "constraint" | "scoring" | "gap"
    owner: str | None = None  # the item it belongs to
    names: frozenset = frozenset()  # extra names allowed (gap bindings)


class Builder(Checker):
    """Reads one document (a core form or an already merged variant)."""

    def __init__(self, doc: Document, strict: bool = False, expected_path: tuple | None = None):
        super().__init__(doc, strict=strict)
        self.expected_path = expected_path
        self.ids: dict[str, Location] = {}
        self.expressions: list[PendingExpression] = []
        self.option_sets: dict = {}
        self.domain_ids: set[str] = set()

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
        self.domain_ids = set()
        domains = catalogue.domains(self, data)
        contacts = catalogue.contacts(self, data)
        offers = catalogue.offers(self, data, {c.id for c in contacts})
        self.option_sets = self._option_sets(data)
        sections = self._sections(data)
        from formengine.definition.builder.scoring_rules import (  # late: needs built items
            build_scoring, check_expressions, check_show_if_cycles)
        scoring = build_scoring(self, data, sections)
        check_expressions(self, sections)
        check_show_if_cycles(self, sections)
        municipality = self._municipality(data)
        if self.has_errors:
            return None
        return FormDefinition(
            id=form_id, version=version, status=status, kind=kind, title=title,
            description=description, languages=self.languages, default_language=self.default,
            sections=sections, scoring=scoring, domains=domains, contacts=contacts, offers=offers,
            extends=data.get("extends"), municipality=municipality, hash=self.doc.content_hash,
            source=self.doc.file)

    def _version(self, data: dict) -> str | None:
        if "version" not in data:
            return None
        version = data["version"]
        if not isinstance(version, str) or not SEMVER.match(version):
            self.error("FE107", ("version",), version=version)
            return None
        return version

    def _languages(self, data: dict) -> None:
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

    def _municipality(self, data: dict) -> Municipality | None:
        value = data.get("municipality")
        if value is None or self.mapping(value, ("municipality",), "municipality") is None:
            return None
        self.keys(value, ("municipality",), ("id", "name"), "municipality", required=("id", "name"))
        return Municipality(str(value.get("id", "")), str(value.get("name", "")))

    def _list_of_maps(self, data: dict, key: str, path: tuple = ()) -> list[tuple[tuple, dict]]:
        value = data.get(key)
        if value is None or self.sequence(value, path + (key,), key) is None:
            return []
        out = []
        for i, entry in enumerate(value):
            if self.mapping(entry, path + (key, i), key) is not None:
                out.append((path + (key, i), entry))
        return out

    def _unique(self, ident: str | None, path: tuple) -> bool:
        if ident is None:
            return False
        if ident in self.ids:
            self.error("FE105", path, id=ident, first_line=self.ids[ident].line)
            return False
        self.ids[ident] = self.doc.loc(path)
        return True

    def domain_list(self, value, path: tuple) -> tuple[str, ...]:
        if self.sequence(value, path, "domains") is None:
            return ()
        for i, domain in enumerate(value):
            if domain not in self.domain_ids:
                self.error("FE129", path + (i,), domain=domain, suggestion=suggest(str(domain), self.domain_ids))
        return tuple(str(d) for d in value)

    def _option_sets(self, data: dict) -> dict:
        sets = data.get("option_sets")
        if sets is None or self.mapping(sets, ("option_sets",), "option_sets") is None:
            return {}
        return {name: self.options(value, ("option_sets", name)) for name, value in sets.items()}

    # -- sections and items ----------------------------------------------------------------
    def _sections(self, data: dict) -> tuple[Section, ...]:
        out = []
        for path, entry in self._list_of_maps(data, "sections"):
            self.keys(entry, path, SECTION_KEYS, "a section", required=("id", "title", "items"))
            ident = self.ident(entry.get("id"), path + ("id",)) if "id" in entry else None
            self._unique(ident, path + ("id",))
            show_if = self.expression(entry, "show_if", path, "show_if", ident)
            items = self.items(entry, path)
            if "items" in entry and not items and isinstance(entry["items"], list) and not entry["items"]:
                self.error("FE124", path + ("items",))
            out.append(Section(ident or "", self.text(entry, "title", path, f"section '{ident}'"),
                               tuple(items), self.text(entry, "description", path, f"section '{ident}'"),
                               show_if, self.origin(path), self.doc.loc(path)))
        return tuple(out)

    def items(self, entry: dict, path: tuple, parent: str | None = None) -> list[Item]:
        out = []
        for item_path, item in self._list_of_maps(entry, "items", path):
            built = self.item(item, item_path, parent)
            if built is not None:
                out.append(built)
        return out

    def item(self, data: dict, path: tuple, parent: str | None) -> Item | None:
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
        return Item(
            ident or "", kind, label=self.text(data, "label", path, where, required=True),
            help=self.text(data, "help", path, where),
            required=self.boolean(data, "required", path),
            required_if=self.expression(data, "required_if", path, "required_if", ident),
            show_if=self.expression(data, "show_if", path, "show_if", ident),
            constraint=self.expression(data, "constraint", path, "constraint", ident),
            constraint_message=self.text(data, "constraint_message", path, where),
            conversation_only=self.boolean(data, "conversation_only", path),
            parent=parent, origin=self.origin(path), location=self.doc.loc(path), **fields)

    def _type_fields(self, data: dict, path: tuple, spec: it.ItemType, ident: str | None) -> dict:
        fields: dict = {}
        where = f"item '{ident}'"
        if spec.has_options:
            fields["options"] = self._item_options(data, path, spec)
        if "rows" in spec.keys:
            fields["rows"] = self._rows(data, path)
        if spec.name == "repeat":
            if isinstance(data.get("items"), list) and any(
                    isinstance(c, dict) and c.get("type") == "repeat" for c in data["items"]):
                self.error("FE127", path + ("items",))
            fields["items"] = tuple(self.items(data, path, parent=ident))
            if "items" not in data:
                self.error("FE101", path, key="items", where=where)
            fields["add_label"] = self.text(data, "add_label", path, where)
        if spec.name in ("number", "repeat"):
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
        elif fields.get("min") is not None and fields.get("max") is not None and fields["min"] > fields["max"]:
            self.error("FE114", path + ("min",), min=fields["min"], max=fields["max"])
        if spec.name == "number":
            fields["unit"] = self.text(data, "unit", path, where)
            fields["integer"] = self.boolean(data, "integer", path, default=True)
        if spec.name == "repeat" and fields["max"] is not None and fields["max"] < 1:
            self.error("FE132", path + ("max",), key="max", value=fields["max"], least=1)
        if spec.name in it.DEFAULT_MAX_LENGTH:
            value = self._at_least_one(data, "max_length", path)
            fields["max_length"] = int(value if value is not None else it.DEFAULT_MAX_LENGTH[spec.name])
        if "max_choices" in spec.keys:
            value = self._at_least_one(data, "max_choices", path)
            fields["max_choices"] = int(value) if value is not None else it.DEFAULT_MAX_CHOICES.get(spec.name)
        return fields

    def _at_least_one(self, data: dict, key: str, path: tuple) -> float | None:
        """A count limit (max_length, max_choices): below 1 the item could never be answered (FE132)."""
        value = self.number(data, key, path)
        if value is not None and value < 1:
            self.error("FE132", path + (key,), key=key, value=value, least=1)
            return None
        return value

    def _item_options(self, data: dict, path: tuple, spec: it.ItemType) -> tuple[Option, ...]:
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
            if isinstance(value, list) and not value and spec.needs_options:
                self.error("FE115", path + ("options",), type=spec.name)
        if spec.name == "yes_no":
            values = [o.value for o in options if not o.not_applicable]
            if sorted(values) != ["no", "yes"] or len(options) - len(values) > 1:
                self.error("FE125", path + ("options",))
        return options

    def _builtin(self, labels: dict):
        from formengine.definition.model import Text
        return Text(tuple((lang, labels[lang]) for lang in self.languages if lang in labels), self.default)

    def options(self, value, path: tuple) -> tuple[Option, ...]:
        if self.sequence(value, path, "options") is None:
            return ()
        out, seen = [], set()
        for i, entry in enumerate(value):
            opath = path + (i,)
            if self.mapping(entry, opath, "an option") is None:
                continue
            self.keys(entry, opath, ("value", "label", "score", "not_applicable"), "an option")
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
            out.append(Option(option_value, self.text(entry, "label", opath, f"option '{option_value}'", True),
                              score, self.boolean(entry, "not_applicable", opath)))
        return tuple(out)

    def _rows(self, data: dict, path: tuple) -> tuple[Row, ...]:
        out, seen = [], set()
        if "rows" not in data:
            self.error("FE101", path, key="rows", where="a matrix item")
        if isinstance(data.get("rows"), list) and not data["rows"]:
            self.error("FE133", path + ("rows",))
        for rpath, row in self._list_of_maps(data, "rows", path):
            self.keys(row, rpath, ("id", "label"), "a matrix row", required=("id", "label"))
            ident = self.ident(row.get("id"), rpath + ("id",)) if "id" in row else None
            if ident in seen:
                self.error("FE105", rpath + ("id",), id=ident, first_line=self.doc.loc(rpath).line)
            elif ident:
                seen.add(ident)
                out.append(Row(ident, self.text(row, "label", rpath, f"row '{ident}'", True)))
        return tuple(out)

    # -- expressions -------------------------------------------------------------------------
    def expression(self, data: dict, key: str, path: tuple, context: str, owner: str | None = None,
                   names: frozenset = frozenset()) -> Expression | None:
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
            self.problems.append(Problem(exc.code, self.expr_loc(path + (key,), exc.offset),
                                         {"problem": exc.problem, "name": source[exc.offset:].split("(")[0]}))
            return None
        self.expressions.append(PendingExpression(expr, path + (key,), context, owner, names))
        return expr

    def expr_loc(self, path: tuple, offset: int) -> Location:
        """Locate a character inside an expression written as a one-line YAML scalar."""
        loc = self.doc.loc(path)
        lines = self.doc.text.splitlines()
        if 0 < loc.line <= len(lines):
            quoted = lines[loc.line - 1][loc.column - 1:loc.column] in ("'", '"')
            return Location(loc.file, loc.line, loc.column + offset + (1 if quoted else 0))
        return loc

    def origin(self, path: tuple) -> str:
        loc = self.doc.loc(path)
        return f"{loc.file}:{loc.line}"
