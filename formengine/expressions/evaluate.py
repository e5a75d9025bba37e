"""Evaluation semantics of the expression language: null-safe values, operators, functions.

Kept apart from the parser in :mod:`formengine.expressions.parser`; the rules are described in that
module's docstring. Nothing here raises on data.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, TypeGuard

_ORDERINGS: dict[str, Callable[[Any, Any], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
_ARITHMETIC = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv}
_NUMBER = (int, float)
_SEQUENCE = (list, tuple)
_SIZED = (list, tuple, dict, str)
_PLAIN = (bool, int, float, str, list, tuple, dict)

# ---------------------------------------------------------------------------------------
# Value semantics shared by the nodes.


def is_number(value: object) -> TypeGuard[int | float]:
    return isinstance(value, _NUMBER) and not isinstance(value, bool)


def truthy(value: object) -> bool:
    # objects of other types (not JSON-like) are true rather than trusted with bool()
    return value is not None and (bool(value) if isinstance(value, _PLAIN) else True)


def _equal(a: object, b: object) -> bool:
    if a is None or b is None:
        return a is b
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, _NUMBER) and isinstance(b, _NUMBER):
        return a == b
    if isinstance(a, str) and isinstance(b, str):
        return a == b
    if isinstance(a, _SEQUENCE) and isinstance(b, _SEQUENCE):
        return len(a) == len(b) and all(map(_equal, a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_equal(v, b[k]) for k, v in a.items())
    return False


def _contains(item: object, container: object) -> bool:
    if item is None or container is None:
        return False
    if isinstance(container, _SEQUENCE):
        return any(_equal(item, x) for x in container)
    if isinstance(container, (str, dict)):
        return isinstance(item, str) and item in container
    return False


def _compare(op: str, a: object, b: object) -> bool:
    if op in ("==", "!="):
        return _equal(a, b) == (op == "==")
    if op in ("in", "not in"):
        return _contains(a, b) == (op == "in")
    # ordering only between two numbers or two strings (dates are YYYY-MM-DD strings)
    if (is_number(a) and is_number(b)) or (isinstance(a, str) and isinstance(b, str)):
        return _ORDERINGS[op](a, b)
    return False


def _arithmetic(op: str, a: object, b: object) -> object:
    if not (is_number(a) and is_number(b)) or (op == "/" and b == 0):
        return None
    try:
        return _ARITHMETIC[op](a, b)
    except (OverflowError, ZeroDivisionError):  # e.g. a huge int divided by a float
        return None


def _count(x: object) -> int:
    return 0 if x is None else len(x) if isinstance(x, _SIZED) else 1


def _answered(x: object) -> bool:
    return x is not None and (len(x) > 0 if isinstance(x, _SIZED) else True)


def _sum(x: object) -> object:
    # a single number sums to itself; non-numeric items (null, text, booleans) are skipped
    if is_number(x):
        return x
    if not isinstance(x, _SEQUENCE):
        return None
    try:
        return sum(item for item in x if is_number(item))
    except OverflowError:
        return None


def _extreme(pick: Callable[..., Any], args: list[Any]) -> object:
    """Apply min or max over the non-null values; None if there are none or they are mixed."""
    values = args[0] if len(args) == 1 and isinstance(args[0], _SEQUENCE) else args
    values = [v for v in values if v is not None]
    if values and (all(map(is_number, values)) or all(isinstance(v, str) for v in values)):
        return pick(values)
    return None


def _round(args: list[Any]) -> object:
    """round(x) or round(x, digits): half away from zero (as FHIRPath and paper do); null unless numbers."""
    digits = args[1] if len(args) > 1 else 0
    if not is_number(args[0]) or not is_number(digits) or digits != int(digits) or not 0 <= digits <= 10:
        return None
    try:
        value = Decimal(repr(args[0])).quantize(Decimal(1).scaleb(-int(digits)), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return None
    return int(value) if digits == 0 else float(value)


IMPLEMENTATIONS: dict[str, Callable[[list[Any]], object]] = {
    "count": lambda args: _count(args[0]),
    "answered": lambda args: _answered(args[0]),
    "sum": lambda args: _sum(args[0]),
    "min": lambda args: _extreme(min, args),
    "max": lambda args: _extreme(max, args),
    "round": _round,
}


# ---------------------------------------------------------------------------------------
# Nodes are tuples tagged by their first item: ("lit", value), ("ref", name, Reference),
# ("list", items), ("neg", x), ("not", x), ("arith", first, ((op, x), ...)),
# ("or" | "and", operands), ("cmp", op, left, right), ("call", implementation, args).
# Chains of one operator are flat, so evaluation depth is bounded by the nesting depth,
# not by the length of the source.


def evaluate_node(node: tuple[Any, ...], resolve: Callable[[str], object]) -> object:
    kind = node[0]
    if kind == "lit":
        return node[1]
    if kind == "ref":
        return resolve(node[1])
    if kind == "cmp":
        return _compare(node[1], evaluate_node(node[2], resolve), evaluate_node(node[3], resolve))
    if kind == "and":
        return all(truthy(evaluate_node(x, resolve)) for x in node[1])
    if kind == "or":
        return any(truthy(evaluate_node(x, resolve)) for x in node[1])
    if kind == "not":
        return not truthy(evaluate_node(node[1], resolve))
    if kind == "call":
        return node[1]([evaluate_node(x, resolve) for x in node[2]])
    if kind == "arith":
        value = evaluate_node(node[1], resolve)
        for op, operand in node[2]:
            value = _arithmetic(op, value, evaluate_node(operand, resolve))
        return value
    if kind == "neg":
        value = evaluate_node(node[1], resolve)
        return -value if is_number(value) else None
    return [evaluate_node(x, resolve) for x in node[1]]  # "list": a fresh list every time
