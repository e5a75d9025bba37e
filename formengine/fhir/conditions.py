"""show_if ↔ enableWhen: translate the expressions FHIR can say, keep the rest as an expression.

Export: a single comparison (``x == 'v'``, ``x != 'v'``, ``'v' in x``, ``'v' not in x``, ``x > 3``,
``answered(x)``, ``not answered(x)``) or a flat ``and``/``or`` of those becomes
``enableWhen`` with ``enableBehavior`` all/any. Anything else is written as the SDC
``enableWhenExpression`` extension with language ``text/x-formengine``.
Import: the reverse, comparing values of the right type (see :func:`show_if_from`); what
cannot be said faithfully raises :class:`Unfit` with the reason, for a located warning.
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
    if op in ("in", "not in") and left[0] == "lit" and right[0] == "ref":
        item = _lookup(defn, right[1])
        if item is None or item.type not in it.LIST_CHOICE_TYPES:
            return None
        answer = _answer(item, left[1], system)
        # R4: "=" some answer equals it, "!=" no answer equals it
        return {"question": right[1], "operator": "=" if op == "in" else "!=", **answer} if answer else None
    if op not in _FHIR_OP:
        return None
    if left[0] == "lit" and right[0] == "ref":
        left, right, op = right, left, _FLIP[op]
    if left[0] != "ref" or right[0] != "lit":
        return None
    item = _lookup(defn, left[1])
    if item is None or item.type in it.LIST_CHOICE_TYPES | {"repeat"}:
        return None
    if item.options and op not in ("==", "!="):  # codes have no order in FHIR: keep our expression
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


CodeLookup = Callable[[str, str, Any], "str | None"]


class Unfit(ValueError):
    """An enableWhen entry that cannot be said faithfully (the message names what and why)."""


# the answer[x] of an enableWhen entry -> the family of values it compares with
_FAMILIES = {
    "answerCoding": "code",
    "answerBoolean": "boolean",
    "answerInteger": "number",
    "answerDecimal": "number",
    "answerQuantity": "number",
    "answerDate": "date",
    "answerDateTime": "date",
    "answerString": "text",
    "answerTime": "text",
    "answerReference": "reference",
}
_ORDERING = ("<", ">", "<=", ">=")
_OPERATORS = ("=", "!=") + _ORDERING


def _family(kind: str) -> str:
    """The family of values an answer to one of our item kinds is compared as."""
    if kind in it.CHOICE_TYPES | it.LIST_CHOICE_TYPES or kind == "matrix":
        return "code"
    return {"number": "number", "date": "date"}.get(kind, "text" if kind in it.TEXT_TYPES else kind)


def _entry_literal(entry: dict[str, Any], kind: str, code: CodeLookup, question: str) -> str:
    """Our literal for an enableWhen entry's answer[x], checked against the question's kind."""
    found = [key for key in _FAMILIES if key in entry]
    if len(found) != 1:
        raise Unfit(f"question '{question}': expected one answer[x], found {len(found)}")
    key, op = found[0], str(entry.get("operator"))
    value, family, ours = entry[key], _FAMILIES[found[0]], _family(kind)
    if family == "boolean" and kind == "yes_no":
        family = "code"
        value = {"code": "yes" if value is True else "no", "ours": True}
    if family != ours:
        raise Unfit(f"question '{question}' ({kind}) is compared with {key}")
    if op in _ORDERING and family == "code":
        raise Unfit(f"question '{question}': '{op}' on a coded answer has no order")
    if family == "code":
        coding = value if isinstance(value, dict) else {}
        if coding.get("ours"):
            return _quote(str(coding["code"]))
        option = code(question, str(coding.get("code")), coding.get("system"))
        if option is None:
            raise Unfit(
                f"question '{question}': {coding.get('system') or ''}|{coding.get('code')} is not one of its options"
            )
        return _quote(option)
    if family == "number":
        number = value.get("value") if isinstance(value, dict) else value
        if isinstance(number, (int, float)) and not isinstance(number, bool):
            return repr(number)
    elif isinstance(value, str):
        return _quote(value[:10] if family == "date" else value)
    raise Unfit(f"question '{question}': {key} {value!r} is not a {family}")


def option_systems(item: dict[str, Any] | None, sets: dict[str, dict[str, Any]]) -> dict[str, set[str]]:
    """code → the code systems a question's options give it (answerOption, or its contained ValueSet)."""
    out: dict[str, set[str]] = {}

    def add(system: Any, code: Any) -> None:
        if system and code is not None:
            out.setdefault(str(code), set()).add(str(system))

    for entry in (item or {}).get("answerOption") or []:
        coding = entry.get("valueCoding") if isinstance(entry, dict) else None
        if isinstance(coding, dict):
            add(coding.get("system"), coding.get("code"))
    vs = sets.get(str((item or {}).get("answerValueSet")))
    for include in ((vs or {}).get("compose") or {}).get("include") or []:
        for concept in include.get("concept") or [] if isinstance(include, dict) else []:
            if isinstance(concept, dict):
                add(include.get("system"), concept.get("code"))
    for entry in ((vs or {}).get("expansion") or {}).get("contains") or []:
        if isinstance(entry, dict):
            add(entry.get("system"), entry.get("code"))
    return out


def show_if_from(item: dict[str, Any], ids: dict[str, tuple[str, str]], code: CodeLookup) -> str | None:
    """Return a show_if expression for a Questionnaire item's enableWhen (None when it has none).

    ``ids`` maps a linkId to (our id, our type); ``code(linkId, fhir_code, system)`` to an option
    value (None when the question has no such option). Values are compared by type: codes with
    codes (system and code), numbers with numbers (a quantity by its value), dates with dates,
    text with text, booleans with a yes/no question. Raises :class:`Unfit` naming what cannot be
    said faithfully (an unknown question, a numeric comparison on a coded answer, an operator
    FHIR does not define…), so that the import can say so instead of guessing.
    """
    for ext in item.get("extension") or []:
        if isinstance(ext, dict) and ext.get("url") == ENABLE_WHEN_EXPRESSION:
            value = ext.get("valueExpression") or {}
            if value.get("language") == FORMENGINE_LANGUAGE and value.get("expression"):
                return str(value["expression"])
    parts = []
    for entry in item.get("enableWhen") or []:
        if not isinstance(entry, dict):
            raise Unfit("an enableWhen entry is not an object")
        question, op = str(entry.get("question")), entry.get("operator")
        if question not in ids or ids[question][1] in ("note", "section"):
            raise Unfit(f"question '{question}' is not a question of this form")
        ident, kind = ids[question]
        if op == "exists":
            if not isinstance(entry.get("answerBoolean"), bool):
                raise Unfit(f"question '{question}': 'exists' needs answerBoolean")
            parts.append(f"answered({ident})" if entry["answerBoolean"] else f"not answered({ident})")
            continue
        if op not in _OPERATORS:
            raise Unfit(f"question '{question}': unknown operator {op!r}")
        literal = _entry_literal(entry, kind, code, question)
        if kind in it.LIST_CHOICE_TYPES:  # "=": some answer is it; "!=": no answer is it (R4)
            parts.append(f"{literal} {'in' if op == '=' else 'not in'} {ident}")
        else:
            parts.append(f"{ident} {'==' if op == '=' else op} {literal}")
    if not parts:
        return None
    joiner = " or " if item.get("enableBehavior") == "any" else " and "
    return joiner.join(f"({p})" if " or " in p or " and " in p else p for p in parts)
