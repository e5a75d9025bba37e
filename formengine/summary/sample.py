"""A deterministic, complete answer set for any form: for previews, screenshots and benchmarks.

Every shown item gets a plausible answer (a middle option, a short sentence of free text,
one or two repeat entries), so a layout can be judged at its fullest. This is demo data,
never a scoring shortcut.
"""
from __future__ import annotations

from typing import Any

from formengine.answers.conditions import visible_items
from formengine.definition.model import FormDefinition, Item

TEXT = ("Jeg gjør det meste selv nå, og det går ut over søvnen. Jeg vil gjerne snakke om "
        "hva kommunen kan ta over, og om hva jeg kan regne med når det blir verre.")


def sample_answers(defn: FormDefinition, seed: int = 0, text_every: int = 3) -> dict[str, Any]:
    """Return answers to every choice item of ``defn`` and to every ``text_every``-th free-text item.

    Most relatives write in some free-text fields, not all; ``text_every=1`` fills every one.
    Hidden branches are removed in a second pass.
    """
    answers: dict[str, Any] = {}
    texts = 0
    for n, item in enumerate(i for s in defn.sections for i in s.items):
        if item.type == "long_text":
            texts += 1
            if (texts - 1) % text_every:
                continue
        value = _value(item, n + seed)
        if value is not None:
            answers[item.id] = value
    shown = visible_items(defn, answers)
    return {k: v for k, v in answers.items() if k in shown}


def _pick(item: Item, n: int) -> str | None:
    usable = [o.value for o in item.options if not o.not_applicable]
    return usable[(n * 7 + 3) % len(usable)] if usable else None


def _value(item: Item, n: int) -> Any:
    if item.type in ("single_choice", "scale", "support_need"):
        return _pick(item, n)
    if item.type == "yes_no":
        return "yes" if n % 2 == 0 else "no"
    if item.type in ("multi_choice", "priority"):
        usable = [o.value for o in item.options if not o.not_applicable]
        count = min(item.max_choices or 3, 3, len(usable))
        return [usable[(n + 5 * i) % len(usable)] for i in range(count)] if usable else None
    if item.type == "matrix":
        return {row.id: _pick(item, n + i) for i, row in enumerate(item.rows)}
    if item.type == "number":
        return int(item.min or 0) + 7
    if item.type == "date":
        return "2026-12-01"
    if item.type == "text":
        return "Kort svar"
    if item.type == "long_text":
        return TEXT
    if item.type == "repeat":
        return [{c.id: _value(c, n + i) for c in item.items if c.type != "note"} for i in range(2)]
    return None
