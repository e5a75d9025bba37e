"""FHIRPath → our expression language, for the arithmetic real calculated items use.

LHC-Forms' BMI (``(%weight/(%height.power(2))).round(1)`` with ``%weight`` and ``%height`` the
answers to two items, one of them times 0.0254) and Refero's sums of number answers say nothing
our expression language cannot say; translated, they are computed live in the browser too. This
reads a small part of FHIRPath, after :func:`formengine.fhir.calculated.rewrite_links`::

    expr    := term (('+' | '-') term)*
    term    := unary (('*' | '/') unary)*
    unary   := '-' unary | postfix
    postfix := primary ('.power(' 1..4 ')' | '.round(' [0..10] ')')*
    primary := NUMBER | %variable | ANSWER | '(' expr ')'
    ANSWER  := (%resource | QuestionnaireResponse) '.' (repeat(item) | item | descendants())
               '.where(linkId=' 'id' ').answer.value'          -- the answer to a number item

Anything else (other functions, sums over several items, iif, codes) is left to FHIRPath.
Both languages give no value where an answer is missing or on division by zero.
"""

from __future__ import annotations

import re

_TOKEN = re.compile(
    r"""\s*(?:
      (?P<answer>(?:%resource|QuestionnaireResponse)\.(?:repeat\(item\)|item|descendants\(\))
                 \.where\(\s*linkId\s*=\s*'(?P<link>[a-z][a-z0-9_.]*)'\s*\)\.answer\.value)
    | (?P<power>\.power\(\s*(?P<exponent>[1-4])\s*\))
    | (?P<round>\.round\(\s*(?P<digits>10|[0-9])?\s*\))
    | (?P<number>[0-9]+(?:\.[0-9]+)?)
    | (?P<var>%[A-Za-z_][A-Za-z0-9_]*)
    | (?P<op>[-+*/()])
    )""",
    re.VERBOSE,
)


class _NotOurs(ValueError):
    pass


def _tokens(source: str) -> list[tuple[str, re.Match[str]]]:
    out, pos = [], 0
    while pos < len(source):
        if not source[pos:].strip():
            break
        match = _TOKEN.match(source, pos)
        if match is None or match.end() == pos:
            raise _NotOurs(source[pos:])
        kind = next(k for k in ("answer", "power", "round", "number", "var", "op") if match.group(k))
        out.append((kind, match))
        pos = match.end()
    return out


class _Reader:
    def __init__(self, source: str, variables: dict[str, str], numbers: set[str]):
        self.tokens = _tokens(source)
        self.i = 0
        self.variables = variables  # name -> our expression (already translated)
        self.numbers = numbers

    def peek(self, text: str) -> bool:
        return self.i < len(self.tokens) and self.tokens[self.i][1].group().strip() == text

    def expr(self) -> str:
        out = self.term()
        while self.peek("+") or self.peek("-"):
            op = self.tokens[self.i][1].group("op")
            self.i += 1
            out = f"{out} {op} {self.term()}"
        return out

    def term(self) -> str:
        out = self.unary()
        while self.peek("*") or self.peek("/"):
            op = self.tokens[self.i][1].group("op")
            self.i += 1
            out = f"{out} {op} {self.unary()}"
        return out

    def unary(self) -> str:
        if self.peek("-"):
            self.i += 1
            return f"-{self.unary()}"
        return self.postfix()

    def postfix(self) -> str:
        out = self.primary()
        while self.i < len(self.tokens) and self.tokens[self.i][0] in ("power", "round"):
            kind, match = self.tokens[self.i]
            self.i += 1
            if kind == "power":
                out = "(" + " * ".join([out] * int(match.group("exponent"))) + ")"
            else:
                out = f"round({out}, {int(match.group('digits') or 0)})"
        return out

    def primary(self) -> str:
        if self.i >= len(self.tokens):
            raise _NotOurs("end")
        kind, match = self.tokens[self.i]
        self.i += 1
        if kind == "number":
            return match.group("number")
        if kind == "answer":
            if match.group("link") not in self.numbers:
                raise _NotOurs(match.group("link"))
            return match.group("link")
        if kind == "var":
            name = match.group().strip()[1:]
            if name not in self.variables:
                raise _NotOurs(name)
            return f"({self.variables[name]})"
        if match.group().strip() == "(":
            inner = self.expr()
            if not self.peek(")"):
                raise _NotOurs(")")
            self.i += 1
            return f"({inner})"
        raise _NotOurs(match.group())


def _translate(source: str, variables: dict[str, str], numbers: set[str]) -> str:
    reader = _Reader(source, variables, numbers)
    out = reader.expr()
    if reader.i != len(reader.tokens):
        raise _NotOurs("rest")
    return out


def to_ours(source: str, variables: list[tuple[str, str]], numbers: set[str]) -> str | None:
    """``source`` (with its variables, evaluated in order) in our expression language, or None.

    ``numbers`` are the ids of the number items an answer may be read from."""
    table: dict[str, str] = {}
    try:
        for name, text in variables:
            table[name] = _translate(text, table, numbers)
        return _translate(source, table, numbers)
    except _NotOurs:
        return None
