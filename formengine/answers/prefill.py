"""Pre-fill a new form version from the answers to an older one, by the mapping the new version declares.

The new version says, under ``prefill:``, which old answer paths have the same meaning as which
new ones (checked at load: FE321–FE325). :func:`prefill_answers` applies it:

- only answers the relative saw count (hidden answers of the old version are left behind);
- option values go through ``values:`` for their target, else stay as they are; a value mapped
  to null, or not an option of the target, is left out (never guessed);
- a pre-filled card cell ticks its card in the ``rows_from`` item, unless its value is "not
  applicable" (a task the relative said does not apply is not turned into a card);
- the result passes :func:`formengine.answers.check.validate_answers` for the new version:
  whatever would not is dropped, item by item.

Nothing is pre-filled when the new version declares no mapping for the old one.
"""

from __future__ import annotations

from typing import Any

from formengine.answers.check import check_value, validate_answers
from formengine.answers.conditions import card_columns_asked, effective_answers
from formengine.definition.model import FormDefinition, PrefillSource

__all__ = ["prefill_answers", "prefill_source"]


def prefill_source(target: FormDefinition, source: FormDefinition) -> PrefillSource | None:
    """The mapping ``target`` declares for answers to ``source`` (None if it declares none)."""
    for entry in target.prefill:
        if entry.matches(source.id, source.version):
            return entry
    return None


def _read(answers: dict[str, Any], path: str) -> Any:
    head, _, row = path.partition(".")
    value = answers.get(head)
    if row:
        return value.get(row) if isinstance(value, dict) else None
    return value


def _translate(value: Any, table: dict[str, str | None] | None) -> Any:
    """Old value(s) through ``values:``; a value mapped to null is dropped."""
    if table is None:
        return value
    if isinstance(value, list):
        kept = [table.get(v, v) if isinstance(v, str) else v for v in value]
        return [v for v in kept if v is not None]
    return table.get(value, value) if isinstance(value, str) else value


def _fits(target: FormDefinition, path: str, value: Any) -> Any:
    """``value`` reduced to what the target path accepts (options only), or None."""
    options = target.options_at(path)
    if not options:
        return value
    allowed = {o.value for o in options}
    if isinstance(value, list):
        kept = [v for v in value if v in allowed]
        return kept or None
    return value if value in allowed else None


def _write(target: FormDefinition, out: dict[str, Any], path: str, value: Any) -> None:
    parts = path.split(".")
    if len(parts) == 1:
        out[path] = value
    elif len(parts) == 2:
        out.setdefault(parts[0], {})[parts[1]] = value
    else:
        out.setdefault(parts[0], {}).setdefault(parts[1], {})[parts[2]] = value


def _tick_cards(target: FormDefinition, out: dict[str, Any]) -> None:
    for item in target.iter_items():
        value = out.get(item.id)
        if item.type != "cards" or item.rows_from is None or not isinstance(value, dict):
            continue
        ticked = list(out.get(item.rows_from) or [])
        endings = dict(item.card_endings)
        for row in item.rows:
            cells = value.get(row.id) or {}
            # only the cells the card asks: "not applicable" ends the card and a column's show_if
            # must hold, so other cells are left behind; a card whose first answer ends it is no card
            given = {c.id: cells[c.id] for c in item.columns if isinstance(cells.get(c.id), str)}
            kept = {k: given[k] for k in card_columns_asked(item, given) if k in given}
            applies = any(v not in endings[k] for k, v in kept.items())
            if row.id in value:
                value[row.id] = kept
            if applies and row.id not in ticked:
                ticked.append(row.id)
        order = [r.id for r in item.rows]
        ticked = sorted(set(ticked), key=lambda v: order.index(v) if v in order else len(order))
        if ticked:
            out[item.rows_from] = ticked
        out[item.id] = {r: c for r, c in value.items() if r in ticked}


def prefill_answers(
    target: FormDefinition, source: FormDefinition, source_answers: dict[str, Any]
) -> dict[str, Any]:
    """Return the answers to ``target`` that ``source_answers`` (to ``source``) pre-fill; see the module docstring."""
    mapping = prefill_source(target, source)
    if mapping is None or not isinstance(source_answers, dict):
        return {}
    shown = effective_answers(source, source_answers)
    out: dict[str, Any] = {}
    for old, new in mapping.map:
        value = _read(shown, old)
        if value is None or value == [] or value == "":
            continue
        value = _fits(target, new, _translate(value, mapping.value_map(new)))
        if value is not None:
            _write(target, out, new, value)
    _tick_cards(target, out)
    for item_id in list(out):  # drop, item by item, whatever the new version would refuse
        item = target.items_by_id.get(item_id)
        if item is None or check_value(item, out[item_id]):
            del out[item_id]
    if validate_answers(target, out):  # a cards row without its tick, or a cell after "not applicable"
        out = effective_answers(target, out)
    return out
