"""FHIR import: the three third-party samples and hand-written edge cases become valid, scored forms."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from formengine.cli.main import main
from formengine.fhir.importer import import_questionnaire
from formengine.fhir.response import import_response
from formengine.scoring.engine import score
from formengine.definition.registry import load_registry

DATA = Path(__file__).resolve().parent.parent / "data" / "fhir"
SAMPLES = ["helsenorge-section-score.json", "helsenorge-choice-check-box-score.json", "argonaut-phq9.json"]


def sample(name: str) -> dict:
    return json.loads((DATA / name).read_text("utf-8"))


def install(q: dict, root: Path, warnings: list | None = None):
    """Import ``q`` into root/forms; return (registry, definition)."""
    data, text = import_questionnaire(q, report=(warnings.append if warnings is not None else lambda m: None))
    path = root / "forms" / data["id"] / f"{data['version']}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    registry = load_registry(root / "forms")
    return registry, registry.definitions.get((data["id"], data["version"]))


def scales(defn, answers):
    report = score(defn, answers, defn.default_language).as_json()
    return {s["id"]: s["value"] for s in report["scales"]}


@pytest.mark.parametrize("name", SAMPLES)
def test_samples_import_with_no_errors_and_render(name, tmp_path, capsys):
    registry, defn = install(sample(name), tmp_path)
    assert registry.errors == [] and defn is not None
    assert main(["--forms", str(tmp_path / "forms"), "show", defn.key]) == 0
    assert defn.title.get() in capsys.readouterr().out


def test_section_score_structure(tmp_path):
    warnings: list[str] = []
    _, defn = install(sample("helsenorge-section-score.json"), tmp_path, warnings)
    found = {s.id: list(s.items) for s in defn.scoring.scales}
    assert found == {
        "sectionscore_213": ["q_2_1_1", "q_2_1_2"],
        "sectionscore_223": ["q_2_2_1", "q_2_2_2"],
        "sectionscore_230": ["q_2_3_1", "q_2_3_2_1", "q_2_3_2_2_1"],
        "totalscore_31": ["q_2_1_1", "q_2_1_2", "q_2_2_1", "q_2_2_2", "q_2_3_1", "q_2_3_2_1", "q_2_3_2_2_1"],
    }
    assert all(s.min_answered == 1 and s.method == "sum" for s in defn.scoring.scales)
    assert defn.item("q_2_1_2").type == "multi_choice"  # itemControl check-box
    assert [(o.value, o.score) for o in defn.item("q_2_1_1").options] == [
        ("la6568_5", 1), ("la6569_3", 2), ("la6570_1", 4), ("la6571_9", 8)]
    assert [s.id for s in defn.sections] == ["s_2"]  # group 3 held only the total score
    assert any("version" in w for w in warnings)


def test_section_score_values(tmp_path):
    # Refero: sum of the chosen options' ordinalValue; blank when nothing in the section is answered.
    _, defn = install(sample("helsenorge-section-score.json"), tmp_path)
    answers = {"q_2_1_1": "la6569_3", "q_2_1_2": ["a", "c"],        # 2 + (1 + 4) = 7
               "q_2_3_1": "la6571_9", "q_2_3_2_1": ["d"]}           # 8 + 8 = 16
    assert scales(defn, answers) == {"sectionscore_213": 7, "sectionscore_223": None,
                                     "sectionscore_230": 16, "totalscore_31": 23}
    assert scales(defn, {}) == dict.fromkeys(["sectionscore_213", "sectionscore_223", "sectionscore_230",
                                              "totalscore_31"])


def test_check_box_sample_sums_selected(tmp_path):
    _, defn = install(sample("helsenorge-choice-check-box-score.json"), tmp_path)
    assert defn.item("q_2_1").type == "multi_choice"
    assert [s.id for s in defn.scoring.scales] == ["score_3_1"]
    assert scales(defn, {"q_2_1": ["b", "c", "d"]}) == {"score_3_1": 6}
    assert scales(defn, {"q_2_1": ["a"]}) == {"score_3_1": 0}
    assert scales(defn, {}) == {"score_3_1": None}


def test_phq9_total_from_contained_value_set(tmp_path):
    warnings: list[str] = []
    _, defn = install(sample("argonaut-phq9.json"), tmp_path, warnings)
    questions = [f"g1_q{n}" for n in range(1, 10)]
    assert [s.id for s in defn.scoring.scales] == ["total"]
    assert list(defn.scoring.scales[0].items) == questions  # g2.q1 has no ordinal values
    assert [o.score for o in defn.item("g1_q9").options] == [0, 1, 2, 3]  # answerValueSet by url
    assert defn.item("g1_d").type == "note" and "g1_s" not in defn.items_by_id  # hidden display left out
    assert any("div" in w for w in warnings) and any("g1.s" in w for w in warnings)
    assert scales(defn, dict.fromkeys(questions, "la6569_3")) == {"total": 9}
    assert scales(defn, dict.fromkeys(questions, "la6571_9") | {"g2_q1": "la6572_7"}) == {"total": 27}


def test_phq9_response_with_loinc_codes(tmp_path):
    _, defn = install(sample("argonaut-phq9.json"), tmp_path)
    response = {"resourceType": "QuestionnaireResponse", "status": "completed", "language": "en-US",
                "item": [{"linkId": "g1", "item": [
                    {"linkId": "g1.q1", "answer": [{"valueCoding": {"system": "http://loinc.org",
                                                                    "code": "LA6570-1"}}]},
                    {"linkId": "g1.q2", "answer": [{"valueCoding": {"code": "LA0000-0"}}]}]}]}
    document = import_response(defn, response)
    assert document["answers"] == {"g1_q1": "la6570_1"} and document["lang"] == "en"


def minimal(items: list, **extra) -> dict:
    return {"resourceType": "Questionnaire", "status": "active", "version": "2.0.0", "url":
            "http://example.org/Questionnaire/edge", "title": "Edge", "item": items, **extra}


def test_edge_cases_warn_and_still_validate(tmp_path):
    translation = {"extension": [{"url": "http://hl7.org/fhir/StructureDefinition/translation", "extension": [
        {"url": "lang", "valueCode": "nb-NO"}, {"url": "content", "valueString": "Hvor gammel?"}]}]}
    items = [
        {"linkId": "1", "type": "integer", "text": "How old?", "_text": translation, "required": True},
        {"linkId": "1-x", "type": "boolean", "text": "Smoker?"},
        {"linkId": "1_x", "type": "open-choice", "text": "Colour", "answerOption": [
            {"valueString": "Red"}, {"valueString": "Blue"}],
         "enableWhen": [{"question": "1-x", "operator": "=", "answerBoolean": True}]},
        {"linkId": "photo", "type": "attachment", "text": "Photo"},
        {"linkId": "rep", "type": "group", "repeats": True, "text": "Pets", "item": [
            {"linkId": "rep.name", "type": "string", "text": "Name"},
            {"linkId": "rep.inner", "type": "group", "repeats": True, "item": [
                {"linkId": "rep.inner.when", "type": "dateTime", "text": "When"}]}]},
        {"linkId": "free", "type": "choice", "text": "No options"},
        {"linkId": "later", "type": "string", "text": "Odd",
         "enableWhen": [{"question": "free", "operator": "=", "answerCoding": {"code": "z"}}]},
    ]
    warnings: list[str] = []
    registry, defn = install(minimal(items, language="en-US"), tmp_path, warnings)
    assert registry.errors == []
    assert defn.id == "edge" and defn.version == "2.0.0" and defn.languages == ("nb", "en")
    assert [(i.id, i.type) for i in defn.iter_items()] == [
        ("q_1", "number"), ("q_1_x", "yes_no"), ("q_1_x_2", "single_choice"), ("rep", "repeat"),
        ("rep_name", "text"), ("rep_inner_when", "date"), ("free", "text"), ("later", "text")]
    assert defn.item("q_1").label.get("nb") == "Hvor gammel?" and defn.item("q_1").required
    assert defn.item("q_1_x_2").show_if.source == "q_1_x == 'yes'"
    assert [o.value for o in defn.item("q_1_x_2").options] == ["red", "blue"]
    assert defn.item("later").show_if is None
    text = "\n".join(warnings)
    for fragment in ("attachment", "open-choice", "free-text", "inside a repeating group", "dateTime",
                     "no usable answer options", "enableWhen cannot be expressed"):
        assert fragment in text, fragment


def test_cli_import_writes_forms_layout(tmp_path, capsys):
    out = tmp_path / "forms"
    assert main(["fhir", "import", str(DATA / "argonaut-phq9.json"), "-o", str(out)]) == 0
    assert (out / "questionnaire-example-phq9" / "0.0.0.yaml").exists()
    err = capsys.readouterr().err
    assert "warning:" in err and "Traceback" not in err
    assert main(["fhir", "import", str(DATA / "helsenorge-choice-check-box-score.json")]) == 0
    text = capsys.readouterr().out
    assert "id: q_2_1  # linkId: 2.1" in text


@pytest.mark.parametrize("content", ["not json", "[1, 2]", '{"resourceType": "Patient"}'])
def test_cli_import_refuses_other_files(tmp_path, capsys, content):
    path = tmp_path / "x.json"
    path.write_text(content)
    assert main(["fhir", "import", str(path)]) == 1
    assert "Traceback" not in capsys.readouterr().err


def test_cli_import_response_needs_a_form(tmp_path, capsys):
    path = tmp_path / "qr.json"
    path.write_text(json.dumps({"resourceType": "QuestionnaireResponse", "status": "completed",
                                "questionnaire": "http://example.org/Questionnaire/nope|1.0.0"}))
    assert main(["--forms", str(tmp_path), "fhir", "import", str(path)]) == 1
    assert "--form" in capsys.readouterr().err
    install(sample("helsenorge-choice-check-box-score.json"), tmp_path)
    path.write_text(json.dumps({"resourceType": "QuestionnaireResponse", "status": "completed", "item": [
        {"linkId": "2", "item": [{"linkId": "2.1", "answer": [{"valueCoding": {"code": "b"}},
                                                             {"valueCoding": {"code": "d"}}]}]}]}))
    assert main(["--forms", str(tmp_path / "forms"), "fhir", "import", str(path), "--form", "scoring@1.0.0"]) == 0
    assert json.loads(capsys.readouterr().out)["answers"] == {"q_2_1": ["b", "d"]}


def test_response_uses_linkid_comments_for_collided_ids(tmp_path):
    items = [{"linkId": "a-b", "type": "string", "text": "One"}, {"linkId": "a_b", "type": "string", "text": "Two"}]
    _, defn = install(minimal(items), tmp_path)
    assert [i.id for i in defn.iter_items()] == ["a_b", "a_b_2"]
    response = {"resourceType": "QuestionnaireResponse", "status": "completed", "item": [
        {"linkId": "a_b", "answer": [{"valueString": "two"}]}, {"linkId": "a-b", "answer": [{"valueString": "one"}]}]}
    assert import_response(defn, response)["answers"] == {"a_b": "one", "a_b_2": "two"}


def test_import_warnings_speak_the_output_language(tmp_path, monkeypatch):
    monkeypatch.setenv("FORMENGINE_LANG", "nn")
    warnings: list[str] = []
    install(sample("helsenorge-section-score.json"), tmp_path, warnings)
    assert any("er ikkje MAJOR.MINOR.PATCH; bruker 1.0.0" in w for w in warnings), warnings
