"""Import a FHIR R4 Questionnaire as a formengine definition (plain data, then YAML).

Top-level groups become sections (loose top-level questions are gathered into sections of
their own); a nested group becomes a ``group`` item (heading, help and enableWhen kept on
the group), a repeating group a ``repeat`` item, both at any depth. Item ids are linkIds sanitised to
``[a-z][a-z0-9_]*`` (collisions get ``_2``…), the original linkId is kept as a YAML
comment. choice → single_choice (multi_choice when ``repeats`` or itemControl
``check-box``), boolean → yes_no, integer/decimal/quantity → number, string → text,
text → long_text, date/dateTime → date, display → note (help text when itemControl
``help``). Our own exports carry the exact formengine type in an extension, which wins.
Scales: see :mod:`formengine.fhir.import_scoring`. Everything left out is warned about.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import yaml

from formengine.definition.builder.calculated import initial_problem
from formengine.definition.builder.validation import SEMVER
from formengine.definition.item_types import ITEM_TYPES
from formengine.definition.model import LANGUAGES
from formengine.fhir.calculated import (
    Untranslatable,
    has_calculation,
    has_initial,
    read_calculation,
    read_initial,
    variable_scopes,
)
from formengine.fhir.common import (
    FE_ITEM_TYPE,
    IdAllocator,
    extension_value,
    fhir_base,
    our_language,
    read_text,
    warn,
)
from formengine.fhir.conditions import Unfit, option_systems, show_if_from
from formengine.fhir.import_items import ItemReader
from formengine.fhir.import_scoring import build_scoring
from formengine.i18n import N_, say

_SDC = "http://hl7.org/fhir/uv/sdc/StructureDefinition/"
# SDC extensions (by the last part of their URL) that the import cannot carry over, as named in warnings
_SDC_DROPPED = {
    "sdc-questionnaire-answerExpression": "answerExpression (computed answer options)",
    "sdc-questionnaire-candidateExpression": "candidateExpression (computed answer candidates)",
    "sdc-questionnaire-itemPopulationContext": "itemPopulationContext (pre-population)",
    "sdc-questionnaire-launchContext": "launchContext (pre-population)",
}
_STATUSES = {"draft": "draft", "active": "active", "retired": "retired"}
SCHEMA_LINE = "# yaml-language-server: $schema=../../formengine/schema/form.schema.json"


def _form_id(q: dict[str, Any]) -> str:
    from_url = str(q.get("url") or "").rstrip("/").rsplit("/", 1)[-1]
    raw = from_url or q.get("id") or q.get("name") or "imported"
    text = re.sub(r"[^a-z0-9-]+", "-", str(raw).lower()).strip("-") or "imported"
    return text if text[0].isalpha() else f"q-{text}"


class Importer(ItemReader):
    """Turn one Questionnaire (a JSON dict) into definition data; warnings go to ``self.warnings``."""

    def __init__(self, q: dict[str, Any]):
        self.q = q
        self.warnings: list[str] = []
        lang = our_language(q.get("language"))
        if q.get("language") and lang is None:
            self.warn(
                N_("language {code} is not one formengine knows; using nb"), code=repr(q.get("language"))
            )
        self.lang = lang or "nb"
        self.seen_languages = {self.lang}
        self.ids = IdAllocator()
        self.links: dict[str, tuple[str, str]] = {}  # linkId -> (our id, our type)
        self.codes: dict[str, dict[str, str]] = {}  # linkId -> {code: option value}
        self.comments: dict[str, str] = {}  # our id -> original linkId
        self.pending: list[
            tuple[dict[str, Any], dict[str, Any]]
        ] = []  # (our item, FHIR item) awaiting show_if
        # (a group's heading note, the items flattened out of that group): the note's show_if hides them too
        self.scored: list[str] = []
        self.qs: list[tuple[str, tuple[str, ...]]] = []
        self.totals: list[tuple[str, object, tuple[str, ...], dict[str, Any]]] = []  # (id, label, path, spec)
        self.calculations: list[tuple[dict[str, Any], dict[str, Any]]] = []  # calculated or readOnly items
        super().__init__()

    def warn(self, message: str, **args: object) -> None:
        """Keep a warning: an English msgid (marked with N_) and its arguments, said in the output language."""
        self.warnings.append(say(message, **args))

    def text(self, element: dict[str, Any], key: str) -> str | dict[str, str] | None:
        """Return a text as a plain string (one language) or a {lang: text} map."""
        found = read_text(element, key, self.lang)
        self.seen_languages.update(found)
        if not found:
            return None
        return found[self.lang] if set(found) == {self.lang} else found

    def build(self) -> dict[str, Any]:
        q = self.q
        self._check_resource()
        version = str(q.get("version") or "")
        if not SEMVER.match(version):
            self.warn(
                N_("version {version} is not MAJOR.MINOR.PATCH; using 1.0.0"),
                version=repr(version or "(none)"),
            )
            version = "1.0.0"
        status = _STATUSES.get(str(q.get("status")), "draft")
        if status != q.get("status"):
            self.warn(
                N_("status {status} is not draft/active/retired; using draft"), status=repr(q.get("status"))
            )
        out: dict[str, Any] = {
            "id": _form_id(q),
            "version": version,
            "status": status,
            "title": self.text(q, "title") or q.get("name") or _form_id(q),
        }
        description = self.text(q, "description")
        if description:
            out["description"] = description
        if q.get("url") and not str(q["url"]).startswith(fhir_base()):  # not one of our own exports
            out["fhir"] = {"url": str(q["url"])} | (
                {"version": str(q["version"])} if q.get("version") else {}
            )
        sections = self.sections(q.get("item") or [])
        self.resolve_conditions()
        self.resolve_calculations(sections)
        self.languages = [lang for lang in LANGUAGES if lang in self.seen_languages]
        out.update(languages=self.languages, default_language=self.lang, sections=sections)
        scoring = build_scoring(self)
        if scoring:
            out["scoring"] = scoring
        return out

    def _check_resource(self) -> None:
        narrative = self.q.get("text")
        if isinstance(narrative, dict) and not narrative.get("div"):
            self.warn(N_("the narrative 'text' has no 'div' (required by R4); ignored"))
        for problem in validation_problems(self.q)[:5]:
            self.warn(N_("not valid R4: {problem}"), problem=problem)
        self._unsupported(self.q, "(Questionnaire)")

    def _unsupported(self, element: dict[str, Any], where: str) -> None:
        """Warn, with the linkId, about every construct that the import drops (it is not carried over)."""
        for ext in element.get("extension") or []:
            name = (
                _SDC_DROPPED.get(str(ext.get("url", "")).rsplit("/", 1)[-1])
                if isinstance(ext, dict)
                else None
            )
            if name and str(ext.get("url", "")).startswith(
                (_SDC, "http://hl7.org/fhir/StructureDefinition/")
            ):
                self.warn(
                    N_("{where}: {construct} is not supported; it is left out"), where=where, construct=name
                )
        for child in element.get("item") or []:
            if isinstance(child, dict):
                self._unsupported(child, f"item '{child.get('linkId', '')}'")

    def sections(self, items: list[Any]) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        loose: list[Any] = []
        for entry in items:
            if not isinstance(entry, dict):
                continue
            if (
                entry.get("type") == "group"
                and not entry.get("repeats")
                and not extension_value(entry, FE_ITEM_TYPE)
            ):
                out += self.loose_section(loose, len(out))
                loose = []
                section = self.section(entry)
                if section["items"] or not entry.get("item"):
                    out.append(section)
                else:
                    self.warn(
                        N_("group '{link}' holds only scores (now scales); no section for it"),
                        link=entry.get("linkId"),
                    )
            else:
                loose.append(entry)
        out += self.loose_section(loose, len(out))
        for section in out:
            section["items"] = section["items"] or [self.placeholder()]
        return out

    def loose_section(self, items: list[Any], index: int) -> list[dict[str, Any]]:
        if not items:
            return []
        section: dict[str, Any] = {
            "id": self.ids(f"section_{index + 1}"),
            "title": self.text(self.q, "title") or "Skjema",
        }
        if not all(extension_value(e, FE_ITEM_TYPE) for e in items if isinstance(e, dict)):
            section["fhir"] = {"top_level": True}  # no such group in the source: its items are top-level
        section["items"] = self.items(items, (), None) or [self.placeholder()]
        return [section]

    def section(self, group: dict[str, Any]) -> dict[str, Any]:
        link = str(group.get("linkId", ""))
        ident = self.ids(link, "s")
        self.remember(link, ident, "section")
        title = self.text(group, "text") or self.text(self.q, "title")
        out: dict[str, Any] = {"id": ident, "title": title or link or ident}
        self.source(out, group)
        help_text = self.help_of(group)
        if help_text:
            out["description"] = help_text
        self.pending.append((out, group))
        out["items"] = self.items(group.get("item") or [], (link,), None)
        return out

    def placeholder(self) -> dict[str, Any]:
        return {"id": self.ids("empty_note"), "type": "note", "text": "—"}

    def remember(self, link: str, ident: str, kind: str) -> None:
        self.links[link] = (ident, kind)
        if link != ident:
            self.comments[ident] = link

    def resolve_conditions(self) -> None:
        """Turn enableWhen into show_if once every linkId has its id."""

        questions = {str(theirs.get("linkId")): theirs for _ours, theirs in self.pending}

        def code(link: str, raw: str, system: Any) -> str | None:
            value = self.codes.get(link, {}).get(raw)
            known = option_systems(questions.get(link), self.sets).get(raw) if system else None
            return None if value is None or (known and system not in known) else value

        for ours, theirs in self.pending:
            if not theirs.get("enableWhen") and not theirs.get("extension"):
                continue
            try:
                expression = show_if_from(theirs, self.links, code)
            except Unfit as exc:
                self.warn(
                    N_("item '{link}': enableWhen cannot be expressed ({reason}); the item is always shown"),
                    link=theirs.get("linkId"),
                    reason=str(exc),
                )
                continue
            if expression:
                ours["show_if"] = expression

    def resolve_calculations(self, built: list[dict[str, Any]]) -> None:
        """``calculated`` and ``read_only`` once every linkId has its id (see :mod:`formengine.fhir.calculated`)."""
        scopes = variable_scopes(self.q)
        sections = {link for link, (_ident, kind) in self.links.items() if kind == "section"}
        in_repeat = {
            id(child) for s in built for i in s["items"] if i["type"] == "repeat" for child in i["items"]
        }
        for ours, theirs in self.calculations:
            link = str(theirs.get("linkId", ""))
            if id(ours) in in_repeat:
                self.warn(
                    N_(
                        "item '{link}': readOnly, calculatedExpression and initial values inside a repeating group are not supported; left out"
                    ),
                    link=link,
                )
                continue
            if theirs.get("readOnly") is True or has_calculation(theirs):
                self.read_only(ours, theirs, scopes.get(link, []), sections)
            if has_initial(theirs) and "calculated" not in ours:
                try:
                    value = read_initial(theirs, ours, self.codes.get(link, {}))
                    problem = initial_problem(value, ours, ITEM_TYPES[ours["type"]])
                except Untranslatable as exc:
                    problem = str(exc)
                if problem:
                    self.warn(
                        N_("item '{link}': its initial value is not carried over ({reason})"),
                        link=link,
                        reason=problem,
                    )
                else:
                    ours["initial"] = value

    def read_only(
        self, ours: dict[str, Any], theirs: dict[str, Any], scope: list[tuple[str, str]], sections: set[str]
    ) -> None:
        """``read_only`` and ``calculated`` of one item (warnings for what is not carried over)."""
        link, keys = str(theirs.get("linkId", "")), ITEM_TYPES[ours["type"]].keys
        if "read_only" not in keys:
            self.warn(
                N_("item '{link}': readOnly is not supported for {kind}; left out"),
                link=link,
                kind=ours["type"],
            )
            return
        ours["read_only"] = True
        if not has_calculation(theirs):
            return
        try:
            if "calculated" not in keys:
                raise Untranslatable(f"a {ours['type']} item cannot be calculated")
            result = read_calculation(theirs, scope, self.links, sections)
        except Untranslatable as exc:
            self.warn(
                N_(
                    "item '{link}': calculatedExpression is not carried over ({reason}); the item is shown read-only"
                ),
                link=link,
                reason=str(exc),
            )
            return
        ours.pop("required", None)
        ours["calculated"] = result


def validation_problems(resource: dict[str, Any]) -> list[str]:
    """Return the fhir.resources R4B validation errors of a resource (empty if it validates)."""
    try:
        from fhir.resources.R4B import get_fhir_model_class
        from pydantic import ValidationError
    except ImportError:  # pragma: no cover - fhir.resources is optional at run time
        return []
    try:
        get_fhir_model_class(resource.get("resourceType")).model_validate(resource)
    except ValidationError as exc:
        return [f"{'.'.join(str(p) for p in e['loc'])}: {_one_line(e['msg'])}" for e in exc.errors()]
    except (KeyError, ValueError, TypeError) as exc:
        return [str(exc)]
    return []


def _one_line(text: str) -> str:
    """A message on one line: control characters (e.g. in a quoted regex) written as escapes."""
    return text.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")


def to_yaml(data: dict[str, Any], comments: dict[str, str], source: str = "") -> str:
    """Dump definition data as YAML with the schema line and linkId comments."""
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)
    lines = [
        SCHEMA_LINE,
        f"# Imported from a FHIR Questionnaire{f' ({source})' if source else ''} "
        "by 'formengine fhir import'.",
    ]
    pattern = re.compile(r"^(\s*(?:- )?id: )(\S+)$")
    for line in text.splitlines():
        match = pattern.match(line)
        if match and match.group(2) in comments:
            line += f"  # linkId: {comments[match.group(2)]}"
        lines.append(line)
    return "\n".join(lines) + "\n"


def import_questionnaire(
    q: dict[str, Any], report: Callable[[str], None] = warn
) -> tuple[dict[str, Any], str]:
    """Return (definition data, YAML text) for a Questionnaire; warnings go to ``report``."""
    importer = Importer(q)
    data = importer.build()
    for message in importer.warnings:
        report(message)
    source = "|".join(str(x) for x in (q.get("url"), q.get("version")) if x)
    return data, to_yaml(data, importer.comments, source)
