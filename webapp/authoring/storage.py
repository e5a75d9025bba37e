"""The municipal forms folder: save a draft, delete it, set it active and publish it.

Every write holds an exclusive file lock on the folder (several app processes may write), never
overwrites an existing version, and touches the marker that makes every process reload.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
from pathlib import Path

import formengine
from formengine import load_text, read_lock

from ..forms_access import RETIRED_FILE, form_roots, reload_now, retired, touch_marker

LOCK_FILE = ".write.lock"
STATUS_LINE = re.compile(r"^(status:[ ]*)([\"']?)draft\2([ ]*(#.*)?)$")


class StorageError(Exception):
    """A write that was refused; ``reason`` says why in a word the views translate."""

    def __init__(self, reason: str, problems: list | None = None):
        super().__init__(reason)
        self.reason = reason
        self.problems = problems or []


def municipal_root() -> Path:
    return form_roots()[1]


def path_for(form_id: str, version: str) -> Path:
    return municipal_root() / form_id / f"{version}.yaml"


def exists_anywhere(form_id: str, version: str) -> bool:
    """True if a file for this version lies in any of the registry's folders."""
    return any(
        (root / form_id / f"{version}.{ext}").exists() for root in form_roots() for ext in ("yaml", "yml")
    )


@contextlib.contextmanager
def write_lock():
    root = municipal_root()
    root.mkdir(parents=True, exist_ok=True)
    with open(root / LOCK_FILE, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield root
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _changed(root: Path) -> None:
    touch_marker(root)
    reload_now()


def save_new(form_id: str, version: str, text: str) -> Path:
    """Write a new version; refuse (``exists``) if any folder already has it. Never overwrites."""
    with write_lock() as root:
        if exists_anywhere(form_id, version):
            raise StorageError("exists")
        target = root / form_id / f"{version}.yaml"
        target.parent.mkdir(exist_ok=True)
        tmp = target.with_name(f".{version}.{os.getpid()}.tmp")
        tmp.write_text(text, "utf-8")
        try:
            os.link(tmp, target)  # fails if the file appeared meanwhile: no overwrite, ever
        except FileExistsError:
            raise StorageError("exists") from None
        finally:
            tmp.unlink(missing_ok=True)
        _changed(root)
    return target


def delete_draft(form_id: str, version: str) -> None:
    with write_lock() as root:
        if f"{form_id}@{version}" in read_lock(root, []):
            raise StorageError("published")
        target = root / form_id / f"{version}.yaml"
        if not target.exists():
            raise StorageError("missing")
        target.unlink()
        with contextlib.suppress(OSError):
            target.parent.rmdir()  # only when empty
        _changed(root)


def activated_text(text: str) -> str | None:
    """``text`` with its top-level ``status: draft`` line changed to active (None if there is none)."""
    lines = text.splitlines(keepends=True)
    for n, line in enumerate(lines):
        body = line.rstrip("\r\n")
        match = STATUS_LINE.match(body)
        if match:
            lines[n] = f"{match.group(1)}active{match.group(3)}" + line[len(body) :]
            changed = "".join(lines)
            before, after = load_text(text), load_text(changed)
            if after.data is None or {**before.data, "status": "active"} != after.data:
                return None
            return changed
    return None


def publish(form_id: str, version: str) -> str:
    """Set a draft active (editing that one line), then record its hash in the folder's lock."""
    ref = f"{form_id}@{version}"
    with write_lock() as root:
        target = root / form_id / f"{version}.yaml"
        if ref in read_lock(root, []):
            raise StorageError("published")
        if not target.exists():
            raise StorageError("missing")
        original = target.read_text("utf-8")
        doc = load_text(original)
        if doc.data is not None and doc.data.get("status") == "draft":
            changed = activated_text(original)
            if changed is None:
                raise StorageError("status_line")
            _replace(target, changed)
        try:
            digest = formengine.publish([str(r) for r in form_roots()], ref)
        except formengine.FormError as exc:
            _replace(target, original)
            _changed(root)
            raise StorageError("invalid", exc.problems) from None
        _changed(root)
    return digest


def _replace(target: Path, text: str) -> None:
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    tmp.write_text(text, "utf-8")
    tmp.replace(target)


def retire(form_id: str, version: str) -> None:
    """Retire a published version: listed in retired.json; the file and its lock entry stay as they are,
    so answers given in it still load, show and print."""
    ref = f"{form_id}@{version}"
    with write_lock() as root:
        if ref not in read_lock(root, []):
            raise StorageError("not_published")
        done = retired(root)
        if ref in done:
            raise StorageError("retired")
        _replace(root / RETIRED_FILE, json.dumps(sorted(done | {ref}), indent=2) + "\n")
        _changed(root)
