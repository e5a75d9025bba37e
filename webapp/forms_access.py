"""The app's form registry (formengine): the shipped forms plus the municipal folder, reloaded on change.

Uploaded versions live in ``MUNICIPAL_FORMS`` (default ``<instance>/forms``). Every write there
touches a marker file (``.changed``, replaced atomically); each request compares the marker's
identity with the one the registry was loaded at, so every app process sees a publish.
"""

from __future__ import annotations

import dataclasses
import json
import os
import threading
from pathlib import Path

from flask import Flask, abort, current_app

from formengine import load_registry

MARKER = ".changed"
_lock = threading.Lock()


def init_app(app: Flask) -> None:
    if not app.config.get("MUNICIPAL_FORMS"):
        app.config["MUNICIPAL_FORMS"] = os.path.join(app.instance_path, "forms")
    if "FORM_REGISTRY" not in app.config:  # tests may hand in a registry of their own: never reloaded
        app.config["FORM_REGISTRY_AUTO"] = True
        _reload(app)
        app.before_request(_reload_if_changed)


def form_roots(app: Flask | None = None) -> list[Path]:
    """The registry's folders: the shipped forms first, then the municipal (writable) folder."""
    config = (app or current_app).config
    return [Path(config["FORMS"]), Path(config["MUNICIPAL_FORMS"])]


def marker_state(folder: Path) -> tuple | None:
    try:
        st = (Path(folder) / MARKER).stat()
    except OSError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def touch_marker(folder: Path) -> None:
    """Tell every app process that the municipal folder changed (atomic replace: a new inode)."""
    folder = Path(folder)
    tmp = folder / f"{MARKER}.{os.getpid()}.{threading.get_ident()}.tmp"
    tmp.write_text(os.urandom(8).hex(), "utf-8")
    tmp.replace(folder / MARKER)


def _reload(app: Flask) -> None:
    roots = form_roots(app)
    state = marker_state(roots[1])
    current = app.config.get("FORM_REGISTRY")
    if current is not None:
        loaded = current.reload()
    else:  # an uploaded version is never used for new fillings before it is published
        loaded = load_registry(roots, strict=app.config["STRICT_FORMS"], hold_back=[roots[1]])
    _mark_retired(loaded, roots[1])
    app.config["FORM_REGISTRY"] = loaded
    app.config["FORM_REGISTRY_STATE"] = state


RETIRED_FILE = "retired.json"  # published versions no longer used for new fillings (their files never change)


def retired(folder: Path) -> set[str]:
    """FORM@VERSION of every version retired in the browser (``retired.json`` in the municipal folder)."""
    try:
        data = json.loads((Path(folder) / RETIRED_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return set()
    return {str(ref) for ref in data} if isinstance(data, list) else set()


def _mark_retired(registry, municipal: Path) -> None:
    """A version retired in the browser (``retired.json`` in the municipal folder) is held back as
    retired: not offered for new fillings, still there for the answers given in it."""
    gone = retired(municipal)
    for key, folder in registry.origins.items():
        defn = registry.definitions.get(key)
        if defn is not None and folder == municipal and defn.key in gone:
            registry.definitions[key] = dataclasses.replace(defn, status="retired")


def _reload_if_changed() -> None:
    app = current_app._get_current_object()
    if marker_state(form_roots(app)[1]) == app.config.get("FORM_REGISTRY_STATE"):
        return
    with _lock:
        if marker_state(form_roots(app)[1]) != app.config.get("FORM_REGISTRY_STATE"):
            _reload(app)


def reload_now() -> None:
    """Reload at once (after this process wrote to the municipal folder)."""
    app = current_app._get_current_object()
    if app.config.get("FORM_REGISTRY_AUTO"):
        with _lock:
            _reload(app)


def registry():
    return current_app.config["FORM_REGISTRY"]


def definition(form_id: str, version: str):
    """Return the exact form version a response was started with (404 if it is gone)."""
    try:
        return registry().get(form_id, version)
    except (KeyError, LookupError):
        abort(404)


def public_forms(municipality: str | None = None) -> list:
    """Active forms a relative may start themselves (assessment and follow-up)."""
    forms = [d for d in registry().active_forms() if d.kind in ("assessment", "followup")]
    if municipality is None:
        return forms
    own = [d for d in forms if d.municipality and d.municipality.id == municipality]
    return own or [d for d in forms if d.municipality is None]


def municipalities() -> list:
    seen = {}
    for d in registry().active_forms():
        if d.municipality:
            seen[d.municipality.id] = d.municipality
    return sorted(seen.values(), key=lambda m: m.name)


def municipality_name(municipality_id: str | None) -> str:
    """The municipality's name for its id, from any form version it owns (the id if none names it).

    Staff pages and printed documents show this, never the internal id.
    """
    if not municipality_id:
        return ""
    reg = registry()
    known = getattr(reg, "definitions", None)
    for defn in known.values() if isinstance(known, dict) else reg.active_forms():
        if defn.municipality and defn.municipality.id == municipality_id and defn.municipality.name:
            return str(defn.municipality.name)
    return municipality_id
