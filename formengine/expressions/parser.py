"""A small, safe expression language for show_if, required_if, constraint and scoring rules.

Source text is tokenized and parsed by hand (no ``eval``, no Python ``ast``) into a tree of
immutable nodes. Grammar, loosest first::

    or_expr  := and_expr ('or' and_expr)*
    and_expr := not_expr ('and' not_expr)*
    not_expr := 'not' not_expr | compare
    compare  := sum (('==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'not' 'in') sum)?
    sum      := product (('+' | '-') product)*
    product  := unary (('*' | '/') unary)*
    unary    := '-' unary | primary
    primary  := NUMBER | STRING | 'true' | 'false' | 'null' | '[' [or_expr (',' or_expr)*] ']'
              | NAME '(' [or_expr (',' or_expr)*] ')' | NAME | '(' or_expr ')'

Comparisons do not chain (``a < b < c`` is a syntax error). Names are ``[a-z_][a-z0-9_]*``,
optionally dotted (``matrix.row``, ``score.scale``); keywords are not names.

Evaluation never raises on data. Unanswered is ``None``: ``==``/``!=`` compare normally
(``null == null``); ordering comparisons with ``None`` or mixed types are false; arithmetic
works on numbers only (booleans are not numbers) and gives ``None`` otherwise, also on
division by zero or overflow. ``x in y`` is membership in a list or a string (and key
membership in a mapping); it is false when x or y is ``None``. ``not in`` is always exactly
the negation of ``in``, so ``x not in null`` is true (nothing is in an unanswered list) and
``null not in list`` is true. ``and``/``or`` short-circuit and return booleans.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from formengine.expressions.evaluate import IMPLEMENTATIONS, evaluate_node, is_number, truthy
from formengine.expressions.tokens import ExpressionSyntaxError, Token, syntax, tokenize

MAX_LENGTH = 2000
MAX_DEPTH = 50
# function name -> (minimum, maximum) number of arguments; None means no maximum
FUNCTIONS: dict[str, tuple[int, int | None]] = {
    "count": (1, 1),
    "answered": (1, 1),
    "sum": (1, 1),
    "min": (1, None),
    "max": (1, None),
    "round": (1, 2),
}
_CONSTANTS = {"true": True, "false": False, "null": None}
_COMPARISONS = frozenset({"==", "!=", "<", "<=", ">", ">="})


@dataclass(frozen=True)
class Reference:
    """A name used in an expression, as written, with its 0-based offset."""

    name: str
    offset: int


# ---------------------------------------------------------------------------------------
# Parser: recursive descent, one method per precedence level.


class _Parser:
    def __init__(self, source: str):
        self.tokens = tokenize(source)
        self.i = 0
        self.depth = 0
        self.references: list[Reference] = []
        self.comparisons: list[tuple[Reference, object]] = []
        self.zero_divisions: list[int] = []  # offsets of divisors that are the literal 0

    def peek(self, ahead: int = 0) -> Token:
        return self.tokens[min(self.i + ahead, len(self.tokens) - 1)]

    def at(self, kind: str, value: object) -> bool:
        token = self.tokens[self.i]
        return token[0] == kind and token[1] == value

    def take(self) -> Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def enter(self, offset: int) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise syntax(offset, f"the expression is nested too deeply (at most {MAX_DEPTH})")

    @staticmethod
    def describe(token: Token) -> str:
        kind, value, _ = token
        if kind == "end":
            return "end of expression"
        if kind in ("op", "kw"):
            return f"'{value}'"
        return {"num": "number ", "str": "string ", "name": "name "}[kind] + (
            value if kind == "name" else repr(value)
        )

    def parse(self) -> tuple[Any, ...]:
        node = self.logic(True)
        if self.peek()[0] != "end":
            token = self.peek()
            raise syntax(token[2], f"unexpected {self.describe(token)}")
        return node

    def logic(self, is_or: bool) -> tuple[Any, ...]:
        operand: Callable[[], tuple[Any, ...]]
        word, operand = ("or", lambda: self.logic(False)) if is_or else ("and", self.negation)
        operands = [operand()]
        while self.at("kw", word):
            self.take()
            operands.append(operand())
        return operands[0] if len(operands) == 1 else (word, tuple(operands))

    def negation(self) -> tuple[Any, ...]:
        if self.at("kw", "not"):
            self.enter(self.take()[2])
            node = ("not", self.negation())
            self.depth -= 1
            return node
        return self.comparison()

    def comparison_operator(self) -> str | None:
        kind, value, _ = self.peek()
        if kind == "op" and value in _COMPARISONS:
            self.take()
            return str(value)
        if kind == "kw" and value == "in":
            self.take()
            return "in"
        if kind == "kw" and value == "not":
            after = self.peek(1)
            if after[:2] != ("kw", "in"):
                raise syntax(after[2], f"expected 'in' after 'not', found {self.describe(after)}")
            self.i += 2
            return "not in"
        return None

    def comparison(self) -> tuple[Any, ...]:
        left = self.binary("+-", self.product)
        op = self.comparison_operator()
        if op is None:
            return left
        right = self.binary("+-", self.product)
        kind, value, offset = self.peek()
        if (kind == "op" and value in _COMPARISONS) or (kind == "kw" and value in ("in", "not")):
            raise syntax(offset, "comparisons cannot be chained; use 'and'")
        self.note_literals(op, left, right)
        return ("cmp", op, left, right)

    def note_literals(self, op: str, left: tuple[Any, ...], right: tuple[Any, ...]) -> None:
        """Remember reference-versus-string-literal comparisons for load-time option checks."""
        if op in ("==", "!="):
            pairs = [(left, right), (right, left)]
        elif right[0] == "list":
            pairs = [(left, item) for item in right[1]]
        else:
            pairs = [(right, left)]  # 'parent' in relation
        for ref, literal in pairs:
            if ref[0] == "ref" and literal[0] == "lit" and isinstance(literal[1], str):
                self.comparisons.append((ref[2], literal[1]))

    def product(self) -> tuple[Any, ...]:
        return self.binary("*/", self.unary)

    def binary(self, ops: str, operand: Callable[[], tuple[Any, ...]]) -> tuple[Any, ...]:
        first, rest = operand(), []
        while True:
            kind, value, _ = self.peek()
            if kind != "op" or value not in ops:
                break
            self.take()
            offset = self.peek()[2]
            right = operand()
            if value == "/" and right[0] == "lit" and is_number(right[1]) and right[1] == 0:
                self.zero_divisions.append(offset)
            rest.append((value, right))
        return ("arith", first, tuple(rest)) if rest else first

    def unary(self) -> tuple[Any, ...]:
        if self.at("op", "-"):
            self.enter(self.take()[2])
            operand = self.unary()
            self.depth -= 1
            if operand[0] == "lit" and is_number(operand[1]):
                return ("lit", -operand[1])  # fold so that '-1' is a plain literal
            return ("neg", operand)
        return self.primary()

    def primary(self) -> tuple[Any, ...]:
        kind, value, offset = token = self.take()
        if kind in ("num", "str"):
            return ("lit", value)
        if kind == "kw" and value in _CONSTANTS:
            return ("lit", _CONSTANTS[value])
        if kind == "name":
            if self.at("op", "("):
                return self.call(value, offset)
            reference = Reference(value, offset)
            self.references.append(reference)
            return ("ref", value, reference)
        if kind == "op" and value in ("(", "["):
            self.enter(offset)
            if value == "(":
                node = self.logic(True)
                self.close(")")
            else:
                node = ("list", tuple(self.sequence("]")))
            self.depth -= 1
            return node
        raise syntax(offset, f"unexpected {self.describe(token)}")

    def sequence(self, closer: str) -> list[tuple[Any, ...]]:
        """Parse comma-separated expressions up to and including ``closer``."""
        if self.at("op", closer):
            self.take()
            return []
        items = [self.logic(True)]
        while self.at("op", ","):
            self.take()
            items.append(self.logic(True))
        self.close(closer, "',' or ")
        return items

    def close(self, closer: str, alternatives: str = "") -> None:
        token = self.peek()
        if token[:2] == ("op", closer):
            self.take()
        elif token[0] == "end":
            raise syntax(token[2], f"missing '{closer}'")
        else:
            found = self.describe(token)
            raise syntax(token[2], f"expected {alternatives}'{closer}', found {found}")

    def call(self, name: str, offset: int) -> tuple[Any, ...]:
        if name not in FUNCTIONS:
            raise ExpressionSyntaxError("FE203", offset, f"unknown function '{name}'", name)
        self.take()
        self.enter(offset)
        args = self.sequence(")")
        self.depth -= 1
        low, high = FUNCTIONS[name]
        if len(args) < low or (high is not None and len(args) > high):
            wanted = f"exactly {low}" if low == high else f"at least {low}"
            problem = f"{name}() takes {wanted} argument{'s' if low != 1 else ''}, not {len(args)}"
            raise ExpressionSyntaxError("FE203", offset, problem, name)
        return ("call", IMPLEMENTATIONS[name], tuple(args))


# ---------------------------------------------------------------------------------------
# Public API.


class Expression:
    """A parsed expression: immutable; evaluate it against a resolver of reference values."""

    __slots__ = ("_source", "_root", "_references", "_comparisons", "_zero_divisions")
    _source: str
    _root: tuple[Any, ...]
    _references: tuple[Reference, ...]
    _comparisons: tuple[tuple[Reference, object], ...]
    _zero_divisions: tuple[int, ...]

    def __init__(
        self,
        source: str,
        root: tuple[Any, ...],
        references: Iterable[Reference],
        comparisons: Iterable[tuple[Reference, object]],
        zero_divisions: Iterable[int] = (),
    ):
        object.__setattr__(self, "_source", source)
        object.__setattr__(self, "_root", root)
        object.__setattr__(self, "_references", tuple(references))
        # sort by the reference's place; stable, so list literals keep their order
        ordered = sorted(comparisons, key=lambda pair: pair[0].offset)
        object.__setattr__(self, "_comparisons", tuple(ordered))
        object.__setattr__(self, "_zero_divisions", tuple(zero_divisions))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Expression is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("Expression is immutable")

    @property
    def source(self) -> str:
        return self._source

    def references(self) -> list[Reference]:
        """Return every reference in source order (repeats included)."""
        return list(self._references)

    def literal_comparisons(self) -> list[tuple[Reference, object]]:
        """Return (reference, string literal) pairs compared with ==, !=, in or not in."""
        return list(self._comparisons)

    def zero_divisions(self) -> list[int]:
        """Offsets of divisions by the literal 0 (such a part is always null)."""
        return list(self._zero_divisions)

    def qualified(self, prefix: str) -> str:
        """The source with ``prefix`` before every name (a card column's condition as a page sees
        it: ``from_now == 'less'`` with prefix ``tasks.shopping.`` reads ``tasks.shopping.from_now``)."""
        parts, last = [], 0
        for ref in sorted(self._references, key=lambda r: r.offset):
            parts += [self._source[last : ref.offset], prefix, ref.name]
            last = ref.offset + len(ref.name)
        return "".join(parts) + self._source[last:]

    def evaluate(self, resolve: Callable[[str], object]) -> object:
        """Evaluate with ``resolve(name)`` giving each reference's value (None if unanswered)."""
        return evaluate_node(self._root, resolve)

    def truthy(self, resolve: Callable[[str], object]) -> bool:
        """Evaluate and return the truth of the result (null, false, 0, '' and [] are false)."""
        return truthy(evaluate_node(self._root, resolve))

    def __reduce__(self) -> tuple[Callable[[str], Expression], tuple[str]]:
        # copy and pickle by re-parsing: the tree holds function objects
        return (parse, (self._source,))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Expression) and other._source == self._source

    def __hash__(self) -> int:
        return hash(self._source)

    def __repr__(self) -> str:
        return f"Expression({self._source!r})"


def parse(source: str) -> Expression:
    """Parse ``source`` into an Expression; raise ExpressionSyntaxError on any problem."""
    if not isinstance(source, str):
        raise TypeError(f"expression source must be a string, not {type(source).__name__}")
    if len(source) > MAX_LENGTH:
        problem = f"the expression is too long ({len(source)} characters; at most {MAX_LENGTH})"
        raise syntax(MAX_LENGTH, problem)
    if not source.strip():
        raise syntax(0, "empty expression")
    parser = _Parser(source)
    try:
        root = parser.parse()
    except RecursionError:  # backstop only: MAX_DEPTH keeps the recursion far below the limit
        raise syntax(0, "the expression is nested too deeply") from None
    return Expression(source, root, parser.references, parser.comparisons, parser.zero_divisions)
