"""The app's form registry (formengine), loaded once per app."""
from __future__ import annotations

from flask import Flask, abort, current_app


def init_app(app: Flask) -> None:
    if "FORM_REGISTRY" not in app.config:
        import formengine

        app.config["FORM_REGISTRY"] = formengine.load_registry(app.config["FORMS"],
                                                               strict=app.config["STRICT_FORMS"])


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
