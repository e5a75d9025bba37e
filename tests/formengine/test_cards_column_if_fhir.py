"""A card column's ``show_if`` in FHIR: ``enableWhen`` inside the card's group on the sibling
cells (``answerCoding``), valid R4B, checked by ``formengine fhir validate``, and read back."""

from __future__ import annotations

import json

import pytest
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from formengine.answers.conditions import card_columns_asked
from formengine.cli.main import main
from formengine.definition.builder.validation import Builder
from formengine.definition.loader import load_text
from formengine.fhir.common import ENABLE_WHEN_EXPRESSION
from formengine.fhir.export import export_questionnaire
from formengine.fhir.importer import import_questionnaire
from formengine.fhir.response import export_response
from tests.formengine.cards_form import EXPECTS_IF, cards_form
from tests.formengine.test_cards_fhir import find

SYSTEM = "https://formengine.example/fhir/Questionnaire/kort/options"


def build(expects_if: str):
    definition = Builder(load_text(cards_form(expects_if=expects_if), "kort.yaml")).build()
    assert definition is not None
    return definition


def coding(link: str, op: str, code: str) -> dict:
    return {"question": link, "operator": op, "answerCoding": {"system": SYSTEM, "code": code}}


def test_an_or_condition_is_enable_when_any_on_the_sibling_cells():
    q = export_questionnaire(build(EXPECTS_IF))
    Questionnaire.model_validate(q)
    cell = find(q["item"], "tasks.shopping.expects")
    # "who_now != not_applicable" is implied by every alternative, so it is not repeated
    assert cell["enableWhen"] == [
        coding("tasks.shopping.from_now", "=", "less"),
        coding("tasks.shopping.from_now", "=", "stop"),
        coding("tasks.shopping.who_now", "=", "services"),
    ]
    assert cell["enableBehavior"] == "any"
    # the column before it keeps the "not applicable ends the card" rule
    assert find(q["item"], "tasks.shopping.from_now")["enableWhen"] == [
        coding("tasks.shopping.who_now", "!=", "not_applicable")
    ]


def test_an_and_condition_joins_the_card_endings():
    q = export_questionnaire(build("from_now == 'less' and answered(who_now)"))
    Questionnaire.model_validate(q)
    cell = find(q["item"], "tasks.medicine.expects")
    assert cell["enableWhen"] == [
        coding("tasks.medicine.who_now", "!=", "not_applicable"),
        coding("tasks.medicine.from_now", "=", "less"),
        {"question": "tasks.medicine.who_now", "operator": "exists", "answerBoolean": True},
    ]
    assert cell["enableBehavior"] == "all"


@pytest.mark.parametrize(
    "condition",
    ["who_now != 'me' or from_now == 'less'", "from_now == 'less' and who_now in ['me', 'self']"],
)
def test_what_enable_when_cannot_say_is_the_expression_extension_with_the_endings(condition):
    q = export_questionnaire(build(condition))
    Questionnaire.model_validate(q)
    cell = find(q["item"], "tasks.medicine.expects")
    assert "enableWhen" not in cell
    [ext] = [e for e in cell["extension"] if e["url"] == ENABLE_WHEN_EXPRESSION]
    expression = ext["valueExpression"]["expression"]
    assert expression.startswith("tasks.medicine.who_now != 'not_applicable' and (")
    assert "tasks.medicine.from_now == 'less'" in expression


@pytest.mark.parametrize(
    "condition",
    [
        EXPECTS_IF,
        "from_now == 'less' and answered(who_now)",
        "who_now != 'me' or from_now == 'less'",
        "not answered(from_now)",
    ],
)
def test_the_condition_reads_back_and_asks_the_same_cells(condition, tmp_path):
    original = build(condition)
    data, text = import_questionnaire(export_questionnaire(original), report=lambda message: None)
    items = {i["id"]: i for s in data["sections"] for i in s["items"]}
    columns = {c["id"]: c for c in items["tasks"]["columns"]}
    assert "show_if" not in columns["who_now"] and "show_if" not in columns["from_now"]
    builder = Builder(load_text(text, "imported.yaml"))
    rebuilt = builder.build()
    assert rebuilt is not None, [p.format() for p in builder.problems]
    a, b = original.item("tasks"), rebuilt.item("tasks")
    for who in ("me", "self", "services", "not_applicable", None):
        for how in ("same", "more", "less", "stop", None):
            cells = {k: v for k, v in {"who_now": who, "from_now": how}.items() if v}
            assert card_columns_asked(a, cells) == card_columns_asked(b, cells), cells


def test_a_response_without_cells_not_asked_is_valid(tmp_path, capsys):
    defn = build(EXPECTS_IF)
    answers = {
        "helps_with": ["medicine", "shopping"],
        "tasks": {
            "medicine": {"who_now": "me", "from_now": "same"},
            "shopping": {"who_now": "me", "from_now": "less", "expects": "help"},
        },
    }
    qr = export_response(defn, {"form": defn.id, "version": defn.version, "lang": "nb", "answers": answers})
    QuestionnaireResponse.model_validate(qr)
    assert [c["linkId"] for c in find(qr["item"], "tasks.medicine")["item"]] == [
        "tasks.medicine.who_now",
        "tasks.medicine.from_now",
    ]
    (tmp_path / "q.json").write_text(json.dumps(export_questionnaire(defn)), "utf-8")
    (tmp_path / "qr.json").write_text(json.dumps(qr), "utf-8")
    assert main(["fhir", "validate", str(tmp_path / "q.json"), str(tmp_path / "qr.json")]) == 0


def test_the_response_never_answers_a_disabled_cell():
    defn = build(EXPECTS_IF)
    stale = {
        "helps_with": ["medicine"],
        "tasks": {"medicine": {"who_now": "me", "from_now": "same", "expects": "help"}},
    }
    qr = export_response(defn, {"answers": stale})
    assert [c["linkId"] for c in find(qr["item"], "tasks.medicine")["item"]] == [
        "tasks.medicine.who_now",
        "tasks.medicine.from_now",
    ]
