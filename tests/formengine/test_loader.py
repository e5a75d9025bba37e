"""The loader refuses hostile YAML quickly and with a code; fuzzing never finds a traceback."""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from formengine.definition.builder.validation import Builder
from formengine.definition.loader import MAX_BYTES, load_bytes, load_text
from formengine.errors.problems import CATALOGUE


def codes(doc):
    return [p.code for p in doc.problems]


def test_billion_laughs_is_refused_quickly():
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 12):
        refs = ",".join([f"*a{i - 1}"] * 10)
        lines.append(f"a{i}: &a{i} [{refs}]")
    start = time.perf_counter()
    doc = load_text("\n".join(lines) + "\n")
    assert codes(doc) == ["FE007"]
    assert time.perf_counter() - start < 5  # generous: the point is it does not expand 10^12 nodes


def test_oversized_file_is_refused_before_parsing():
    doc = load_bytes(b"a: " + b"x" * (MAX_BYTES + 1))
    assert codes(doc) == ["FE003"]


def test_deep_nesting_is_refused_without_recursion_error():
    assert codes(load_text("a: " + "[" * 5000 + "]" * 5000)) == ["FE012"]
    assert codes(load_text("a: " + "{b: " * 3000 + "1" + "}" * 3000)) == ["FE012"]


def test_byte_order_mark_is_accepted():
    doc = load_bytes("\ufeffid: t\n".encode("utf-8"))
    assert doc.data == {"id": "t"}


def test_merge_keys_and_custom_tags_are_refused():
    assert codes(load_text("a: &x {b: 1}\nc:\n  <<: *x\n")) == ["FE008"]
    assert codes(load_text("a: !secret 1\n")) == ["FE008"]


def test_locations_are_kept_for_keys_and_values():
    doc = load_text("id: t\nsections:\n  - id: s1\n    title: Hei\n")
    assert (doc.key_loc(("sections", 0, "title")).line, doc.key_loc(("sections", 0, "title")).column) == (
        4,
        5,
    )
    assert (doc.loc(("sections", 0, "title")).line, doc.loc(("sections", 0, "title")).column) == (4, 12)


YAMLISH = st.text(alphabet=st.sampled_from(list("abc:-[]{}&*!#'\"\n\t |>?,%@`~=1. ")), max_size=120)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(YAMLISH, st.text(max_size=200)))
def test_fuzz_any_text_ends_in_data_or_coded_problems(text):
    doc = load_text(text, "fuzz.yaml")
    assert doc.data is not None or doc.problems
    for problem in doc.problems:
        assert problem.code in CATALOGUE
    if doc.data is not None:
        Builder(doc).build()  # must not raise on any mapping


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_fuzz_any_bytes(raw):
    doc = load_bytes(raw, "fuzz.yaml")
    assert doc.data is not None or doc.problems


FORMISH = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-5, 5),
        st.sampled_from(
            ["text", "scale", "matrix", "repeat", "q1", "a", "nb", "1.0.0", "q1 == 'a'", "count(", ""]
        ),
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(
            st.sampled_from(
                [
                    "id",
                    "type",
                    "label",
                    "options",
                    "items",
                    "value",
                    "score",
                    "rows",
                    "show_if",
                    "sections",
                    "scoring",
                    "scales",
                    "bands",
                    "max",
                    "title",
                ]
            ),
            children,
            max_size=5,
        ),
    ),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.dictionaries(
        st.sampled_from(
            [
                "id",
                "version",
                "status",
                "title",
                "languages",
                "default_language",
                "sections",
                "scoring",
                "option_sets",
                "domains",
                "offers",
            ]
        ),
        FORMISH,
        max_size=8,
    )
)
def test_fuzz_structured_definitions_never_raise(data):
    import yaml

    doc = load_text(yaml.safe_dump(data, allow_unicode=True), "fuzz.yaml")
    if doc.data is not None:
        builder = Builder(doc)
        builder.build()
        assert all(p.code in CATALOGUE for p in builder.problems)
