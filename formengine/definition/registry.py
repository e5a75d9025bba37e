"""The registry of form versions: discovery, variants, the lock of published hashes, semver order."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, cast

from formengine.definition.builder.validation import SEMVER, Builder
from formengine.definition.crosscheck import check_registry
from formengine.definition.loader import Document, load_file
from formengine.definition.model import FormDefinition
from formengine.definition.variants import resolve
from formengine.errors.problems import ERROR, FormError, FormNotFound, Location, Problem

LOCK_NAME = "published.lock"


def semver_key(version: str) -> tuple[int, int, int]:
    """Sort key for MAJOR.MINOR.PATCH (invalid versions sort first)."""
    match = SEMVER.match(version or "")
    return (int(match[1]), int(match[2]), int(match[3])) if match else (-1, -1, -1)


def parse_ref(ref: str) -> tuple[str, str | None]:
    """Split ``FORM@VERSION`` (version optional)."""
    form_id, _, version = ref.partition("@")
    return form_id, version or None


def display_path(path: Path) -> str:
    """Show a path relative to the working directory when it is below it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive
        return str(path)
    return str(Path(path).resolve()) if relative.startswith("..") else relative


@dataclass
class FormRegistry:
    """Every form version found under one folder, validated and resolved."""

    root: Path
    roots: tuple[Path, ...] = ()
    origins: dict[tuple[str, str], Path] = field(default_factory=dict)  # version -> the root it lives in
    definitions: dict[tuple[str, str], FormDefinition] = field(default_factory=dict)
    documents: dict[tuple[str, str], Document] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    lock: dict[str, str] = field(default_factory=dict)
    strict: bool = False
    held_back: tuple[Path, ...] = ()  # folders whose unpublished versions are loaded as drafts

    def reload(self) -> FormRegistry:
        """A fresh registry from the same folders with the same settings (this one is not changed)."""
        return load_registry(list(self.roots or (self.root,)), strict=self.strict, hold_back=self.held_back)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    def get(self, form_id: str, version: str | None = None) -> FormDefinition:
        """Return one version (newest active if ``version`` is None); raise FormError FE309."""
        if version is None:
            found = self.latest_active(form_id) or self.latest(form_id)
        else:
            found = self.definitions.get((form_id, version))
        if found is None:
            doc = self.documents.get((form_id, version or ""))
            broken = (
                [p for p in self.problems_for(doc.file) if p.severity == ERROR] if doc is not None else []
            )
            if broken:  # the file is there, but has errors: say which, not "not found"
                raise FormNotFound(broken)
            raise FormNotFound(
                [
                    Problem(
                        "FE309", Location(str(self.root), 0, 0), {"form": form_id, "version": version or "*"}
                    )
                ]
            )
        return found

    def resolve_ref(self, ref: str) -> FormDefinition:
        return self.get(*parse_ref(ref))

    def versions(self, form_id: str) -> list[FormDefinition]:
        found = [d for (fid, _), d in self.definitions.items() if fid == form_id]
        return sorted(found, key=lambda d: semver_key(d.version))

    def latest(self, form_id: str) -> FormDefinition | None:
        found = self.versions(form_id)
        return found[-1] if found else None

    def latest_active(self, form_id: str) -> FormDefinition | None:
        """Return the newest active version: the one new fillings use."""
        found = [d for d in self.versions(form_id) if d.status == "active"]
        return found[-1] if found else None

    def active_forms(self) -> list[FormDefinition]:
        ids = sorted({fid for fid, _ in self.definitions})
        return [d for d in (self.latest_active(fid) for fid in ids) if d is not None]

    def all(self) -> list[FormDefinition]:
        return sorted(self.definitions.values(), key=lambda d: (d.id, semver_key(d.version)))

    def is_published(self, definition: FormDefinition) -> bool:
        return definition.key in self.lock

    def problems_for(self, path: str | Path) -> list[Problem]:
        name = display_path(Path(path)) if Path(path).exists() else str(path)
        return [p for p in self.problems if p.location.file == name]


def load_registry(
    root: str | Path | list[Any] = "forms", strict: bool = False, hold_back: Iterable[str | Path] = ()
) -> FormRegistry:
    """Load, resolve and validate every ``<form>/<version>.yaml`` under ``root``.

    ``root`` may be a list of folders (e.g. the shipped forms, then a municipality's writable
    folder): each has its own ``published.lock``; a version may live in only one of them, and
    a variant in one may extend a form in another. A version in one of the ``hold_back``
    folders that is not in its ``published.lock`` is loaded as a draft, whatever its status
    says: an uploaded version is never used for new fillings before it is published.
    """
    roots = tuple(Path(r) for r in root) if isinstance(root, (list, tuple)) else (Path(root),)
    registry = FormRegistry(roots[0], roots, strict=strict, held_back=tuple(Path(h) for h in hold_back))
    docs: dict[tuple[str, str], Document] = {}
    for folder in roots:
        for ref, digest in read_lock(folder, registry.problems).items():
            registry.lock.setdefault(ref, digest)
        for path in sorted(folder.glob("*/*.yaml")) + sorted(folder.glob("*/*.yml")):
            doc = load_file(path, display_path(path))
            key = (path.parent.name, path.stem)
            if key in docs:
                registry.problems.append(
                    Problem(
                        "FE306",
                        Location(doc.file, 1, 1),
                        {"form": key[0], "version": key[1], "other": docs[key].file},
                    )
                )
                continue
            registry.problems.extend(doc.problems)
            docs[key] = doc
            registry.origins[key] = folder
            if doc.data is not None:
                registry.documents[key] = doc
    for key, doc in docs.items():
        if doc.data is None or doc.data.get("extends") is not None:
            continue
        _build(registry, key, doc, strict)
    for key, doc in docs.items():
        if doc.data is not None and doc.data.get("extends") is not None:
            _build_variant(registry, key, doc, strict)
    check_registry(registry, strict)
    for folder in roots:
        _check_lock(registry, folder)
    _hold_back_unpublished(registry)
    return registry


def check_file(
    path: str | Path, strict: bool = False, forms_root: str | Path | list[str | Path] | None = None
) -> tuple[list[Problem], bool]:
    """Every problem of the one form file at ``path``, wherever it lives; returns (problems, valid).

    A file at ``<root>/<form>/<version>.yaml`` is checked as part of ``<root>`` (its id and
    version must match the path, a variant finds its base beside it). Any other file is read
    and validated on its own; a variant in it extends a form of ``forms_root``.
    """
    path = Path(path).resolve()
    name = display_path(path)
    if path.suffix in (".yaml", ".yml") and SEMVER.match(path.stem) and path.parent.parent != path.parent:
        registry = load_registry(path.parent.parent, strict)
        key = (path.parent.name, path.stem)
        doc = registry.documents.get(key)
        problems = registry.problems_for(path)
        if problems or (doc is not None and doc.file == name):
            valid = key in registry.definitions and not any(p.severity == ERROR for p in problems)
            return problems, valid
    doc = load_file(path, name)
    if doc.data is None:
        return list(doc.problems), False
    problems = list(doc.problems)
    if doc.data.get("extends") is not None and forms_root is not None:
        registry = load_registry(forms_root, strict)
        registry.problems = []
        _build_variant(registry, ("", ""), doc, strict)
        problems += registry.problems
        valid = ("", "") in registry.definitions
    else:
        builder = Builder(doc, strict=strict)
        valid = builder.build() is not None
        problems += builder.problems
    return problems, valid and not any(p.severity == ERROR for p in problems)


def _hold_back_unpublished(registry: FormRegistry) -> None:
    for key, folder in registry.origins.items():
        definition = registry.definitions.get(key)
        if (
            definition is not None
            and folder in registry.held_back
            and definition.status == "active"
            and definition.key not in registry.lock
        ):
            registry.definitions[key] = replace(definition, status="draft")


def _build(
    registry: FormRegistry, key: tuple[str, str], doc: Document, strict: bool, source: Document | None = None
) -> None:
    builder = Builder(doc, strict=strict, expected_path=key)
    definition = builder.build()
    registry.problems.extend(builder.problems)
    # a file with a load error (FE0xx: a duplicate key, a non-finite number read as empty, …)
    # is never served, even when what could be read of it builds
    if definition is not None and not any(p.severity == ERROR for p in doc.problems):
        registry.definitions[key] = definition


def _build_variant(registry: FormRegistry, key: tuple[str, str], doc: Document, strict: bool) -> None:
    ref = doc.data.get("extends")
    form_id, version = parse_ref(str(ref))
    base = registry.documents.get((form_id, version or ""))
    reason = None
    if not isinstance(ref, str) or version is None:
        reason = "write it as FORM@VERSION"
    elif base is None:
        reason = "no such form version"
    elif base.data.get("extends") is not None:
        registry.problems.append(Problem("FE311", doc.loc(("extends",)), {"target": ref}))
        return
    elif (form_id, version) not in registry.definitions:
        reason = "that version has errors"
    if reason:
        registry.problems.append(Problem("FE302", doc.loc(("extends",)), {"target": ref, "reason": reason}))
        return
    merged, problems = resolve(doc, cast(Document, base))  # not None: a missing base set a reason
    registry.problems.extend(problems)
    # Validate the merge even when an overlay step failed (that step was skipped), so every
    # problem in the file is reported in one run; such a variant is not registered.
    _build(registry, key, merged, strict)
    if any(p.severity == ERROR for p in problems):
        registry.definitions.pop(key, None)


def read_lock(root: Path, problems: list[Problem]) -> dict[str, str]:
    path = root / LOCK_NAME
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text("utf-8"))
        if not isinstance(data, dict):
            raise ValueError("not an object")
        return {str(k): str(v) for k, v in data.items()}
    except (OSError, ValueError) as exc:
        problems.append(
            Problem("FE004", Location(display_path(path), 1, 1), {"problem": f"published.lock: {exc}"})
        )
        return {}


def _check_lock(registry: FormRegistry, folder: Path) -> None:
    for ref, expected in read_lock(folder, []).items():
        form_id, version = parse_ref(ref)
        doc = registry.documents.get((form_id, version or ""))
        if doc is None or registry.origins.get((form_id, version or "")) != folder:
            registry.problems.append(
                Problem(
                    "FE309",
                    Location(display_path(folder / LOCK_NAME), 1, 1),
                    {"form": form_id, "version": version},
                )
            )
            continue
        actual = doc.content_hash
        if actual != expected:
            registry.problems.append(
                Problem(
                    "FE301",
                    Location(doc.file, 1, 1),
                    {"form": form_id, "version": version, "actual": actual[:19], "expected": expected[:19]},
                )
            )


def publish(root: str | Path | list[Any], ref: str) -> str:
    """Record FORM@VERSION's content hash in the published.lock of its folder; return the hash.

    ``root`` is a folder or a list of folders as for :func:`load_registry`. Raises FormError
    if the version is missing, has errors, or is a draft.
    """
    registry = load_registry(root)
    root = registry.root
    form_id, version = parse_ref(ref)
    doc = registry.documents.get((form_id, version or ""))
    definition = registry.definitions.get((form_id, version or ""))
    where = Location(display_path(root / LOCK_NAME), 1, 1)
    if doc is None or definition is None:
        errors = [p for p in registry.errors if doc and p.location.file == doc.file]
        raise FormError(errors or [Problem("FE309", where, {"form": form_id, "version": version})])
    if definition.status == "draft":
        raise FormError(
            [
                Problem(
                    "FE310",
                    Location(doc.file, 1, 1),
                    {
                        "form": form_id,
                        "version": version,
                        "reason": "it is a draft; set status: active first",
                    },
                )
            ]
        )
    if ref in registry.lock and registry.lock[ref] != doc.content_hash:
        raise FormError([p for p in registry.errors if p.code == "FE301" and p.location.file == doc.file])
    folder = registry.origins[(form_id, version or "")]
    lock = read_lock(folder, [])
    lock[f"{form_id}@{version}"] = doc.content_hash
    write_lock(folder, lock)
    return doc.content_hash


def write_lock(root: Path, lock: dict[str, str]) -> None:
    text = json.dumps(dict(sorted(lock.items())), indent=2, ensure_ascii=False) + "\n"
    tmp = root / (LOCK_NAME + ".tmp")
    tmp.write_text(text, "utf-8")
    tmp.replace(root / LOCK_NAME)
