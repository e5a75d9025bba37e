"""A calculated item's formula: our expression language, or FHIRPath kept from an SDC Questionnaire.

``calculated: weight / (height * height)`` is an expression of :mod:`formengine.expressions`
(evaluated on the server and, live, in the browser). ``calculated: {fhirpath: …, variables: […]}``
is FHIRPath as written in an SDC ``calculatedExpression`` with the ``variable`` extensions it
uses, evaluated on the server with ``fhirpathpy`` against a QuestionnaireResponse built from the
answers (see :mod:`formengine.answers.fhirpath`). Here: the frozen model and the FHIRPath syntax
and linkId checks the builder runs at load.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from formengine.expressions.parser import Expression

OURS = "formengine"
FHIRPATH = "fhirpath"
VARIABLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# linkId literals in FHIRPath: linkId = 'x', linkId != "x", linkId ~ 'x'
LINK_LITERAL = re.compile(r"""linkId\s*(?:=|!=|~|!~)\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")""")
# linkId in ('a' | 'b'): the list, and each quoted literal in it
LINK_IN = re.compile(r"""linkId\s+in\s+\(((?:\s*'(?:[^'\\]|\\.)*'\s*\|?)+)\)""")
QUOTED = re.compile(r"""'((?:[^'\\]|\\.)*)'""")


@dataclass(frozen=True)
class Calculation:
    """How a calculated item's value is computed from the other answers."""

    language: str  # OURS or FHIRPATH
    source: str  # the expression as written
    expression: Expression | None = None  # OURS: the parsed expression
    variables: tuple[tuple[str, str], ...] = ()  # FHIRPATH: (name, FHIRPath), evaluated in order

    @property
    def is_fhirpath(self) -> bool:
        return self.language == FHIRPATH


def answer_items(items: tuple[Any, ...]) -> Iterator[Any]:  # Items (model imports this module)
    """The items whose answers are keys of the answers, in form order (a ``group``'s items
    answer beside it; a repeat is one key)."""
    for item in items:
        if item.type == "group":
            yield from answer_items(item.items)
        else:
            yield item


def linked_ids(source: str) -> list[tuple[str, int]]:
    """The linkIds a FHIRPath expression compares with, each with its offset in ``source``."""
    out = []
    for match in LINK_LITERAL.finditer(source):
        group = 1 if match.group(1) is not None else 2
        out.append((re.sub(r"\\(.)", r"\1", match.group(group)), match.start(group)))
    for match in LINK_IN.finditer(source):
        for literal in QUOTED.finditer(match.group(1)):
            out.append((re.sub(r"\\(.)", r"\1", literal.group(1)), match.start(1) + literal.start(1)))
    return sorted(out, key=lambda pair: pair[1])


def fhirpath_syntax(source: str) -> tuple[int, str] | None:
    """Return (offset, problem) for a FHIRPath syntax error, or None when ``source`` parses."""
    from antlr4 import CommonTokenStream, InputStream
    from antlr4.error.ErrorListener import ErrorListener
    from fhirpathpy.parser.generated.FHIRPathLexer import FHIRPathLexer
    from fhirpathpy.parser.generated.FHIRPathParser import FHIRPathParser

    if not source.strip():
        return (0, "empty expression")
    lines = source.split("\n")
    starts = [sum(len(x) + 1 for x in lines[:i]) for i in range(len(lines))]
    errors: list[tuple[int, str]] = []

    class Collect(ErrorListener):  # type: ignore[misc]
        def syntaxError(self, recognizer: Any, symbol: Any, line: int, column: int, msg: str, e: Any) -> None:
            errors.append((starts[min(line, len(starts)) - 1] + column, msg.split(" expecting")[0]))

    lexer = FHIRPathLexer(InputStream(source))
    lexer.removeErrorListeners()
    lexer.addErrorListener(Collect())
    tokens = CommonTokenStream(lexer)
    parser = FHIRPathParser(tokens)
    parser.removeErrorListeners()
    parser.addErrorListener(Collect())
    try:
        parser.expression()
    except Exception as exc:  # noqa: BLE001 - the generated parser may raise on odd input
        return (0, str(exc) or type(exc).__name__)
    if errors:
        return errors[0]
    rest = tokens.LT(1)
    if rest is not None and rest.type != -1:  # not at EOF: trailing text the grammar did not take
        return (int(rest.start), f"unexpected {rest.text!r}")
    return None
