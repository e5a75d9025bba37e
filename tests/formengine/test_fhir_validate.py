"""`formengine fhir validate`: a QuestionnaireResponse checked against its Questionnaire, located."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from formengine.cli.main import main
from formengine.definition.registry import load_registry
from formengine.fhir.export import export_questionnaire
from formengine.fhir.response import export_response
from formengine.fhir.validate import check_response
from tests.formengine.test_fhir_export import fill

SHIPPED = Path(__file__).resolve().parent.parent.parent / "forms"
CORE = "parorende-kartlegging"


@pytest.fixture(scope="module")
def core():
    return load_registry(SHIPPED).get(CORE, "1.1.0")


@pytest.fixture(scope="module")
def pair(core):
    return export_questionnaire(core), export_response(core, {"answers": fill(core)})


def find(items, link, path="item"):
    for n, item in enumerate(items):
        here = f"{path}[{n}]"
        if item["linkId"] == link:
            return item, here
        found = find(item.get("item") or [], link, f"{here}.item")
        if found:
            return found
    return None


def first_matrix_row(questionnaire):
    def walk(items):
        for item in items:
            if any(e.get("valueCode") == "matrix" for e in item.get("extension") or []):
                return (
                    item["item"][0]["linkId"]
                    if item["item"][0]["type"] == "choice"
                    else item["item"][1]["linkId"]
                )
            found = walk(item.get("item") or [])
            if found:
                return found
        return None

    return walk(questionnaire["item"])


def test_matrix_rows_are_codings_from_the_row_options(pair):
    questionnaire, response = pair
    link = first_matrix_row(questionnaire)
    row, _ = find(response["item"], link)
    q_row, _ = find(questionnaire["item"], link)
    value_set = next(r for r in questionnaire["contained"] if "#" + r["id"] == q_row["answerValueSet"])
    include = value_set["compose"]["include"][0]
    coding = row["answer"][0]["valueCoding"]
    assert coding["system"] == include["system"]
    assert coding["code"] in [c["code"] for c in include["concept"]]
    assert check_response(questionnaire, response) == []


def test_a_choice_answered_with_value_string_is_a_located_problem(pair):
    questionnaire, response = copy.deepcopy(pair)
    link = first_matrix_row(questionnaire)
    row, path = find(response["item"], link)
    code = row["answer"][0]["valueCoding"]["code"]
    row["answer"] = [{"valueString": code}]
    problems = check_response(questionnaire, response)
    assert [str(p) for p in problems] == [
        f"{path}.answer[0].valueString (linkId '{link}'): a choice item is answered with valueCoding "
        "from its options, not valueString"
    ]


def test_unknown_codes_linkids_nesting_and_cardinality(pair):
    questionnaire, response = copy.deepcopy(pair)
    link = first_matrix_row(questionnaire)
    row, path = find(response["item"], link)
    row["answer"][0]["valueCoding"]["code"] = "zz_unknown"
    section = response["item"][0]
    section["item"].append({"linkId": "no_such_item", "answer": [{"valueString": "x"}]})
    section["answer"] = [{"valueString": "a group answered"}]
    single = next(
        i
        for i in section["item"]
        if i.get("answer") and len(i["answer"]) == 1 and "valueCoding" in i["answer"][0]
    )
    single["answer"].append(copy.deepcopy(single["answer"][0]))
    messages = [str(p) for p in check_response(questionnaire, response)]
    assert any(
        m.startswith(f"{path}.answer[0].valueCoding (linkId '{link}'): code 'zz_unknown' (system ")
        for m in messages
    )
    assert any("(linkId 'no_such_item'): no item with this linkId at this place" in m for m in messages)
    assert any(m.startswith("item[0].answer") and "a group item has no answers" in m for m in messages)
    assert any(
        f"(linkId '{single['linkId']}'): 2 answers, but the item does not repeat" in m for m in messages
    )


def test_cli_validate_passes_and_fails_with_exit_code(pair, tmp_path, capsys):
    questionnaire, response = pair
    q, qr = tmp_path / "q.json", tmp_path / "qr.json"
    q.write_text(json.dumps(questionnaire), "utf-8")
    qr.write_text(json.dumps(response), "utf-8")
    assert main(["fhir", "validate", str(q), str(qr)]) == 0
    broken = copy.deepcopy(response)
    link = first_matrix_row(questionnaire)
    row, path = find(broken["item"], link)
    row["answer"] = [{"valueString": "me"}]
    qr.write_text(json.dumps(broken), "utf-8")
    capsys.readouterr()
    assert main(["fhir", "validate", str(q), str(qr)]) == 1
    err = capsys.readouterr().err
    assert f"{path}.answer[0].valueString (linkId '{link}')" in err
