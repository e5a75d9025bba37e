"""What the version pages show: which versions a user may see, the version a draft replaces, the diff."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import abort
from flask_babel import lazy_gettext as _l

from formengine import FormDefinition, diff, semver_key

from ..forms_access import form_roots, registry

LEVEL_NAMES = {"major": _l("major"), "minor": _l("minor"), "patch": _l("patch"), "none": _l("none")}
KIND_NAMES = {
    "item removed": _l("question removed"),
    "item added": _l("question added"),
    "section added": _l("section added"),
    "section removed": _l("section removed"),
    "type changed": _l("question type changed"),
    "option removed": _l("answer option removed"),
    "option added": _l("answer option added"),
    "score changed": _l("score changed"),
    "text changed": _l("text changed"),
    "rows changed": _l("table rows changed"),
    "condition changed": _l("condition changed"),
    "required changed": _l("required changed"),
    "limit changed": _l("limit changed"),
    "scale removed": _l("scale removed"),
    "scale added": _l("scale added"),
    "scale changed": _l("scale changed"),
    "gap removed": _l("gap removed"),
    "gap added": _l("gap added"),
    "gap changed": _l("gap changed"),
    "flag added": _l("flag added"),
    "flag removed": _l("flag removed"),
    "flag changed": _l("flag changed"),
    "priorities changed": _l("priorities changed"),
    "offer added": _l("offer added"),
    "offer removed": _l("offer removed"),
}


def visible_to(defn: FormDefinition, municipality: str) -> bool:
    return defn.municipality is None or defn.municipality.id == municipality


def own_version(form_id: str, version: str, municipality: str) -> FormDefinition:
    """A version the user may see (national or her municipality's), else 404."""
    try:
        defn = registry().get(form_id, version)
    except LookupError:
        abort(404)
    if not visible_to(defn, municipality):
        abort(404)
    return defn


def is_municipal(defn: FormDefinition) -> bool:
    return registry().origins.get((defn.id, defn.version)) == form_roots()[1]


def is_published(defn: FormDefinition) -> bool:
    return defn.key in registry().lock


def file_status(defn: FormDefinition) -> str:
    """The status as written in the file (an unpublished upload is held back as a draft in the app);
    "retired" for a version retired in the browser."""
    if defn.status == "retired":
        return "retired"
    doc = registry().documents.get((defn.id, defn.version))
    status = doc.data.get("status") if doc is not None and isinstance(doc.data, dict) else None
    return status if isinstance(status, str) else defn.status


PLACEHOLDER = re.compile(r"\bTODO\b")


def placeholders(defn: FormDefinition) -> list[tuple[int, str]]:
    """(line, text) of every scaffold placeholder (TODO) left in the version's file."""
    doc = registry().documents.get((defn.id, defn.version))
    if doc is None:
        return []
    return [
        (n, line.strip()[:120])
        for n, line in enumerate(doc.text.splitlines(), start=1)
        if PLACEHOLDER.search(line)
    ]


def file_problems(defn: FormDefinition) -> list:
    """Warnings (and any errors) the registry found in this version's own file, e.g. a missing translation."""
    doc = registry().documents.get((defn.id, defn.version))
    return [p for p in registry().problems if doc is not None and p.location.file == doc.file]


def replaced(defn: FormDefinition) -> FormDefinition | None:
    """The newest earlier version of the same id; for a first version of a variant, its base."""
    earlier = [d for d in registry().versions(defn.id) if semver_key(d.version) < semver_key(defn.version)]
    if earlier:
        return earlier[-1]
    if defn.extends:
        try:
            return registry().resolve_ref(defn.extends)
        except LookupError:
            return None
    return None


def bump(version: str, level: str) -> str:
    major, minor, patch = semver_key(version)
    if level == "major":
        return f"{major + 1}.0.0"
    if level == "minor":
        return f"{major}.{minor + 1}.0"
    if level == "patch":
        return f"{major}.{minor}.{patch + 1}"
    return version


@dataclass
class Comparison:
    old: FormDefinition
    rows: list[dict]
    level: str
    level_name: str
    same_form: bool  # an earlier version of the same id (else: the base of a new variant)
    needed: str | None  # the lowest version number the change allows
    too_low: bool


def compare(defn: FormDefinition) -> Comparison | None:
    old = replaced(defn)
    if old is None:
        return None
    found = diff(old, defn)
    rows = [
        {
            "level": level,
            "level_name": LEVEL_NAMES.get(level, level),
            "kind": KIND_NAMES.get(kind, kind),
            "change": text,
        }
        for level, kind, text in found.changes
    ]
    order = {"major": 0, "minor": 1, "patch": 2}
    rows.sort(key=lambda r: order.get(r["level"], 3))
    same = old.id == defn.id
    needed = bump(old.version, found.level) if same else None
    too_low = bool(same and needed and semver_key(defn.version) < semver_key(needed))
    return Comparison(
        old, rows, found.level, str(LEVEL_NAMES.get(found.level, found.level)), same, needed, too_low
    )


def next_version(version: str) -> str:
    return bump(version, "minor")


def listing(municipality: str) -> list[dict]:
    """Every version the user may see, grouped per form id, newest first within a form."""
    reg = registry()
    active = {d.id: d.version for d in reg.active_forms()}
    out = []
    for defn in reg.all():
        if not visible_to(defn, municipality):
            continue
        out.append(
            {
                "defn": defn,
                "published": is_published(defn),
                "municipal": is_municipal(defn),
                "status": file_status(defn),
                "in_use": active.get(defn.id) == defn.version,
            }
        )
    out.sort(
        key=lambda r: (
            r["defn"].municipality is None,
            r["defn"].id,
            [-n for n in semver_key(r["defn"].version)],
        )
    )
    return out
