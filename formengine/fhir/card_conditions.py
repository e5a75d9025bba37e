"""When a card's question is asked, in FHIR: the not-applicable endings and a column's ``show_if``.

Export (:func:`column_enable_when`): inside a card's group, a column is enabled while no earlier
column has a not-applicable answer (``!=`` each such code) and while its own ``show_if`` holds.
The condition's names are the card's earlier columns, so each becomes the sibling item
``cards.row.column`` with ``answerCoding``:

- a single comparison, ``answered(x)``, ``not answered(x)`` or a flat ``and`` of those: one
  ``enableWhen`` list with the endings, ``enableBehavior: all``;
- a flat ``or`` (``x in ['a', 'b']`` counts as ``x == 'a' or x == 'b'``): ``enableBehavior: any``
  when every alternative already rules out the endings (it names a later column, whose item is
  disabled once the card ended, or an ending column with an answer that is not "not
  applicable"), which is the usual "from_now in ['less', 'stop'] or who_now == 'nobody'";
- anything else: the SDC ``enableWhenExpression`` extension (language ``text/x-formengine``) with
  the whole condition written on the linkIds, endings included.

Import (:func:`column_show_if`): the reverse for the first card's cells; the ending entries are
left out (the card ends there anyway), the rest becomes the column's ``show_if`` on the bare
column ids.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from formengine.definition.model import Column, Item
from formengine.expressions.evaluate import IMPLEMENTATIONS
from formengine.fhir.common import ENABLE_WHEN_EXPRESSION, FORMENGINE_LANGUAGE

_ANSWERED = IMPLEMENTATIONS["answered"]
Atom = tuple[str, str, Any]  # (column id, "=" | "!=" | "exists", option value or answered?)


def _atoms(node: tuple[Any, ...]) -> tuple[list[Atom], bool] | None:
    """One operand of the condition as enableWhen atoms, and whether they are alternatives (``in``)."""
    kind = node[0]
    if kind == "call" and node[1] is _ANSWERED and node[2][0][0] == "ref":
        return [(node[2][0][1], "exists", True)], False
    if kind == "not" and node[1][0] == "call" and node[1][1] is _ANSWERED and node[1][2][0][0] == "ref":
        return [(node[1][2][0][1], "exists", False)], False
    if kind != "cmp":
        return None
    op, left, right = node[1], node[2], node[3]
    if op == "in" and left[0] == "ref" and right[0] == "list" and right[1]:
        if all(x[0] == "lit" and isinstance(x[1], str) for x in right[1]):
            return [(left[1], "=", x[1]) for x in right[1]], len(right[1]) > 1
        return None
    if op in ("==", "!="):
        if left[0] == "lit":
            left, right = right, left
        if left[0] == "ref" and right[0] == "lit" and isinstance(right[1], str):
            return [(left[1], "=" if op == "==" else "!=", right[1])], False
    return None


def _entry(prefix: str, atom: Atom, system: str) -> dict[str, Any]:
    column_id, op, value = atom
    if op == "exists":
        return {"question": prefix + column_id, "operator": "exists", "answerBoolean": value}
    return {"question": prefix + column_id, "operator": op, "answerCoding": {"system": system, "code": value}}


def _rules_out_endings(item: Item, column: Column, atom: Atom) -> bool:
    """Does the atom hold only when no column before ``column`` ended the card?"""
    order = [c.id for c in item.columns]
    named, op, value = atom
    here = order.index(column.id)
    for ending in item.columns[:here]:
        codes = {o.value for o in ending.options if o.not_applicable}
        if not codes:
            continue
        later = order.index(named) > order.index(ending.id)
        if not (later and op in ("=", "exists") and value is not False) and not (
            named == ending.id and op == "=" and value not in codes
        ):
            return False
    return True


def column_enable_when(
    item: Item, prefix: str, column: Column, ended: list[dict[str, Any]], system: str
) -> dict[str, Any]:
    """The keys (``enableWhen``/``enableBehavior`` or the expression extension) of one card cell.

    ``prefix`` is the card's linkId and a dot; ``ended`` the ``!=`` entries of the earlier
    columns' not-applicable answers."""
    if column.show_if is None:
        if not ended:
            return {}
        return {
            "enableWhen": [dict(e) for e in ended],
            **({"enableBehavior": "all"} if len(ended) > 1 else {}),
        }
    root = column.show_if._root
    operands, joiner = (root[1], root[0]) if root[0] in ("and", "or") else ((root,), None)
    parts = [_atoms(node) for node in operands]
    if all(parts):
        found = [p for p in parts if p is not None]
        if joiner != "or" and not any(alternatives for _, alternatives in found):
            entries = [dict(e) for e in ended] + [
                _entry(prefix, a, system) for atoms, _ in found for a in atoms
            ]
            return {"enableWhen": entries, **({"enableBehavior": "all"} if len(entries) > 1 else {})}
        atoms = [a for atoms, _ in found for a in atoms]
        if (joiner == "or" or len(found) == 1) and all(_rules_out_endings(item, column, a) for a in atoms):
            entries = [_entry(prefix, a, system) for a in atoms]
            return {"enableWhen": entries, **({"enableBehavior": "any"} if len(entries) > 1 else {})}
    endings = [f"{e['question']} != '{e['answerCoding']['code']}'" for e in ended]
    source = (
        " and ".join([*endings, f"({column.show_if.qualified(prefix)})"])
        if endings
        else column.show_if.qualified(prefix)
    )
    return {
        "extension": [
            {
                "url": ENABLE_WHEN_EXPRESSION,
                "valueExpression": {"language": FORMENGINE_LANGUAGE, "expression": source},
            }
        ]
    }


def _quote(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def column_show_if(
    cell: dict[str, Any],
    prefix: str,
    endings: dict[str, set[str]],
    code: Callable[[str, str], str | None],
) -> str | None:
    """The ``show_if`` of an imported card cell, or None when it has none (or none we can read).

    ``prefix`` is the card's linkId and a dot; ``endings`` maps each earlier column's linkId to
    the FHIR codes of its not-applicable options; ``code(linkId, fhir_code)`` gives our option value.
    """
    for ext in cell.get("extension") or []:
        if isinstance(ext, dict) and ext.get("url") == ENABLE_WHEN_EXPRESSION:
            value = ext.get("valueExpression") or {}
            if value.get("language") == FORMENGINE_LANGUAGE and value.get("expression"):
                return str(value["expression"]).replace(prefix, "")
    parts = []
    for entry in cell.get("enableWhen") or []:
        if not isinstance(entry, dict):
            return None
        question = str(entry.get("question", ""))
        op = entry.get("operator")
        found = entry.get("answerCoding")
        coding: dict[str, Any] = found if isinstance(found, dict) else {}
        if not question.startswith(prefix) or question[len(prefix) :] == "":
            return None
        name = question[len(prefix) :]
        if op == "!=" and str(coding.get("code")) in endings.get(question, set()):
            continue  # the card ends there: the engine does that by itself
        if op == "exists":
            parts.append(f"answered({name})" if entry.get("answerBoolean", True) else f"not answered({name})")
            continue
        value = code(question, str(coding.get("code"))) if coding else None
        if value is None or op not in ("=", "!="):
            return None
        parts.append(f"{name} {'==' if op == '=' else '!='} {_quote(value)}")
    if not parts:
        return None
    return (" or " if cell.get("enableBehavior") == "any" else " and ").join(parts)
