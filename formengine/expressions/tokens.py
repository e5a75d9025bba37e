"""The expression language's tokenizer and its syntax error (see ``expressions`` for the grammar).

Tokens are (kind, value, offset) tuples; kinds: num str name kw op end. Offsets are 0-based
positions in the source, so every error can point at the character it is about.
"""

from __future__ import annotations

import re
from typing import Any

KEYWORDS = frozenset({"and", "or", "not", "in", "true", "false", "null"})

_TOKEN_RE = re.compile(
    r"""(?P<space>\s+)
      | (?P<num>\d+(?:\.\d*)?)
      | (?P<word>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]*)*)
      | (?P<str>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
      | (?P<op>==|!=|<=|>=|[<>+\-*/()\[\],])""",
    re.VERBOSE | re.ASCII | re.DOTALL,
)
_NAME_RE = re.compile(r"[a-z_][a-z0-9_]*", re.ASCII)
_ESCAPE_RE = re.compile(r"\\(.)", re.DOTALL)
# operators people bring from other programming languages, with what to write instead
_FOREIGN_OPERATORS = {"&&": "and", "||": "or", "=": "==", "!": "not' or '!="}


class ExpressionSyntaxError(Exception):
    """A syntax error (FE201) or an unknown function / wrong arity (FE203) at an offset."""

    def __init__(self, code: str, offset: int, problem: str, name: str = ""):
        super().__init__(code, offset, problem, name)
        self.code = code
        self.offset = offset
        self.problem = problem
        self.name = name  # the function name for FE203, else ""

    def __str__(self) -> str:
        return f"{self.code} at offset {self.offset}: {self.problem}"


def syntax(offset: int, problem: str) -> ExpressionSyntaxError:
    return ExpressionSyntaxError("FE201", offset, problem)


# (kind, value, offset): kind is num, str, name, op, kw or end; the value's type follows the kind
Token = tuple[str, Any, int]


def tokenize(source: str) -> list[Token]:
    tokens: list[tuple[str, object, int]] = []
    match = _TOKEN_RE.match
    pos, end = 0, len(source)
    while pos < end:
        m = match(source, pos)
        if m is None:
            raise _bad_character(source, pos)
        kind, text = m.lastgroup, m.group()
        if kind == "num":
            if text.endswith("."):
                raise syntax(pos + len(text), "expected a digit after '.'")
            tokens.append(("num", float(text) if "." in text else int(text), pos))
        elif kind == "word":
            tokens.append(_word(text, pos))
        elif kind == "str":
            tokens.append(("str", _unescape(text, pos), pos))
        elif kind == "op":
            tokens.append(("op", text, pos))
        pos = m.end()
    tokens.append(("end", None, end))
    return tokens


def _bad_character(source: str, pos: int) -> ExpressionSyntaxError:
    char = source[pos]
    if char in "'\"":
        return syntax(pos, "unterminated string")
    for text, instead in _FOREIGN_OPERATORS.items():
        if source.startswith(text, pos):
            return syntax(pos, f"'{text}' is not an operator; use '{instead}'")
    return syntax(pos, f"unexpected character {char!r}")


def _word(text: str, pos: int) -> tuple[str, object, int]:
    if "." not in text and text in KEYWORDS:
        return ("kw", text, pos)
    offset = pos
    for segment in text.split("."):
        if not segment:
            raise syntax(offset, "expected a name after '.'")
        if not _NAME_RE.fullmatch(segment):
            if segment[0].isdigit():
                raise syntax(offset, "a name cannot start with a digit")
            raise syntax(offset, f"'{segment}' must be written in lower case")
        if segment in KEYWORDS:
            raise syntax(offset, f"'{segment}' is a keyword and cannot be part of a name")
        offset += len(segment) + 1
    return ("name", text, pos)


def _unescape(text: str, pos: int) -> str:
    body = text[1:-1]
    if "\\" not in body:
        return body
    # scan backslash pairs left to right, so an escaped backslash is never mistaken for
    # the start of an escape of the character after it
    for m in _ESCAPE_RE.finditer(body):
        if m.group(1) not in "\\'\"":
            raise syntax(pos + 1 + m.start(), f"unknown escape '\\{m.group(1)}'")
    return _ESCAPE_RE.sub(r"\1", body)
