"""Cards in FHIR: a group per card with one choice item per column, valid R4B, and read back."""

from __future__ import annotations

import copy

import pytest
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from formengine.definition.builder.validation import Builder
from formengine.definition.loader import load_text
from formengine.fhir.export import export_questionnaire
from formengine.fhir.importer import import_questionnaire
from formengine.fhir.response import export_response, import_response
from formengine.fhir.validate import check_response
from tests.formengine.cards_form import ANSWERS, cards_form


@pytest.fixture(scope="module")
def defn():
    definition = Builder(load_text(cards_form(), "kort.yaml")).build()
    assert definition is not None
    return definition


def find(items, link):
    for item in items:
        if item["linkId"] == link:
            return item
        found = find(item.get("item") or [], link)
        if found:
            return found
    return None


def test_the_questionnaire_has_a_group_per_card_and_a_choice_per_column(defn):
    q = export_questionnaire(defn)
    Questionnaire.model_validate(q)
    tasks = find(q["item"], "tasks")
    assert tasks["type"] == "group"
    assert [g["linkId"] for g in tasks["item"] if g["type"] == "group"] == [
        "tasks.hygiene",
        "tasks.medicine",
        "tasks.shopping",
        "tasks.transport",
    ]
    card = find(q["item"], "tasks.shopping")
    assert card["text"] == "Innkjøp"
    assert card["enableWhen"][0]["question"] == "helps_with"
    assert card["enableWhen"][0]["answerCoding"]["code"] == "shopping"
    cells = card["item"]
    assert [(c["linkId"], c["type"]) for c in cells] == [
        ("tasks.shopping.who_now", "choice"),
        ("tasks.shopping.from_now", "choice"),
        ("tasks.shopping.expects", "choice"),
    ]
    # "not applicable" ends the card in other FHIR tools too
    assert cells[1]["enableWhen"] == [
        {
            "question": "tasks.shopping.who_now",
            "operator": "!=",
            "answerCoding": {
                "system": "https://formengine.example/fhir/Questionnaire/kort/options",
                "code": "not_applicable",
            },
        }
    ]
    # every card asks the same columns: each column's options are one contained ValueSet
    assert cells[1]["answerValueSet"] == find(q["item"], "tasks.medicine.from_now")["answerValueSet"]
    value_set = next(r for r in q["contained"] if "#" + r["id"] == cells[1]["answerValueSet"])
    codes = [c["code"] for c in value_set["compose"]["include"][0]["concept"]]
    assert (
        codes == [c["code"] for c in value_set["expansion"]["contains"]] == ["same", "more", "less", "stop"]
    )
    fixed = find(q["item"], "burden.sleep")
    assert "enableWhen" not in fixed


def test_the_response_has_a_group_per_answered_card_and_reads_back(defn):
    document = {"form": defn.id, "version": defn.version, "lang": "nb", "answers": ANSWERS}
    qr = export_response(defn, document)
    QuestionnaireResponse.model_validate(qr)
    assert check_response(export_questionnaire(defn), qr) == []
    tasks = find(qr["item"], "tasks")
    assert [g["linkId"] for g in tasks["item"]] == ["tasks.medicine", "tasks.shopping", "tasks.transport"]
    assert [c["linkId"] for c in find(qr["item"], "tasks.transport")["item"]] == ["tasks.transport.who_now"]
    assert import_response(defn, qr)["answers"] == ANSWERS


def test_a_response_with_unknown_cards_and_codes_is_read_with_warnings(defn, capsys):
    document = {"answers": ANSWERS}
    qr = copy.deepcopy(export_response(defn, document))
    tasks = find(qr["item"], "tasks")
    tasks["item"].append({"linkId": "tasks.cooking", "item": []})
    find(qr["item"], "tasks.shopping.who_now")["answer"][0]["valueCoding"]["code"] = "nobody"
    find(qr["item"], "tasks.shopping")["item"].append({"linkId": "tasks.shopping.when", "answer": []})
    answers = import_response(defn, qr)["answers"]
    assert answers["tasks"]["shopping"] == {"from_now": "less"}
    err = capsys.readouterr().err
    assert "tasks.cooking" in err and "tasks.shopping.who_now" in err and "tasks.shopping.when" in err


def test_the_questionnaire_imports_back_as_cards(defn, tmp_path):
    warnings: list[str] = []
    data, text = import_questionnaire(export_questionnaire(defn), report=warnings.append)
    items = {i["id"]: i for s in data["sections"] for i in s["items"]}
    tasks = items["tasks"]
    assert tasks["type"] == "cards" and tasks["rows_from"] == "helps_with" and "rows" not in tasks
    assert [c["id"] for c in tasks["columns"]] == ["who_now", "from_now", "expects"]
    assert items["burden"]["rows"] == [
        {"id": "sleep", "label": {"nb": "Søvn", "nn": "Søvn", "en": "Sleep"}},
        {"id": "work", "label": {"nb": "Arbeid", "nn": "Arbeid", "en": "Work"}},
    ]
    doc = load_text(text, "imported.yaml")
    builder = Builder(doc)
    rebuilt = builder.build()
    assert rebuilt is not None, [p.format() for p in builder.problems]
    assert rebuilt.item("tasks").column("who_now").option("not_applicable").not_applicable
