"""Calculated and read-only items ↔ SDC ``calculatedExpression``, ``variable`` and ``readOnly``.

Import: an item's FHIRPath ``calculatedExpression`` (SDC's, or Helsenorge Refero's
``sdf-calculatedExpression``) becomes ``calculated: {fhirpath, variables}``
with the ``variable`` extensions in scope that it uses (the Questionnaire's, its ancestors' and
its own; the nearest wins), and ``read_only: true``. The linkIds it names are rewritten to our
ids; a step ``.item.where(linkId='X')`` to a question becomes ``.repeat(item).where(…)`` (our
response nests questions in their section, where the source may have had them elsewhere), and
``linkId.matches('re')`` becomes the list of the matching ids (``linkId in ('a' | 'b')`` is
rewritten item by item). An expression that navigates a
nested group that the import flattens, or names a linkId that is not an item, is not carried
over: the item stays read-only, and a warning names it. Arithmetic on number answers is
translated into our expression language (:mod:`formengine.fhir.fhirpath_ours`), so that the
browser can compute it live.

Export: the reverse. A calculation in our expression language is written as FHIRPath where it
can be (references, arithmetic, comparisons, ``and``/``or``/``not``, ``sum``/``count``/
``answered``/``min``/``max``), with our own source in a formengine extension that our import
prefers; ``read_only`` becomes ``readOnly``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from formengine.definition.calculation import LINK_IN, LINK_LITERAL, QUOTED, Calculation
from formengine.definition.model import Item
from formengine.expressions.evaluate import IMPLEMENTATIONS
from formengine.fhir.common import EXT, FE_EXT, extensions
from formengine.fhir.fhirpath_ours import to_ours

SDC = "http://hl7.org/fhir/uv/sdc/StructureDefinition/"
CALCULATED_EXPRESSION = SDC + "sdc-questionnaire-calculatedExpression"
INITIAL_EXPRESSION = SDC + "sdc-questionnaire-initialExpression"
VARIABLE = EXT + "variable"
FE_CALCULATED = FE_EXT + "calculated"  # our own expression language, preferred by our import
SDF_CALCULATED = "http://ehelse.no/fhir/StructureDefinition/sdf-calculatedExpression"  # Helsenorge (Refero)
FHIRPATH = "text/fhirpath"
_STEP = re.compile(r"""\.item\.where\(\s*linkId\s*=\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\s*\)""")
_MATCHES = re.compile(r"""linkId\.matches\(\s*'((?:[^'\\]|\\.)*)'\s*\)""")
_VAR = re.compile(r"%([A-Za-z_][A-Za-z0-9_]*)")
_BUILT_IN = {"resource", "context", "questionnaire", "rootResource", "ucum", "sct", "loinc", "factory"}

Links = dict[str, tuple[str, str]]  # FHIR linkId -> (our id, our type)


def expression_of(element: dict[str, Any], url: str) -> dict[str, Any] | None:
    """The ``valueExpression`` of the first extension ``url`` on ``element``."""
    for ext in extensions(element, url):
        value = ext.get("valueExpression")
        if isinstance(value, dict):
            return value
    return None


def variables_of(element: dict[str, Any]) -> list[tuple[str, str]]:
    """(name, FHIRPath) of the ``variable`` extensions on ``element``."""
    out = []
    for ext in extensions(element, VARIABLE):
        value = ext.get("valueExpression") or {}
        if value.get("language") == FHIRPATH and value.get("name") and value.get("expression"):
            out.append((str(value["name"]), str(value["expression"])))
    return out


def variable_scopes(q: dict[str, Any]) -> dict[str, list[tuple[str, str]]]:
    """For each linkId, the variables in scope at that item, outermost first."""
    out: dict[str, list[tuple[str, str]]] = {}

    def walk(items: Any, scope: list[tuple[str, str]]) -> None:
        for item in items or []:
            if isinstance(item, dict):
                mine = scope + variables_of(item)
                out[str(item.get("linkId", ""))] = mine
                walk(item.get("item"), mine)

    walk(q.get("item"), variables_of(q))
    return out


def _used(source: str, scope: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The variables ``source`` needs (and those they need), in an order that evaluates them."""
    table = dict(scope)  # the nearest definition of a name wins
    order: list[str] = []

    def visit(text: str, seen: tuple[str, ...]) -> None:
        for name in _VAR.findall(text):
            if name in table and name not in order and name not in seen:
                visit(table[name], seen + (name,))
                order.append(name)

    visit(source, ())
    return [(name, table[name]) for name in order]


def has_calculation(item: dict[str, Any]) -> bool:
    """True if a Questionnaire item carries a calculation (SDC's or our own)."""
    return bool(
        extensions(item, CALCULATED_EXPRESSION)
        or extensions(item, FE_CALCULATED)
        or extensions(item, SDF_CALCULATED)
    )


def _helsenorge(item: dict[str, Any]) -> dict[str, Any] | None:
    """Refero's ``sdf-calculatedExpression``: FHIRPath as ``valueString`` (older) or ``valueExpression``."""
    for ext in extensions(item, SDF_CALCULATED):
        if isinstance(ext.get("valueExpression"), dict):
            return dict(ext["valueExpression"])
        if isinstance(ext.get("valueString"), str):
            return {"language": FHIRPATH, "expression": ext["valueString"]}
    return None


def has_initial(item: dict[str, Any]) -> bool:
    """True if a Questionnaire item has a starting answer (``initial`` or ``initialExpression``)."""
    return bool(item.get("initial") or extensions(item, INITIAL_EXPRESSION))


class Untranslatable(ValueError):
    """A FHIRPath the import cannot point at our items (the message says why)."""


# LHC-Forms' rule editor reads an answer's score from the Questionnaire:
#   %questionnaire.P.answerOption.where(valueCoding.code=%resource.P.answer.valueCoding.code)
#       .extension.where(url='…/ordinalValue').valueDecimal
# Our response carries each option's score on the answer's coding, so this is
# %resource.P.answer.value.ordinal() — the same value, without a search per option (which made
# fhirpathpy take a quarter of a second for the PHQ-9).
_SCORE_LOOKUP = re.compile(
    r"%questionnaire(?P<path>(?:\.(?:item|repeat\(item\))\.where\([^()]*\))+)\.answerOption"
    r"\.where\(\s*valueCoding\.code\s*=\s*%resource(?P=path)\.answer\.valueCoding\.code\s*\)"
    r"\.extension\.where\(\s*url\s*=\s*'http://hl7\.org/fhir/StructureDefinition/(?:ordinalValue|itemWeight)'\s*\)"
    r"\.value(?:Decimal)?"
)


def simplify(source: str) -> str:
    """``source`` with LHC's score look-ups said directly (see ``_SCORE_LOOKUP``)."""
    return _SCORE_LOOKUP.sub(lambda m: f"%resource{m.group('path')}.answer.value.ordinal()", source)


def rewrite_links(source: str, links: Links, sections: set[str]) -> str:
    """``source`` with the linkIds it names rewritten to our ids (see the module docstring)."""

    done: list[str] = []  # rewritten pieces, put back at the end so that none is rewritten twice

    def keep(text: str) -> str:
        done.append(text)
        return f"\x00{len(done) - 1}\x00"

    def ours(link: str) -> str:
        if link in sections:
            return links[link][0]
        if link not in links or links[link][1] == "note":
            raise Untranslatable(f"linkId '{link}' is not a question the import keeps")
        return links[link][0]

    def step(match: re.Match[str]) -> str:
        link = match.group(1) if match.group(1) is not None else match.group(2)
        where = "item" if link in sections else "repeat(item)"
        return keep(f".{where}.where(linkId='{ours(link)}')")

    def matches(match: re.Match[str]) -> str:
        pattern = re.compile(re.sub(r"\\(['\\])", r"\1", match.group(1)))
        found = [
            ident
            for link, (ident, kind) in links.items()
            if kind not in ("note", "section") and pattern.search(link)
        ]
        return keep("(" + " or ".join(f"linkId = '{i}'" for i in found) + ")" if found else "false")

    def literal(match: re.Match[str]) -> str:
        group = 1 if match.group(1) is not None else 2
        start, end = match.span(group)
        text, offset = match.group(0), match.start(0)
        return keep(text[: start - offset] + ours(match.group(group)) + text[end - offset :])

    out = _STEP.sub(step, source)
    out = re.sub(r"\.item\.where\(\s*linkId\.matches\(", ".repeat(item).where(linkId.matches(", out)
    out = _MATCHES.sub(matches, out)
    out = LINK_LITERAL.sub(literal, out)
    out = LINK_IN.sub(
        lambda m: keep("linkId in (" + " | ".join(f"'{ours(x)}'" for x in QUOTED.findall(m.group(1))) + ")"),
        out,
    )
    return re.sub("\x00([0-9]+)\x00", lambda m: done[int(m.group(1))], out)


def read_calculation(
    item: dict[str, Any], scope: list[tuple[str, str]], links: Links, sections: set[str]
) -> dict[str, Any] | str:
    """``calculated:`` for a Questionnaire item (our expression where it can say it, so that the
    browser computes it live, else FHIRPath); raises :class:`Untranslatable` with the reason."""
    ours = expression_of(item, FE_CALCULATED)
    if ours and ours.get("expression"):
        return str(ours["expression"])
    value = expression_of(item, CALCULATED_EXPRESSION) or _helsenorge(item) or {}
    if value.get("language") != FHIRPATH or not value.get("expression"):
        raise Untranslatable(f"language {value.get('language')!r} is not FHIRPath")
    source = str(value["expression"])
    needed = _used(source, scope)
    unknown = sorted(set(_VAR.findall(source)) - {n for n, _ in needed} - _BUILT_IN)
    if unknown:
        raise Untranslatable(f"variable %{unknown[0]} is not defined")
    try:
        out: dict[str, Any] = {"fhirpath": simplify(rewrite_links(source, links, sections))}
        if needed:
            out["variables"] = [
                {"name": name, "expression": simplify(rewrite_links(text, links, sections))}
                for name, text in needed
            ]
    except re.error as exc:
        raise Untranslatable(f"linkId.matches: {exc}") from None
    numbers = {ident for ident, kind in links.values() if kind == "number"}
    variables = [(v["name"], v["expression"]) for v in out.get("variables", [])]
    return to_ours(out["fhirpath"], variables, numbers) or out


# ---------------------------------------------------------------------------------------
# Export: our expression language → FHIRPath.

_FUNCTIONS: dict[Callable[..., Any], Callable[[str], str]] = {
    IMPLEMENTATIONS["sum"]: lambda x: f"{x}.sum()",
    IMPLEMENTATIONS["count"]: lambda x: f"{x}.count()",
    IMPLEMENTATIONS["answered"]: lambda x: f"{x}.exists()",
}
_CMP = {"==": "=", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}


def _answer_path(name: str) -> str:
    head, _, row = name.partition(".")
    link = f"{head}.{row}" if row else head
    return f"%resource.repeat(item).where(linkId='{link}').answer.value"


def to_fhirpath(node: tuple[Any, ...]) -> str | None:
    """FHIRPath for one node of our expression tree, or None where FHIRPath cannot say it."""
    kind = node[0]
    if kind == "lit":
        value = node[1]
        if value is None:
            return "{}"
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (int, float)):
            return repr(value)
        return "'" + str(value).replace("\\", "\\\\").replace("'", "\\'") + "'"
    if kind == "ref":
        return _answer_path(node[1])
    parts: list[str | None]
    if kind == "arith":
        parts = [to_fhirpath(node[1])] + [to_fhirpath(x) for _op, x in node[2]]
        if None in parts:
            return None
        text = f"({parts[0]})"
        for (op, _x), part in zip(node[2], parts[1:], strict=True):
            text = f"({text} {op} ({part}))"
        return text
    if kind == "neg":
        inner = to_fhirpath(node[1])
        return f"(-({inner}))" if inner else None
    if kind in ("and", "or"):
        parts = [to_fhirpath(x) for x in node[1]]
        return None if None in parts else "(" + f" {kind} ".join(str(p) for p in parts) + ")"
    if kind == "not":
        inner = to_fhirpath(node[1])
        return f"({inner}).not()" if inner else None
    if kind == "cmp" and node[1] in _CMP:
        left, right = to_fhirpath(node[2]), to_fhirpath(node[3])
        return f"(({left}) {_CMP[node[1]]} ({right}))" if left and right else None
    if kind == "call" and node[1] in _FUNCTIONS and len(node[2]) == 1:
        inner = to_fhirpath(node[2][0])
        return _FUNCTIONS[node[1]](f"({inner})") if inner else None
    return None


def calculation_extensions(item: Item) -> list[dict[str, Any]]:
    """The extensions that carry ``item``'s calculation (FHIRPath, its variables, our own source)."""
    calc: Calculation | None = item.calculated
    if calc is None:
        return []
    out: list[dict[str, Any]] = []
    if calc.is_fhirpath:
        source: str | None = calc.source
        for name, text in calc.variables:
            out.append(
                {"url": VARIABLE, "valueExpression": {"name": name, "language": FHIRPATH, "expression": text}}
            )
    else:
        source = to_fhirpath(calc.expression._root) if calc.expression is not None else None
        ours = {"language": "text/x-formengine", "expression": calc.source}
        out.append({"url": FE_CALCULATED, "valueExpression": ours})
    if source:
        out.append(
            {"url": CALCULATED_EXPRESSION, "valueExpression": {"language": FHIRPATH, "expression": source}}
        )
    return out


# ---------------------------------------------------------------------------------------
# initial and initialExpression ↔ ``initial:``

_BUILT_IN_VALUES = {"ucum", "sct", "loinc"}


def _initial_value(entry: dict[str, Any], kind: str, codes: dict[str, str]) -> Any:
    """One FHIR initial value as our answer to an item of ``kind`` (None if it does not fit)."""
    if kind == "number":
        for key in ("valueInteger", "valueDecimal"):
            if isinstance(entry.get(key), (int, float)) and not isinstance(entry.get(key), bool):
                return entry[key]
        quantity = entry.get("valueQuantity")
        return quantity.get("value") if isinstance(quantity, dict) else None
    if kind == "date":
        found = entry.get("valueDate") or entry.get("valueDateTime")
        return found[:10] if isinstance(found, str) else None
    if kind in ("text", "long_text"):
        found = entry.get("valueString") or entry.get("valueUri") or entry.get("valueTime")
        return found if isinstance(found, str) else None
    if kind == "yes_no" and isinstance(entry.get("valueBoolean"), bool):
        return "yes" if entry["valueBoolean"] else "no"
    coding = entry.get("valueCoding")
    code = coding.get("code") if isinstance(coding, dict) else entry.get("valueString")
    return codes.get(str(code)) if code is not None else None


def read_initial(item: dict[str, Any], ours: dict[str, Any], codes: dict[str, str]) -> Any:
    """``initial:`` for a Questionnaire item's ``initial`` or ``initialExpression``; raises
    :class:`Untranslatable` with the reason when it cannot be carried over."""
    kind, many = ours["type"], ours["type"] in ("multi_choice", "priority")
    entries = [e for e in item.get("initial") or [] if isinstance(e, dict)]
    if entries:
        values = [_initial_value(e, kind, codes) for e in entries]
        if None in values:
            raise Untranslatable(f"an initial value does not fit a {kind} item")
        if len(values) > 1 and not many:
            raise Untranslatable("several initial values for one answer")
        return values if many else values[0]
    value = expression_of(item, INITIAL_EXPRESSION) or {}
    source = str(value.get("expression") or "").strip()
    if value.get("language") != FHIRPATH or not source:
        raise Untranslatable(f"language {value.get('language')!r} is not FHIRPath")
    if kind == "date" and source in ("today()", "now()"):
        return "today"
    needed = sorted(set(_VAR.findall(source)) - _BUILT_IN_VALUES)
    if needed:
        raise Untranslatable(f"it needs %{needed[0]}, which is not known when a response starts")
    from formengine.answers.fhirpath import evaluate

    empty = {"resourceType": "QuestionnaireResponse", "status": "in-progress", "item": []}
    found = evaluate(Calculation("fhirpath", source), empty, None)
    entry = {
        "valueBoolean"
        if isinstance(found, bool)
        else "valueString"
        if isinstance(found, str)
        else "valueDecimal": found
    }
    if kind == "date" and isinstance(found, str):
        entry = {"valueDate": found}
    result = _initial_value(entry, kind, codes) if found is not None else None
    if result is None:
        raise Untranslatable("the expression gives no value that fits the item")
    return [result] if many else result


def initial_keys(item: Item, system: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """(keys, extensions) that carry ``item.initial`` to a Questionnaire item."""
    value = item.initial
    if value is None:
        return {}, []
    if item.type == "date" and value == "today":
        expression = {"language": FHIRPATH, "expression": "today()"}
        return {}, [{"url": INITIAL_EXPRESSION, "valueExpression": expression}]
    out: list[dict[str, Any]] = []
    for each in value if isinstance(value, (list, tuple)) else [value]:
        if item.type == "number":
            out.append({"valueInteger" if item.integer else "valueDecimal": each})
        elif item.type == "date":
            out.append({"valueDate": each})
        elif item.type in ("text", "long_text"):
            out.append({"valueString": each})
        else:
            out.append({"valueCoding": {"system": system, "code": each}})
    return {"initial": out}, []
