"""Import a FHIR R4 Questionnaire as a formengine definition (plain data, then YAML).

Top-level groups become sections (loose top-level questions are gathered into sections of
their own); nested groups are flattened into their section, their heading kept as a note;
a repeating group becomes a ``repeat`` item. Item ids are linkIds sanitised to
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

from formengine.definition.builder.validation import SEMVER
from formengine.definition.model import LANGUAGES
from formengine.fhir.common import FE_ITEM_TYPE, IdAllocator, extension_value, our_language, read_text, warn
from formengine.fhir.conditions import show_if_from
from formengine.fhir.import_items import ItemReader, scoring_code
from formengine.fhir.import_scoring import build_scoring
from formengine.fhir.scores import FE_SCALE
from formengine.i18n import N_, say

_SDC = "http://hl7.org/fhir/uv/sdc/StructureDefinition/"
# SDC extensions (by the last part of their URL) that the import cannot carry over, as named in warnings
_SDC_DROPPED = {
    "sdc-questionnaire-calculatedExpression": "calculatedExpression (a calculated item; it becomes an ordinary input)",
    "sdc-questionnaire-initialExpression": "initialExpression (a computed starting answer)",
    "variable": "variable (a FHIRPath variable)",
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
        self.group_members: list[tuple[dict[str, Any], list[dict[str, Any]]]] = []
        self.scored: list[str] = []
        self.qs: list[tuple[str, tuple[str, ...]]] = []
        self.totals: list[tuple[str, object, tuple[str, ...], dict[str, Any]]] = []  # (id, label, path, spec)
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
        sections = self.sections(q.get("item") or [])
        self.resolve_conditions()
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
        computed = scoring_code(element) in ("SS", "TS") or extension_value(element, FE_SCALE)
        if element.get("readOnly") is True and not computed:  # a score is read-only: it becomes a scale
            self.warn(
                N_("{where}: {construct} is not supported; it is left out"),
                where=where,
                construct="readOnly (the item becomes an ordinary input)",
            )
        if element.get("initial"):
            self.warn(
                N_("{where}: {construct} is not supported; it is left out"),
                where=where,
                construct="initial (a pre-filled answer)",
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
        section["items"] = self.items(items, (), None) or [self.placeholder()]
        return [section]

    def section(self, group: dict[str, Any]) -> dict[str, Any]:
        link = str(group.get("linkId", ""))
        ident = self.ids(link, "s")
        self.remember(link, ident, "section")
        title = self.text(group, "text") or self.text(self.q, "title")
        out: dict[str, Any] = {"id": ident, "title": title or link or ident}
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

        def code(link: str, raw: str) -> str | None:
            return self.codes.get(link, {}).get(raw)

        for ours, theirs in self.pending:
            if not theirs.get("enableWhen") and not theirs.get("extension"):
                continue
            expression = show_if_from(theirs, self.links, code)
            if expression:
                ours["show_if"] = expression
            elif theirs.get("enableWhen"):
                self.warn(
                    N_("item '{link}': enableWhen cannot be expressed; the item is always shown"),
                    link=theirs.get("linkId"),
                )
        own = {id(note): note.get("show_if") for note, _members in self.group_members}
        for note, members in self.group_members:  # outer groups first; an inner item gets every ancestor's
            condition = own[id(note)]
            for member in members if condition else []:
                mine = member.get("show_if")
                member["show_if"] = f"({condition}) and ({mine})" if mine else condition


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
        return [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]
    except (KeyError, ValueError, TypeError) as exc:
        return [str(exc)]
    return []


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
