"""A registry with the cards test form (tests/formengine/cards_form.py), for the web app tests."""

from __future__ import annotations

from pathlib import Path

from formengine.definition.registry import FormRegistry, load_registry
from tests.formengine.cards_form import cards_form


def cards_registry(root: Path, expects_if: str | None = None) -> FormRegistry:
    """Write the cards form to ``root/kort/1.0.0.yaml`` and load it (failing loudly on any problem);
    ``expects_if`` becomes the ``expects`` column's show_if."""
    path = root / "kort" / "1.0.0.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(cards_form(expects_if=expects_if), "utf-8")
    registry = load_registry(root)
    assert not registry.problems, [p.format() for p in registry.problems]
    return registry
