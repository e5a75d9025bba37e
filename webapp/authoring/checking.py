"""Check an uploaded form version with the real pipeline, as if it lay at MUNICIPAL_FORMS/<id>/<version>.yaml.

The text is loaded by the safe loader, then written to a temporary third folder and loaded
together with the app's two folders by :func:`formengine.load_registry`, so a variant's
``extends`` resolves against the whole registry and every check (paths, overlay, expressions,
scoring) runs exactly as it will after saving. Refusals that are about who may upload what
(municipality, existing versions) come first and are reported in the same list.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

import formengine
from formengine import (
    ERROR,
    Document,
    FormDefinition,
    Location,
    Problem,
    display_path,
    load_bytes,
)

from ..forms_access import form_roots, registry
from ..i18n import current_language
from . import storage

UPLOAD = "upload.yaml"  # the uploaded text's name in problems located in it


@dataclass
class Finding:
    """One thing to tell the author: a catalogue problem (of the pipeline, or a refusal), in her language."""

    message: str
    hint: str = ""
    code: str = ""
    severity: str = ERROR
    line: int = 0
    column: int = 0
    here: bool = True  # located in the uploaded text (else in another file, e.g. the base form)
    file: str = ""
    n: int = 0  # number in the list, for anchors

    @property
    def anchor(self) -> str:
        return f"problem-{self.n}"


@dataclass
class Check:
    text: str
    findings: list[Finding] = field(default_factory=list)
    form_id: str | None = None
    version: str | None = None
    definition: FormDefinition | None = None
    exists: bool = False  # the version exists already: offer "create a new version"

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def ok(self) -> bool:
        return self.definition is not None and not self.errors

    def by_line(self) -> dict[int, list[Finding]]:
        out: dict[int, list[Finding]] = {}
        for finding in self.findings:
            if finding.here and finding.line:
                out.setdefault(finding.line, []).append(finding)
        return out


def _finding(problem: Problem, upload_name: str, shown_name: str) -> Finding:
    here = problem.location.file == upload_name
    lang = current_language()  # the catalogue's texts in the page's language (English outside nb/nn)
    return Finding(
        problem.message_in(lang),
        problem.hint_in(lang),
        problem.code,
        problem.severity,
        problem.location.line,
        problem.location.column,
        here,
        shown_name if here else problem.location.file,
    )


def check_upload(raw: bytes, municipality: str) -> Check:
    """Validate ``raw`` (UTF-8 YAML) as a new version of the user's municipality; never writes to the app's folders."""
    doc = load_bytes(raw, UPLOAD)
    check = Check(text=doc.text)
    check.findings += [_finding(p, UPLOAD, UPLOAD) for p in doc.problems]
    if doc.data is None or check.errors:
        return _numbered(check)
    if not _identify(check, doc) or not _allowed(check, doc, municipality):
        return _numbered(check)
    _run_pipeline(check, doc)
    return _numbered(check)


def _numbered(check: Check) -> Check:
    check.findings.sort(key=lambda f: (not f.here, f.line or 0, f.column or 0, f.severity != ERROR))
    for n, finding in enumerate(check.findings, start=1):
        finding.n = n
    return check


def _refuse(check: Check, doc: Document, code: str, path: tuple, **args: object) -> None:
    """Report a catalogue problem at ``path`` of the uploaded text."""
    check.findings.append(_finding(Problem(code, doc.loc(path), dict(args)), UPLOAD, UPLOAD))


def _identify(check: Check, doc: Document) -> bool:
    form_id, version, problems = formengine.identify(doc)
    check.findings += [_finding(p, UPLOAD, UPLOAD) for p in problems]
    if check.errors:
        return False
    check.form_id, check.version = form_id, version
    return True


def _allowed(check: Check, doc: Document, municipality: str) -> bool:
    data = doc.data
    own = data.get("municipality")
    own_id = own.get("id") if isinstance(own, dict) else None
    if own_id is None:
        _refuse(
            check,
            doc,
            "FE312",
            ("municipality",) if "municipality" in data else (),
            municipality=municipality,
        )
        return False
    if str(own_id) != municipality:
        _refuse(check, doc, "FE313", ("municipality", "id"), other=str(own_id), own=municipality)
        return False
    owner = _owner_of(check.form_id)
    if owner is not None and owner != municipality:
        _refuse(check, doc, "FE314", ("id",), id=check.form_id)
        return False
    ref = f"{check.form_id}@{check.version}"
    if storage.exists_anywhere(check.form_id, check.version) or ref in registry().lock:
        check.exists = True
        _refuse(check, doc, "FE315", ("version",), version=check.version, form=check.form_id)
        return False
    return True


def _owner_of(form_id: str) -> str | None:
    """The municipality id that owns ``form_id`` ("" for a national form), None if the id is new."""
    for defn in registry().versions(form_id):
        return defn.municipality.id if defn.municipality else ""
    for (fid, _version), doc in registry().documents.items():
        if fid == form_id:
            found = doc.data.get("municipality") if isinstance(doc.data, dict) else None
            return str(found.get("id")) if isinstance(found, dict) else ""
    return None


def _run_pipeline(check: Check, doc: Document) -> None:
    strict = current_app.config.get("STRICT_FORMS", False)
    with tempfile.TemporaryDirectory(prefix="upload-") as tmp:
        target = Path(tmp) / check.form_id / f"{check.version}.yaml"
        target.parent.mkdir()
        target.write_text(doc.text, "utf-8")
        loaded = formengine.load_registry([*map(str, form_roots()), tmp], strict=strict)
        name = display_path(target)
        known = {p.format() for p in registry().problems}
        shown = f"{check.form_id}/{check.version}.yaml"
        for problem in loaded.problems:
            if problem.location.file == name:
                check.findings.append(_with_valid(_finding(problem, name, shown), problem, doc))
            elif problem.severity == ERROR and problem.format() not in known:
                check.findings.append(_finding(problem, name, shown))  # e.g. an error in the merged base
        check.definition = loaded.definitions.get((check.form_id, check.version))
    if check.definition is None and not check.errors:
        check.findings.append(_finding(Problem("FE013", Location(UPLOAD, 1, 1)), UPLOAD, UPLOAD))


# Unknown-reference codes and where their valid values are declared (in the file or the form it extends)
REFERENCE_CODES = {
    "FE116": "option_sets",
    "FE129": "domains",
    "FE130": "contacts",
    "FE202": "items",
    "FE303": "items",
}
MAX_LISTED = 40


def _with_valid(finding: Finding, problem: Problem, doc: Document) -> Finding:
    """Add the valid values to an unknown-reference problem (the closest first), so the author can pick one."""
    import difflib

    kind = REFERENCE_CODES.get(finding.code)
    if kind is None:
        return finding
    wrong = str(
        next((problem.args.get(k) for k in ("name", "target", "domain", "contact") if k in problem.args), "")
    )
    values = valid_values(kind, doc.data if isinstance(doc.data, dict) else {})
    values.sort(key=lambda v: (-round(difflib.SequenceMatcher(None, wrong, v).ratio(), 1), v))
    if values:
        shown = ", ".join(values[:MAX_LISTED]) + (" …" if len(values) > MAX_LISTED else "")
        finding.hint = (finding.hint + " " if finding.hint else "") + _(
            "Valid values: %(values)s.", values=shown
        )
    return finding


def valid_values(kind: str, data: dict) -> list[str]:
    """Ids declared for ``kind`` in ``data`` and in the form it extends (if any), sorted."""
    sources = [data]
    base = data.get("extends")
    if isinstance(base, str) and "@" in base:
        form_id, _sep, version = base.partition("@")
        found = registry().documents.get((form_id, version))
        if found is not None and isinstance(found.data, dict):
            sources.append(found.data)
    out: set[str] = set()
    for source in sources:
        if kind == "items":
            out |= _item_ids(source.get("sections")) | _item_ids(source.get("changes"))
        elif kind == "option_sets":
            sets = source.get("option_sets")
            out |= {str(k) for k in sets} if isinstance(sets, dict) else set()
        else:
            entries = source.get(kind)
            if kind == "domains" and isinstance(source.get("scoring"), dict):
                entries = (entries or []) + list(source["scoring"].get("domains") or [])
            out |= {str(e["id"]) for e in entries or [] if isinstance(e, dict) and "id" in e}
    return sorted(out)


def _item_ids(node) -> set[str]:
    """Every item id in a tree of sections and items (an item is a mapping with both id and type)."""
    out: set[str] = set()
    if isinstance(node, list):
        for entry in node:
            out |= _item_ids(entry)
    elif isinstance(node, dict):
        if "id" in node and ("type" in node or "items" in node):  # an item, or a section
            out.add(str(node["id"]))
        for key in ("items", "sections"):
            out |= _item_ids(node.get(key))
    return out
