"""Issue #15: a response's free units and terminology-server codings survive import and export.

The answers stay plain (a number, a display text); what FHIR says beyond them is kept in the
answers document's ``fhir`` object (formengine.fhir.kept) and written back on export.
"""

from __future__ import annotations

import pytest

from formengine.answers.check import check_answers, check_envelope
from formengine.errors.problems import AnswerError
from formengine.fhir.response import export_response, import_response
from tests.formengine.fhir_corpus_kit import install, load


def _height(back):
    return next(i for i in back["item"] if i["linkId"] == "height")["answer"]


def test_a_free_unit_is_kept_beside_the_number_and_exported_again(tmp_path):
    defn = install("lforms-valuequantity", tmp_path)
    warnings: list[str] = []
    document = import_response(defn, load("lforms-valuequantity", "qr"), report=warnings.append)
    assert warnings == []
    assert document["answers"]["height"] == 333  # the answer is the number: pages, PDFs, scores as before
    assert document["fhir"]["units"] == {
        "height": {"system": "http://unitsofmeasure.org", "code": "m", "display": "m"}
    }
    assert check_answers(defn, check_envelope(document)) == document["answers"]
    assert _height(export_response(defn, document)) == [
        {"valueQuantity": {"value": 333, "unit": "m", "system": "http://unitsofmeasure.org", "code": "m"}}
    ]
    # an answer typed in the form (no response behind it) has no unit to give: a bare quantity
    assert _height(export_response(defn, {"answers": {"height": 1.8}})) == [{"valueQuantity": {"value": 1.8}}]


def test_a_coded_answer_to_a_terminology_server_item_is_text_that_exports_as_its_coding(tmp_path):
    defn = install("lforms-nested-repeating-groups", tmp_path)
    document = import_response(defn, load("lforms-nested-repeating-groups", "qr"), report=lambda m: None)
    item = next(i for i in defn.iter_items() if i.fhir is not None and i.fhir.link_id == "2834300786105")
    entries = document["answers"]["g_9744363809788_entries"]
    assert [e[item.id] for e in entries] == ["Asthma", "Diabetes"]  # what the relative and nurse see
    assert document["fhir"]["codings"] == {
        item.id: [{"code": "2143", "display": "Asthma"}, {"code": "2560", "display": "Diabetes"}]
    }

    def answers(back):
        found = []

        def walk(items):
            for node in items or []:
                if node["linkId"] == "2834300786105":
                    found.extend(node["answer"])
                for answer in node.get("answer") or []:
                    walk(answer.get("item"))
                walk(node.get("item"))

        walk(back["item"])
        return found

    assert answers(export_response(defn, document)) == [
        {"valueCoding": {"code": "2143", "display": "Asthma"}},
        {"valueCoding": {"code": "2560", "display": "Diabetes"}},
    ]
    # a text changed after the import is no longer the coding: it goes out as the text it is
    entries[1][item.id] = "Diabetes type 2"
    assert answers(export_response(defn, document))[1] == {"valueString": "Diabetes type 2"}


@pytest.mark.parametrize(
    "kept",
    [[], {"units": {"h": "m"}}, {"codings": {"c": {"code": "1"}}}, {"other": {}}, {"questionnaire": 3}],
)
def test_a_malformed_fhir_object_in_an_answers_document_is_fe507(kept):
    with pytest.raises(AnswerError) as caught:
        check_envelope({"answers": {}, "fhir": kept})
    assert [p.code for p in caught.value.problems] == ["FE507"]


def test_the_cli_round_trip_keeps_the_unit_through_the_answers_file(tmp_path, capsys):
    """`fhir import QR.json` prints the answers document with its fhir object; `fhir response`
    on that file gives the valueQuantity with its unit again."""
    import json

    from formengine.cli.main import main

    defn = install("lforms-valuequantity", tmp_path)
    qr = tmp_path / "qr.json"
    qr.write_text(json.dumps(load("lforms-valuequantity", "qr")), "utf-8")
    forms = ["--forms", str(tmp_path / "forms")]
    assert main([*forms, "fhir", "import", "--strict", str(qr), "--form", defn.key]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["fhir"]["units"]["height"]["code"] == "m"
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(document), "utf-8")
    assert main([*forms, "fhir", "response", defn.key, str(answers)]) == 0
    back = json.loads(capsys.readouterr().out)
    assert _height(back) == [
        {"valueQuantity": {"value": 333, "unit": "m", "system": "http://unitsofmeasure.org", "code": "m"}}
    ]


def test_a_second_unit_for_the_same_item_is_a_warning_not_a_silent_loss(tmp_path):
    defn = install("lforms-valuequantity", tmp_path)
    qr = load("lforms-valuequantity", "qr")
    height = next(i for i in qr["item"] if i["linkId"] == "height")
    qr["item"].append({"linkId": "height", "answer": [{"valueQuantity": {"value": 333, "unit": "cm"}}]})
    assert height["answer"][0]["valueQuantity"]["unit"] == "m"
    warnings: list[str] = []
    document = import_response(defn, qr, report=warnings.append)
    assert warnings == ["item 'height': answers in different units (m / cm); only the first unit is kept"]
    assert document["fhir"]["units"]["height"]["code"] == "m"
