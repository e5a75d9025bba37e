"""show_if ↔ enableWhen: translate the expressions FHIR can say, keep the rest as an expression.

Export: a single comparison (``x == 'v'``, ``x != 'v'``, ``'v' in x``, ``x > 3``,
``answered(x)``, ``not answered(x)``) or a flat ``and``/``or`` of those becomes
``enableWhen`` with ``enableBehavior`` all/any. Anything else is written as the SDC
``enableWhenExpression`` extension with language ``text/x-formengine``.
Import: the reverse, for enableWhen entries whose question is a known item.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from formengine.definition import item_types as it
from formengine.definition.model import FormDefinition, Item
from formengine.expressions.evaluate import IMPLEMENTATIONS
from formengine.expressions.parser import Expression
from formengine.fhir.common import ENABLE_WHEN_EXPRESSION, FORMENGINE_LANGUAGE

_ANSWERED = IMPLEMENTATIONS["answered"]
_FLIP = {"<": ">", ">": "<", "<=": ">=", ">=": "<=", "==": "==", "!=": "!="}
_FHIR_OP = {"==": "=", "!=": "!=", "<": "<", ">": ">", "<=": "<=", ">=": ">="}


def _lookup(defn: FormDefinition, name: str) -> Item | None:
    head, _, row = name.partition(".")
    item = defn.items_by_id.get(head)
    if item is None or (row and not (item.type == "matrix" and any(r.id == row for r in item.rows))):
        return None
    return item


def _answer(item: Item, value: object, system: str) -> dict[str, Any] | None:
    """Return the answer[x] for comparing ``item``'s answer with the literal ``value``."""
    if item.options and isinstance(value, str):
        if item.option(value) is None:
            return None
        return {"answerCoding": {"system": system, "code": value}}
    if item.type == "number" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return (
            {"answerInteger": value}
            if item.integer and float(value).is_integer()
            else {"answerDecimal": value}
        )
    if item.type == "date" and isinstance(value, str) and len(value) == 10:
        return {"answerDate": value}
    if item.type in it.TEXT_TYPES and isinstance(value, str):
        return {"answerString": value}
    return None


def plain_yes_no(item: Item) -> bool:
    """A yes_no item with the built-in options only (no scores, no 'not relevant').

    The export no longer writes such an item as a FHIR boolean (renderers then show their own
    English "Yes / No"); it is a choice with our labels like every yes_no item."""
    return item.type == "yes_no" and [o.value for o in item.options] == ["yes", "no"] and not item.scored


def _condition(
    defn: FormDefinition, node: tuple[Any, ...], system: str, negate: bool = False
) -> dict[str, Any] | None:
    kind = node[0]
    if kind == "not" and not negate:
        return _condition(defn, node[1], system, negate=True)
    if kind == "call" and node[1] is _ANSWERED and node[2][0][0] == "ref":
        name = node[2][0][1]
        if _lookup(defn, name) is None:
            return None
        return {"question": name, "operator": "exists", "answerBoolean": not negate}
    if kind != "cmp" or negate:
        return None
    op, left, right = node[1], node[2], node[3]
    if op == "in" and left[0] == "lit" and right[0] == "ref":
        item = _lookup(defn, right[1])
        if item is None or item.type not in it.LIST_CHOICE_TYPES:
            return None
        answer = _answer(item, left[1], system)
        return {"question": right[1], "operator": "=", **answer} if answer else None
    if op not in _FHIR_OP:
        return None
    if left[0] == "lit" and right[0] == "ref":
        left, right, op = right, left, _FLIP[op]
    if left[0] != "ref" or right[0] != "lit":
        return None
    item = _lookup(defn, left[1])
    if item is None or item.type in it.LIST_CHOICE_TYPES | {"repeat"}:
        return None
    answer = _answer(item, right[1], system)
    return {"question": left[1], "operator": _FHIR_OP[op], **answer} if answer else None


def enable_when(defn: FormDefinition, expr: Expression | None, system: str) -> dict[str, Any]:
    """Return the keys to add to a Questionnaire item for a show_if expression."""
    if expr is None:
        return {}
    root = expr._root
    operands, behaviour = (root[1], root[0]) if root[0] in ("and", "or") else ((root,), None)
    conditions = [_condition(defn, node, system) for node in operands]
    if all(conditions):
        out: dict[str, Any] = {"enableWhen": conditions}
        if behaviour:
            out["enableBehavior"] = "all" if behaviour == "and" else "any"
        return out
    return {
        "extension": [
            {
                "url": ENABLE_WHEN_EXPRESSION,
                "valueExpression": {"language": FORMENGINE_LANGUAGE, "expression": expr.source},
            }
        ]
    }


def _quote(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _literal(
    entry: dict[str, Any], kind: str, code: Callable[[str, str], str | None], question: str
) -> str | None:
    if "answerCoding" in entry:
        value = code(question, str((entry["answerCoding"] or {}).get("code")))
        return _quote(value) if value else None
    if "answerBoolean" in entry and kind == "yes_no":
        return "'yes'" if entry["answerBoolean"] else "'no'"
    for key in ("answerInteger", "answerDecimal"):
        if isinstance(entry.get(key), (int, float)) and not isinstance(entry.get(key), bool):
            return repr(entry[key])
    for key in ("answerString", "answerDate"):
        if isinstance(entry.get(key), str):
            return _quote(entry[key])
    return None


def show_if_from(
    item: dict[str, Any], ids: dict[str, tuple[str, str]], code: Callable[[str, str], str | None]
) -> str | None:
    """Return a show_if expression for a Questionnaire item's enableWhen, or None if not expressible.

    ``ids`` maps a linkId to (our id, our type); ``code(linkId, fhir_code)`` to an option value.
    """
    for ext in item.get("extension") or []:
        if isinstance(ext, dict) and ext.get("url") == ENABLE_WHEN_EXPRESSION:
            value = ext.get("valueExpression") or {}
            if value.get("language") == FORMENGINE_LANGUAGE and value.get("expression"):
                return str(value["expression"])
    parts = []
    for entry in item.get("enableWhen") or []:
        if not isinstance(entry, dict) or entry.get("question") not in ids:
            return None
        ident, kind = ids[entry["question"]]
        op = entry.get("operator")
        if op == "exists":
            parts.append(
                f"answered({ident})" if entry.get("answerBoolean", True) else f"not answered({ident})"
            )
            continue
        literal = _literal(entry, kind, code, entry["question"])
        if literal is None or op not in ("=", "!=", "<", ">", "<=", ">="):
            return None
        if kind in it.LIST_CHOICE_TYPES and op in ("=", "!="):
            parts.append(f"{literal} {'in' if op == '=' else 'not in'} {ident}")
        else:
            parts.append(f"{ident} {'==' if op == '=' else op} {literal}")
    if not parts:
        return None
    joiner = " or " if item.get("enableBehavior") == "any" else " and "
    return joiner.join(parts)
