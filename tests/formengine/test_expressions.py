"""Tests for the safe expression language: parsing, semantics, references and error offsets."""

from __future__ import annotations

import math
import pickle

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from formengine.expressions.parser import (
    MAX_DEPTH,
    MAX_LENGTH,
    Expression,
    ExpressionSyntaxError,
    Reference,
    parse,
)

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FUZZ_WITH_DATA = settings(FUZZ, max_examples=150)  # generating JSON-like answers dominates the time


def run(source: str, **values):
    """Evaluate ``source`` with the given reference values (others unanswered)."""
    return parse(source).evaluate(values.get)


def same(a, b) -> bool:
    """Compare two results, treating NaN as equal to itself."""
    return repr(a) == repr(b)


# --------------------------------------------------------------------------- literals, parsing


@pytest.mark.parametrize(
    "source, expected",
    [
        ("3", 3),
        ("2.5", 2.5),
        ("0", 0),
        ("007", 7),
        ("'parent'", "parent"),
        ('"parent"', "parent"),
        ("''", ""),
        (r"'it\'s'", "it's"),
        (r'"say \"hi\""', 'say "hi"'),
        (r"'back\\slash'", "back\\slash"),
        (r"'a\"b'", 'a"b'),
        ("'æøå – «sitat»'", "æøå – «sitat»"),
        ("true", True),
        ("false", False),
        ("null", None),
        ("[]", []),
        ("['parent', 'partner']", ["parent", "partner"]),
        ("[1, [2, 3], null]", [1, [2, 3], None]),
        ("-1", -1),
        ("- 2.5", -2.5),
        ("  \n\t1\n ", 1),
    ],
)
def test_literals(source, expected):
    result = run(source)
    assert result == expected and type(result) is type(expected)


@pytest.mark.parametrize(
    "source",
    [
        "relation == 'parent'",
        "relation=='parent'",
        "a.b.c",
        "_private",
        "x1_2",
        "not not a",
        "a not in ['x']",
        "count(children) > 0",
        "count (children) > 0",
        "min(1)",
        "max(1, 2, 3, 4)",
        "(((a)))",
        "[[]]",
        "a and b or c and not d",
        "score.strain_time >= 6 and respite_wanted == 'yes'",
        "now == 'me' and keep in ['less', 'stop']",
        "a\nand\nb",
    ],
)
def test_valid_sources_parse(source):
    expression = parse(source)
    assert isinstance(expression, Expression)
    assert expression.source == source


# --------------------------------------------------------------------------- precedence


@pytest.mark.parametrize(
    "source, expected",
    [
        ("1 + 2 * 3", 7),
        ("(1 + 2) * 3", 9),
        ("10 - 2 - 3", 5),
        ("10 - (2 - 3)", 11),
        ("8 / 2 / 2", 2.0),
        ("2 * 3 / 4", 1.5),
        ("-2 * 3", -6),
        ("- -2", 2),
        ("-(1 + 2)", -3),
        ("1 + -2", -1),
        ("1 + 1 == 2", True),
        ("2 * 3 > 5", True),
        ("not 1 == 2", True),
        ("not true or true", True),
        ("not false and false", False),
        ("true or false and false", True),
        ("(true or false) and false", False),
        ("false and true or true", True),
        ("not 'a' in ['a']", False),
        ("'a' not in ['b'] and 1 < 2", True),
        ("1 + 2 in [3]", True),
        ("count([1, 2]) * 2 + 1", 5),
    ],
)
def test_precedence(source, expected):
    result = run(source)
    assert result == expected and type(result) is type(expected)


# --------------------------------------------------------------------------- operators


@pytest.mark.parametrize(
    "source, values, expected",
    [
        ("a == 'x'", {"a": "x"}, True),
        ("a == 'x'", {"a": "y"}, False),
        ("a != 'x'", {"a": "y"}, True),
        ("a != 'x'", {"a": "x"}, False),
        ("1 == 1.0", {}, True),
        ("true == 1", {}, False),
        ("false == 0", {}, False),
        ("'1' == 1", {}, False),
        ("a == [1, 2]", {"a": [1, 2]}, True),
        ("a == [1, 2]", {"a": (1, 2)}, True),
        ("a == [1, 2]", {"a": [1, 3]}, False),
        ("a == b", {"a": {"r": "x"}, "b": {"r": "x"}}, True),
        ("a < 3", {"a": 2}, True),
        ("a < 3", {"a": 3}, False),
        ("a <= 3", {"a": 3}, True),
        ("a > 3", {"a": 3.5}, True),
        ("a >= 3", {"a": 2}, False),
        ("a < '2024-06-01'", {"a": "2024-05-31"}, True),
        ("a < 3", {"a": "2"}, False),
        ("a >= 3", {"a": "2"}, False),
        ("true > false", {}, False),
        ("[1] < [2]", {}, False),
        ("a + b", {"a": 2, "b": 3}, 5),
        ("a - b", {"a": 2, "b": 3}, -1),
        ("a * b", {"a": 2, "b": 3.5}, 7.0),
        ("a / b", {"a": 3, "b": 2}, 1.5),
        ("a / 0", {"a": 3}, None),
        ("a / 0.0", {"a": 3}, None),
        ("a + 1", {"a": True}, None),
        ("-a", {"a": True}, None),
        ("-a", {"a": "x"}, None),
        ("'a' + 'b'", {}, None),
        ("[1] + [2]", {}, None),
        ("a in ['x', 'y']", {"a": "y"}, True),
        ("a in ['x', 'y']", {"a": "z"}, False),
        ("'parent' in relation", {"relation": ["child", "parent"]}, True),
        ("'parent' in relation", {"relation": ["child"]}, False),
        ("'par' in relation", {"relation": "parent"}, True),
        ("1 in relation", {"relation": "1"}, False),
        ("'row' in m", {"m": {"row": "x"}}, True),
        ("a in 5", {"a": 5}, False),
        ("1.0 in [1]", {}, True),
        ("true in [1]", {}, False),
        ("a not in ['x']", {"a": "y"}, True),
        ("a not in ['x']", {"a": "x"}, False),
        ("a and b", {"a": 1, "b": "x"}, True),
        ("a and b", {"a": 1, "b": ""}, False),
        ("a or b", {"a": 0, "b": []}, False),
        ("a or b", {"a": 0, "b": [0]}, True),
        ("not a", {"a": 0}, True),
        ("not a", {"a": "x"}, False),
    ],
)
def test_operators(source, values, expected):
    result = run(source, **values)
    assert result == expected and type(result) is type(expected)


def test_and_or_short_circuit():
    seen = []

    def resolve(name):
        seen.append(name)
        return {"t": True, "f": False}.get(name)

    assert parse("f and boom").evaluate(resolve) is False
    assert parse("t or boom").evaluate(resolve) is True
    assert "boom" not in seen


def test_large_numbers_do_not_overflow():
    big = "9" * 400
    assert run(f"{big} / 3") is None
    assert run(f"{big} + 1.5") is None
    assert run(f"{big} > 1.5") is True
    assert run("a * a", a=1e308) == math.inf


# --------------------------------------------------------------------------- null semantics


@pytest.mark.parametrize(
    "source, expected",
    [
        ("a == null", True),
        ("a != null", False),
        ("a == b", True),
        ("a == 0", False),
        ("a == ''", False),
        ("a < 1", False),
        ("a > 1", False),
        ("a <= a", False),
        ("a >= 0", False),
        ("a + 1", None),
        ("1 - a", None),
        ("a * 2", None),
        ("a / 2", None),
        ("-a", None),
        ("a in ['x']", False),
        ("null in [null]", False),
        ("'x' in a", False),
        ("'x' not in a", True),
        ("a not in ['x']", True),
        ("not a", True),
        ("a and true", False),
        ("a or true", True),
        ("count(a)", 0),
        ("answered(a)", False),
        ("sum(a)", None),
        ("min(a)", None),
        ("max(a, b)", None),
    ],
)
def test_null_semantics(source, expected):
    result = run(source)
    assert result == expected and type(result) is type(expected)


# --------------------------------------------------------------------------- functions


@pytest.mark.parametrize(
    "source, values, expected",
    [
        ("count(x)", {"x": ["a", "b"]}, 2),
        ("count(x)", {"x": []}, 0),
        ("count(x)", {"x": "abc"}, 3),
        ("count(x)", {"x": {"r1": "a", "r2": "b"}}, 2),
        ("count(x)", {"x": 7}, 1),
        ("count(x)", {"x": False}, 1),
        ("count(x)", {"x": [{"name": "a"}, {"name": "b"}, {}]}, 3),
        ("answered(x)", {"x": "yes"}, True),
        ("answered(x)", {"x": ""}, False),
        ("answered(x)", {"x": []}, False),
        ("answered(x)", {"x": {}}, False),
        ("answered(x)", {"x": 0}, True),
        ("answered(x)", {"x": False}, True),
        ("sum(x)", {"x": [1, 2, 3.5]}, 6.5),
        ("sum(x)", {"x": [1, None, 2]}, 3),
        ("sum(x)", {"x": [1, True, "2", 2]}, 3),
        ("sum(x)", {"x": []}, 0),
        ("sum(x)", {"x": 4}, 4),
        ("sum(x)", {"x": "abc"}, None),
        ("sum([1, 2, x])", {"x": 3}, 6),
        ("min(1, 2, 3)", {}, 1),
        ("max(1, 2.5, 2)", {}, 2.5),
        ("min(x)", {"x": [4, 2, 9]}, 2),
        ("max(x)", {"x": [4, 2, 9]}, 9),
        ("min(x)", {"x": 5}, 5),
        ("max(x)", {"x": []}, None),
        ("max(x, 1)", {}, 1),
        ("min(x, 3, y)", {"y": 2}, 2),
        ("min('2024-02-01', '2023-12-31')", {}, "2023-12-31"),
        ("max(1, 'a')", {}, None),
        ("max(true, 1)", {}, None),
        ("max([1, 2], 3)", {}, None),
        ("count(children) > 0", {"children": [{"age": 4}]}, True),
        ("max(sum(a), count(b)) + 1", {"a": [1, 2], "b": "abcd"}, 5),
    ],
)
def test_functions(source, values, expected):
    result = run(source, **values)
    assert result == expected and type(result) is type(expected)


@pytest.mark.parametrize(
    "value, expected",
    [
        (None, False),
        (False, False),
        (0, False),
        (0.0, False),
        ("", False),
        ([], False),
        ({}, False),
        (True, True),
        (1, True),
        ("no", True),
        ([None], True),
        ({"a": 1}, True),
        (object(), True),
    ],
)
def test_truthy(value, expected):
    assert parse("a").truthy(lambda name: value) is expected


# --------------------------------------------------------------------------- references


@pytest.mark.parametrize(
    "source, expected",
    [
        ("relation == 'parent'", [("relation", 0)]),
        ("tasks_now.shopping == 'me'", [("tasks_now.shopping", 0)]),
        ("score.strain_time > 3 and value < 2", [("score.strain_time", 0), ("value", 26)]),
        ("a.b.c", [("a.b.c", 0)]),
        ("count(children) + sum([x, y])", [("children", 6), ("x", 23), ("y", 26)]),
        ("a == a", [("a", 0), ("a", 5)]),
        ("(b) or not c", [("b", 1), ("c", 11)]),
        ("min(x) + max(y, z)", [("x", 4), ("y", 13), ("z", 16)]),
        ("3 + 'count'", []),
        ("true and null", []),
        ("count", [("count", 0)]),
    ],
)
def test_references(source, expected):
    assert [(r.name, r.offset) for r in parse(source).references()] == expected


def test_references_are_frozen_and_a_fresh_list():
    expression = parse("a or b")
    refs = expression.references()
    refs.clear()
    assert expression.references() == [Reference("a", 0), Reference("b", 5)]
    with pytest.raises(AttributeError):
        expression.references()[0].name = "c"


@pytest.mark.parametrize(
    "source, expected",
    [
        ("relation == 'parnet'", [("relation", 0, "parnet")]),
        ("'parent' == relation", [("relation", 12, "parent")]),
        ("relation != 'parent'", [("relation", 0, "parent")]),
        ("relation in ['parent', 'partner']", [("relation", 0, "parent"), ("relation", 0, "partner")]),
        ("relation not in ['a', 1, b, 'c']", [("relation", 0, "a"), ("relation", 0, "c")]),
        ("'parent' in relation", [("relation", 12, "parent")]),
        ("'parent' not in relation", [("relation", 16, "parent")]),
        ("m.row == 'me' and x == 'y'", [("m.row", 0, "me"), ("x", 18, "y")]),
        (
            "now == 'me' and keep in ['less', 'stop']",
            [("now", 0, "me"), ("keep", 16, "less"), ("keep", 16, "stop")],
        ),
        ("(relation) == 'parent'", [("relation", 1, "parent")]),
        ("a == 1", []),
        ("a == b", []),
        ("a < 'x'", []),
        ("'a' == 'b'", []),
        ("count(a) == 'x'", []),
        ("a in b", []),
        ("a in 'abc'", []),
        ("a == 'x' + 'y'", []),
    ],
)
def test_literal_comparisons(source, expected):
    pairs = parse(source).literal_comparisons()
    assert [(ref.name, ref.offset, literal) for ref, literal in pairs] == expected


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    "source, code, offset",
    [
        ("relation == 'parent", "FE201", 12),
        ('relation == "parent', "FE201", 12),
        (r"'abc\'", "FE201", 0),
        ("a ==", "FE201", 4),
        ("a == ", "FE201", 5),
        ("a = 1", "FE201", 2),
        ("a === 1", "FE201", 4),
        ("a && b", "FE201", 2),
        ("a || b", "FE201", 2),
        ("!a", "FE201", 0),
        ("count(a, b)", "FE203", 0),
        ("count()", "FE203", 0),
        ("x + answered()", "FE203", 4),
        ("sum(a, b)", "FE203", 0),
        ("min()", "FE203", 0),
        ("foo(a)", "FE203", 0),
        ("a and bar (1)", "FE203", 6),
        ("a.b(1)", "FE203", 0),
        ("(a", "FE201", 2),
        ("((a)", "FE201", 4),
        ("[1, 2", "FE201", 5),
        ("count(a", "FE201", 7),
        ("[1 2]", "FE201", 3),
        ("(a b)", "FE201", 3),
        ("a b", "FE201", 2),
        ("a)", "FE201", 1),
        (")", "FE201", 0),
        ("a < b < c", "FE201", 6),
        ("a == b != c", "FE201", 7),
        ("a in b in c", "FE201", 7),
        ("a == b not in c", "FE201", 7),
        ("a not b", "FE201", 6),
        ("a not", "FE201", 5),
        ("", "FE201", 0),
        ("   ", "FE201", 0),
        ("not", "FE201", 3),
        ("a and", "FE201", 5),
        ("and a", "FE201", 0),
        ("in == 1", "FE201", 0),
        ("a == not b", "FE201", 5),
        ("1 +", "FE201", 3),
        ("1 + * 2", "FE201", 4),
        ("+1", "FE201", 0),
        ("a.", "FE201", 2),
        ("a..b", "FE201", 2),
        ("a.1", "FE201", 2),
        ("a.in", "FE201", 2),
        ("Relation == 'x'", "FE201", 0),
        ("a == True", "FE201", 5),
        ("x.Row", "FE201", 2),
        ("1.", "FE201", 2),
        ("1.2.3", "FE201", 3),
        ("1e5", "FE201", 1),
        (".5", "FE201", 0),
        ("'a\\q'", "FE201", 2),
        ("a % 2", "FE201", 2),
        ("relasjon == 'ø' and ø", "FE201", 20),
        ("[1,]", "FE201", 3),
        ("[,]", "FE201", 1),
        ("count(a,)", "FE201", 8),
        ("()", "FE201", 1),
        ("a == 1 'x'", "FE201", 7),
    ],
)
def test_errors(source, code, offset):
    with pytest.raises(ExpressionSyntaxError) as caught:
        parse(source)
    error = caught.value
    assert (error.code, error.offset) == (code, offset), error.problem
    assert error.problem and 0 <= error.offset <= len(source)


@pytest.mark.parametrize(
    "source, fragment",
    [
        ("relation == 'parent", "unterminated string"),
        ("a ==", "unexpected end"),
        ("a = 1", "'=='"),
        (")", "unexpected ')'"),
        ("a < b < c", "chained"),
    ],
)
def test_error_problem_texts(source, fragment):
    with pytest.raises(ExpressionSyntaxError) as caught:
        parse(source)
    assert fragment in caught.value.problem


def test_fe203_names_the_function_and_pickles():
    with pytest.raises(ExpressionSyntaxError) as caught:
        parse("x or coutn(a)")
    error = caught.value
    assert (error.code, error.offset, error.name) == ("FE203", 5, "coutn")
    copy = pickle.loads(pickle.dumps(error))  # noqa: S301  our own bytes
    assert (copy.code, copy.offset, copy.problem, copy.name) == (
        error.code,
        error.offset,
        error.problem,
        error.name,
    )
    assert "FE203" in str(error)


def test_length_limit():
    just_fits = "a" + " " * (MAX_LENGTH - 1)
    assert parse(just_fits).references() == [Reference("a", 0)]
    with pytest.raises(ExpressionSyntaxError) as caught:
        parse(just_fits + " ")
    assert (caught.value.code, caught.value.offset) == ("FE201", MAX_LENGTH)


@pytest.mark.parametrize(
    "opener, closer",
    [("(", ")"), ("[", "]"), ("count(", ")"), ("not ", ""), ("-", "")],
)
def test_depth_limit(opener, closer):
    fits = opener * MAX_DEPTH + "1" + closer * MAX_DEPTH
    parse(fits).evaluate(lambda name: None)
    too_deep = opener * (MAX_DEPTH + 1) + "1" + closer * (MAX_DEPTH + 1)
    with pytest.raises(ExpressionSyntaxError) as caught:
        parse(too_deep)
    assert caught.value.code == "FE201"
    assert caught.value.offset == len(opener) * MAX_DEPTH


def test_mixed_nesting_counts_every_level():
    level = "(-[not count("  # five levels, 13 characters
    parse(level * 10 + "1" + ")])" * 10)
    with pytest.raises(ExpressionSyntaxError) as caught:
        parse(level * 11 + "1" + ")])" * 11)
    assert caught.value.offset == 10 * len(level)  # the 51st level opens here


def test_long_flat_chains_do_not_recurse():
    terms = (MAX_LENGTH - 1) // 4
    plus = parse(" + ".join(["1"] * terms))
    assert plus.evaluate(lambda name: None) == terms
    ors = parse(" or ".join(["a"] * (MAX_LENGTH // 5)))
    assert ors.evaluate(lambda name: None) is False
    items = parse("[" + ",".join(["1"] * (MAX_LENGTH // 2 - 1)) + "]")
    assert len(items.evaluate(lambda name: None)) == MAX_LENGTH // 2 - 1


def test_non_string_source_is_a_type_error():
    with pytest.raises(TypeError):
        parse(None)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- Expression object


def test_expression_is_immutable_and_hashable():
    expression = parse("a == 1")
    with pytest.raises(AttributeError):
        expression.source = "b"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        expression._root = ("lit", True)  # type: ignore[misc]
    assert expression == parse("a == 1")
    assert len({expression, parse("a == 1"), parse("a == 2")}) == 2
    assert "a == 1" in repr(expression)


def test_expression_copies_and_pickles():
    import copy

    expression = parse("count(a) > 1 and b in ['x']")
    for clone in (copy.deepcopy(expression), pickle.loads(pickle.dumps(expression))):  # noqa: S301  our own bytes
        assert clone == expression
        assert clone.evaluate({"a": [1, 2], "b": "x"}.get) is True


def test_list_results_are_fresh():
    expression = parse("[1, 2]")
    first = expression.evaluate(lambda name: None)
    first.append(3)
    assert expression.evaluate(lambda name: None) == [1, 2]


# --------------------------------------------------------------------------- properties

TOKENS = [
    "a",
    "b",
    "relation",
    "m.row",
    "score.x",
    "value",
    "Foo",
    "a.",
    "1",
    "0",
    "2.5",
    "1.",
    "'x'",
    '"y"',
    "'",
    '"',
    "'\\q'",
    "'it\\'s'",
    "true",
    "false",
    "null",
    "and",
    "or",
    "not",
    "in",
    "==",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
    "=",
    "!",
    "&&",
    "||",
    "+",
    "-",
    "*",
    "/",
    "%",
    "(",
    ")",
    "[",
    "]",
    ",",
    ".",
    "count",
    "answered",
    "sum",
    "min",
    "max",
    "foo",
    " ",
    "\n",
]


def _json_values():
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(),
        st.text(max_size=5),
        st.sampled_from(["", "x", "y", "parent", "2024-01-01"]),
    )
    return st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=4),
            st.dictionaries(st.text(max_size=3), inner, max_size=3),
        ),
        max_leaves=8,
    )


NAMES = ["a", "b", "relation", "m.row", "score.x", "value"]
RESOLVERS = st.dictionaries(st.sampled_from(NAMES), _json_values())


def _expressions():
    atoms = st.one_of(
        st.sampled_from(NAMES),
        st.integers(-(10**6), 10**6).map(str),
        st.floats(0, 1e6, allow_nan=False).map(lambda f: repr(f) if "e" not in repr(f) else "1.5"),
        st.sampled_from(["'x'", "'parent'", '""', "true", "false", "null", "[]"]),
    )
    binary_ops = ["or", "and", "==", "!=", "<", "<=", ">", ">=", "in", "not in", "+", "-", "*", "/"]

    def compound(children):
        return st.one_of(
            st.tuples(children, st.sampled_from(binary_ops), children).map(
                lambda t: f"(({t[0]}) {t[1]} ({t[2]}))"
            ),
            children.map(lambda c: f"not ({c})"),
            children.map(lambda c: f"-({c})"),
            st.tuples(st.sampled_from(["count", "answered", "sum"]), children).map(
                lambda t: f"{t[0]}({t[1]})"
            ),
            st.tuples(st.sampled_from(["min", "max"]), st.lists(children, min_size=1, max_size=3)).map(
                lambda t: f"{t[0]}({', '.join(t[1])})"
            ),
            st.lists(children, max_size=3).map(lambda xs: "[" + ", ".join(xs) + "]"),
        )

    return st.recursive(atoms, compound, max_leaves=15)


def _parse_or_error(source):
    try:
        return parse(source)
    except ExpressionSyntaxError as error:
        assert error.code in ("FE201", "FE203")
        assert 0 <= error.offset <= max(len(source), 0)
        assert error.problem
        return error


@FUZZ
@given(st.text(max_size=60))
def test_fuzz_any_text(source):
    result = _parse_or_error(source)
    if isinstance(result, Expression):
        result.evaluate(lambda name: None)


@FUZZ_WITH_DATA
@given(st.lists(st.sampled_from(TOKENS), max_size=25), st.sampled_from([" ", ""]), RESOLVERS)
def test_fuzz_token_soup(tokens, separator, values):
    result = _parse_or_error(separator.join(tokens))
    if isinstance(result, Expression):
        result.evaluate(values.get)
        assert isinstance(result.truthy(values.get), bool)
        for ref in result.references():
            assert result.source[ref.offset :].startswith(ref.name)


@FUZZ_WITH_DATA
@given(_expressions(), RESOLVERS)
def test_generated_expressions_evaluate_without_raising(source, values):
    expression = parse(source)
    first = expression.evaluate(values.get)
    assert isinstance(expression.truthy(values.get), bool)
    for ref in expression.references():
        assert source[ref.offset : ref.offset + len(ref.name)] == ref.name
    for ref, literal in expression.literal_comparisons():
        assert ref in expression.references() and isinstance(literal, str)
    assert same(first, expression.evaluate(values.get))


@FUZZ_WITH_DATA
@given(st.one_of(_expressions(), st.lists(st.sampled_from(TOKENS), max_size=20).map(" ".join)), RESOLVERS)
def test_deterministic(source, values):
    first, second = _parse_or_error(source), _parse_or_error(source)
    if isinstance(first, ExpressionSyntaxError):
        assert (first.code, first.offset, first.problem) == (second.code, second.offset, second.problem)
        return
    assert first.references() == second.references()
    assert first.literal_comparisons() == second.literal_comparisons()
    assert same(first.evaluate(values.get), second.evaluate(values.get))
