"""The malformed-definition corpus: each file yields its expected codes at line:column."""

from __future__ import annotations

from pathlib import Path

import pytest

from formengine.definition.builder.validation import Builder
from formengine.definition.loader import load_file, load_text
from formengine.errors.problems import CATALOGUE

CORPUS = sorted((Path(__file__).parent.parent / "data" / "malformed").glob("*.yaml"))


def problems_of(doc):
    found = list(doc.problems)
    if doc.data is not None:
        builder = Builder(doc)
        builder.build()
        found += builder.problems
    return found


def expected(path: Path) -> list[str]:
    first = path.read_bytes().split(b"\n", 1)[0].decode()
    assert first.startswith("# expect: ")
    return first[len("# expect: ") :].split()


def test_corpus_is_large_enough():
    assert len(CORPUS) >= 30
    codes = {expected(p)[0].split("@")[0] for p in CORPUS}
    assert len(codes) >= 30, "the corpus should exercise at least 30 different codes"


@pytest.mark.parametrize("path", CORPUS, ids=[p.stem for p in CORPUS])
def test_malformed_definition(path):
    got = [f"{p.code}@{p.location.line}:{p.location.column}" for p in problems_of(load_file(path, path.name))]
    assert got == expected(path)


@pytest.mark.parametrize("path", CORPUS, ids=[p.stem for p in CORPUS])
def test_every_problem_has_a_catalogued_code_and_readable_line(path):
    for problem in problems_of(load_file(path, path.name)):
        assert problem.code in CATALOGUE
        line = problem.format()
        assert line.startswith(
            f"{path.name}:{problem.location.line}:{problem.location.column}: {problem.code} "
        )
        assert "{" not in problem.message, "message template left unfilled"


def test_several_problems_are_all_reported_in_one_run():
    text = """\
id: Test
version: one
status: live
title: {nb: Test, de: Test}
languages: [nb]
default_language: nb
sections:
  - id: s1
    title: Del 1
    items:
      - id: q1
        type: singel_choice
        label: A
      - id: q2
        type: scale
        label: B
        options:
          - {value: a, label: A, score: x}
          - {label: B}
      - id: q2
        type: text
        label: C
        show_if: "q9 == 'yes'"
"""
    got = [(p.code, p.location.line, p.location.column) for p in problems_of(load_text(text, "f.yaml"))]
    assert got == [
        ("FE106", 1, 5),
        ("FE107", 2, 10),
        ("FE108", 3, 9),
        ("FE121", 4, 19),
        ("FE104", 12, 15),
        ("FE112", 18, 41),
        ("FE111", 19, 13),
        ("FE105", 20, 13),
        ("FE202", 23, 19),
    ]


def test_did_you_mean_suggests_the_close_key():
    doc = load_text(
        "id: t\nversion: 1.0.0\nstatus: active\ntitle: T\nlanguages: [nb]\n"
        "default_language: nb\nsections:\n  - id: s\n    title: S\n    items:\n"
        "      - id: q\n        type: text\n        lable: Hei\n",
        "f.yaml",
    )
    (problem, *_rest) = problems_of(doc)
    assert problem.code == "FE102" and problem.args["suggestion"] == " (did you mean 'label'?)"


def test_missing_translation_is_a_warning_then_an_error_under_strict():
    text = (
        "id: t\nversion: 1.0.0\nstatus: active\ntitle: {nb: T, en: T}\nlanguages: [nb, nn, en]\n"
        "default_language: nb\nsections:\n  - id: s\n    title: {nb: S, nn: S, en: S}\n    items:\n"
        "      - {id: q, type: text, label: {nb: Hei, en: Hi}}\n"
    )
    lenient = Builder(load_text(text, "f.yaml"))
    assert lenient.build() is not None
    assert [(p.code, p.severity) for p in lenient.problems] == [("FE110", "warning"), ("FE110", "warning")]
    strict = Builder(load_text(text, "f.yaml"), strict=True)
    assert strict.build() is None
    assert {p.severity for p in strict.problems} == {"error"}


def test_runtime_text_falls_back_to_the_default_language():
    text = (
        "id: t\nversion: 1.0.0\nstatus: active\ntitle: T\nlanguages: [nb, en]\n"
        "default_language: nb\nsections:\n  - id: s\n    title: S\n    items:\n"
        "      - {id: q, type: text, label: Hei}\n"
    )
    defn = Builder(load_text(text, "f.yaml")).build()
    assert defn.item("q").label.get("en") == "Hei"


def test_yes_and_no_stay_strings_not_booleans():
    text = (
        "id: t\nversion: 1.0.0\nstatus: active\ntitle: T\nlanguages: [nb]\ndefault_language: nb\n"
        "sections:\n  - id: s\n    title: S\n    items:\n      - id: q\n        type: single_choice\n"
        "        label: Q\n        options:\n          - {value: yes, label: Ja}\n          - {value: no, label: Nei}\n"
    )
    defn = Builder(load_text(text, "f.yaml")).build()
    assert defn.item("q").option_values == ("yes", "no")
