"""enableWhen ↔ show_if, faithfully: every operator, any/all, values compared by type (issue #15)."""

from __future__ import annotations

from pathlib import Path

import pytest

from formengine.answers.conditions import item_visible
from formengine.definition.registry import load_registry
from formengine.fhir.export import export_questionnaire
from formengine.fhir.importer import import_questionnaire

SYS = "http://loinc.org"


def questionnaire(conditional: list[dict]) -> dict:
    options = [
        {"valueCoding": {"system": SYS, "code": "LA6568-5", "display": "Not at all"}},
        {"valueCoding": {"system": SYS, "code": "LA6569-3", "display": "Several days"}},
    ]
    return {
        "resourceType": "Questionnaire",
        "id": "ew",
        "url": "http://example.org/Questionnaire/ew",
        "version": "1.0.0",
        "status": "active",
        "item": [
            {
                "linkId": "g",
                "type": "group",
                "text": "Alt",
                "item": [
                    {"linkId": "n", "type": "decimal", "text": "Number"},
                    {"linkId": "d", "type": "date", "text": "Date"},
                    {"linkId": "t", "type": "string", "text": "Text"},
                    {"linkId": "b", "type": "boolean", "text": "Bool"},
                    {"linkId": "c", "type": "choice", "text": "Choice", "answerOption": options},
                    {
                        "linkId": "m",
                        "type": "choice",
                        "repeats": True,
                        "text": "Many",
                        "answerOption": options,
                    },
                    *conditional,
                ],
            }
        ],
    }


def follow(link: str, when: list[dict], behaviour: str | None = None) -> dict:
    out = {"linkId": link, "type": "string", "text": link, "enableWhen": when}
    if behaviour:
        out["enableBehavior"] = behaviour
    return out


def install(q: dict, root: Path, warnings: list[str]):
    data, text = import_questionnaire(q, report=warnings.append)
    path = root / "forms" / data["id"] / f"{data['version']}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    registry = load_registry(root / "forms")
    assert registry.errors == []
    return registry.definitions[(data["id"], data["version"])]


NOT_AT_ALL = {"system": SYS, "code": "LA6568-5"}
CASES = [
    # (enableWhen entries, behaviour, answers that show it, answers that hide it)
    ([{"question": "n", "operator": ">", "answerDecimal": 2.5}], None, {"n": 3}, {"n": 2.5}),
    ([{"question": "n", "operator": "<", "answerInteger": 3}], None, {"n": 2}, {"n": 3}),
    ([{"question": "n", "operator": ">=", "answerInteger": 3}], None, {"n": 3}, {"n": 2}),
    (
        [{"question": "n", "operator": "<=", "answerQuantity": {"value": 3, "unit": "kg"}}],
        None,
        {"n": 3},
        {"n": 4},
    ),
    ([{"question": "n", "operator": "=", "answerInteger": 3}], None, {"n": 3}, {"n": 4}),
    ([{"question": "n", "operator": "!=", "answerInteger": 3}], None, {"n": 4}, {"n": 3}),
    (
        [{"question": "d", "operator": "<", "answerDate": "2020-01-01"}],
        None,
        {"d": "2019-12-31"},
        {"d": "2020-01-01"},
    ),
    (
        [{"question": "d", "operator": ">=", "answerDateTime": "2020-01-01T10:00:00Z"}],
        None,
        {"d": "2020-01-01"},
        {"d": "2019-06-01"},
    ),
    ([{"question": "t", "operator": "=", "answerString": "ja"}], None, {"t": "ja"}, {"t": "nei"}),
    ([{"question": "b", "operator": "=", "answerBoolean": True}], None, {"b": "yes"}, {"b": "no"}),
    ([{"question": "b", "operator": "!=", "answerBoolean": True}], None, {"b": "no"}, {"b": "yes"}),
    (
        [{"question": "c", "operator": "=", "answerCoding": NOT_AT_ALL}],
        None,
        {"c": "la6568_5"},
        {"c": "la6569_3"},
    ),
    (
        [{"question": "c", "operator": "!=", "answerCoding": NOT_AT_ALL}],
        None,
        {"c": "la6569_3"},
        {"c": "la6568_5"},
    ),
    (
        [{"question": "m", "operator": "=", "answerCoding": NOT_AT_ALL}],
        None,
        {"m": ["la6569_3", "la6568_5"]},
        {"m": ["la6569_3"]},
    ),
    (
        [{"question": "m", "operator": "!=", "answerCoding": NOT_AT_ALL}],
        None,
        {"m": ["la6569_3"]},
        {"m": ["la6568_5"]},
    ),
    ([{"question": "t", "operator": "exists", "answerBoolean": True}], None, {"t": "x"}, {}),
    ([{"question": "t", "operator": "exists", "answerBoolean": False}], None, {}, {"t": "x"}),
    (
        [
            {"question": "n", "operator": ">", "answerInteger": 5},
            {"question": "b", "operator": "=", "answerBoolean": True},
        ],
        "any",
        {"b": "yes"},
        {"n": 1, "b": "no"},
    ),
    (
        [
            {"question": "n", "operator": ">", "answerInteger": 5},
            {"question": "b", "operator": "=", "answerBoolean": True},
        ],
        "all",
        {"n": 6, "b": "yes"},
        {"b": "yes"},
    ),
]


@pytest.mark.parametrize("when, behaviour, shows, hides", CASES)
def test_every_operator_imports_and_evaluates_like_fhir(tmp_path, when, behaviour, shows, hides):
    warnings: list[str] = []
    defn = install(questionnaire([follow("x", when, behaviour)]), tmp_path, warnings)
    assert not [w for w in warnings if "enableWhen" in w], warnings
    item = defn.item("x")
    assert item.show_if is not None
    assert item_visible(defn, item, shows) is True, item.show_if.source
    assert item_visible(defn, item, hides) is False, item.show_if.source
    # and back: the export says it again as enableWhen with the same meaning
    again = export_questionnaire(defn)
    exported = next(i for i in again["item"][0]["item"] if i["linkId"] == "x")
    assert "enableWhen" in exported and len(exported["enableWhen"]) == len(when)
    if len(when) > 1:
        assert exported["enableBehavior"] == behaviour


UNFIT = [
    (
        {"question": "c", "operator": ">", "answerInteger": 1},
        "(single_choice) is compared with answerInteger",
    ),
    ({"question": "c", "operator": ">", "answerCoding": NOT_AT_ALL}, "'>' on a coded answer has no order"),
    ({"question": "n", "operator": "=", "answerString": "3"}, "(number) is compared with answerString"),
    ({"question": "b", "operator": ">", "answerBoolean": True}, "'>' on a coded answer has no order"),
    (
        {
            "question": "c",
            "operator": "=",
            "answerCoding": {"system": "http://snomed.info/sct", "code": "LA6568-5"},
        },
        "is not one of its options",
    ),
    (
        {"question": "nope", "operator": "=", "answerString": "x"},
        "question 'nope' is not a question of this form",
    ),
    ({"question": "t", "operator": "~", "answerString": "x"}, "unknown operator '~'"),
    ({"question": "t", "operator": "exists", "answerString": "x"}, "'exists' needs answerBoolean"),
]


@pytest.mark.parametrize("entry, reason", UNFIT)
def test_an_enable_when_that_does_not_fit_is_a_located_warning(tmp_path, entry, reason):
    warnings: list[str] = []
    defn = install(questionnaire([follow("x", [entry])]), tmp_path, warnings)
    assert defn.item("x").show_if is None  # shown: never silently hidden
    text = "\n".join(warnings)
    assert "item 'x': enableWhen cannot be expressed" in text and reason in text, text


def test_an_order_on_a_coded_answer_is_exported_as_our_expression():
    from formengine.definition.builder.validation import Builder
    from formengine.definition.loader import load_text

    text = """id: t
version: 1.0.0
status: draft
title: T
languages: [nb]
default_language: nb
sections:
  - id: s
    title: S
    items:
      - id: c
        type: single_choice
        label: C
        options: [{value: a, label: A}, {value: b, label: B}]
      - id: x
        type: text
        label: X
        show_if: c > 'a'
"""
    defn = Builder(load_text(text, "t.yaml")).build()
    item = next(i for i in export_questionnaire(defn)["item"][0]["item"] if i["linkId"] == "x")
    assert "enableWhen" not in item
    assert any(
        e["valueExpression"]["expression"] == "c > 'a'" for e in item["extension"] if "valueExpression" in e
    )
