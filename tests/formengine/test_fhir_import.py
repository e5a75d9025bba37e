"""FHIR import: the three third-party samples and hand-written edge cases become valid, scored forms."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from formengine.cli.main import main
from formengine.definition.registry import load_registry
from formengine.fhir.importer import import_questionnaire
from formengine.fhir.response import import_response
from formengine.scoring.engine import score

DATA = Path(__file__).resolve().parent.parent / "data" / "fhir"
ROOT_FORMS = Path(__file__).resolve().parents[2] / "forms"
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
        ("la6568_5", 1),
        ("la6569_3", 2),
        ("la6570_1", 4),
        ("la6571_9", 8),
    ]
    assert [s.id for s in defn.sections] == ["s_2"]  # group 3 held only the total score
    assert any("version" in w for w in warnings)


def test_section_score_values(tmp_path):
    # Refero: sum of the chosen options' ordinalValue; blank when nothing in the section is answered.
    _, defn = install(sample("helsenorge-section-score.json"), tmp_path)
    answers = {
        "q_2_1_1": "la6569_3",
        "q_2_1_2": ["a", "c"],  # 2 + (1 + 4) = 7
        "q_2_3_1": "la6571_9",
        "q_2_3_2_1": ["d"],
    }  # 8 + 8 = 16
    assert scales(defn, answers) == {
        "sectionscore_213": 7,
        "sectionscore_223": None,
        "sectionscore_230": 16,
        "totalscore_31": 23,
    }
    assert scales(defn, {}) == dict.fromkeys(
        ["sectionscore_213", "sectionscore_223", "sectionscore_230", "totalscore_31"]
    )


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
    response = {
        "resourceType": "QuestionnaireResponse",
        "status": "completed",
        "language": "en-US",
        "item": [
            {
                "linkId": "g1",
                "item": [
                    {
                        "linkId": "g1.q1",
                        "answer": [{"valueCoding": {"system": "http://loinc.org", "code": "LA6570-1"}}],
                    },
                    {"linkId": "g1.q2", "answer": [{"valueCoding": {"code": "LA0000-0"}}]},
                ],
            }
        ],
    }
    document = import_response(defn, response)
    assert document["answers"] == {"g1_q1": "la6570_1"} and document["lang"] == "en"


def minimal(items: list, **extra) -> dict:
    return {
        "resourceType": "Questionnaire",
        "status": "active",
        "version": "2.0.0",
        "url": "http://example.org/Questionnaire/edge",
        "title": "Edge",
        "item": items,
        **extra,
    }


def test_edge_cases_warn_and_still_validate(tmp_path):
    translation = {
        "extension": [
            {
                "url": "http://hl7.org/fhir/StructureDefinition/translation",
                "extension": [
                    {"url": "lang", "valueCode": "nb-NO"},
                    {"url": "content", "valueString": "Hvor gammel?"},
                ],
            }
        ]
    }
    items = [
        {"linkId": "1", "type": "integer", "text": "How old?", "_text": translation, "required": True},
        {"linkId": "1-x", "type": "boolean", "text": "Smoker?"},
        {
            "linkId": "1_x",
            "type": "open-choice",
            "text": "Colour",
            "answerOption": [{"valueString": "Red"}, {"valueString": "Blue"}],
            "enableWhen": [{"question": "1-x", "operator": "=", "answerBoolean": True}],
        },
        {"linkId": "photo", "type": "attachment", "text": "Photo"},
        {
            "linkId": "rep",
            "type": "group",
            "repeats": True,
            "text": "Pets",
            "item": [
                {"linkId": "rep.name", "type": "string", "text": "Name"},
                {
                    "linkId": "rep.inner",
                    "type": "group",
                    "repeats": True,
                    "item": [{"linkId": "rep.inner.when", "type": "dateTime", "text": "When"}],
                },
            ],
        },
        {"linkId": "free", "type": "choice", "text": "No options"},
        {
            "linkId": "later",
            "type": "string",
            "text": "Odd",
            "enableWhen": [{"question": "free", "operator": "=", "answerCoding": {"code": "z"}}],
        },
    ]
    warnings: list[str] = []
    registry, defn = install(minimal(items, language="en-US"), tmp_path, warnings)
    assert registry.errors == []
    assert defn.id == "edge" and defn.version == "2.0.0" and defn.languages == ("nb", "en")
    assert [(i.id, i.type) for i in defn.iter_items()] == [
        ("q_1", "number"),
        ("q_1_x", "yes_no"),
        ("q_1_x_2", "single_choice"),
        ("rep", "repeat"),
        ("rep_name", "text"),
        ("rep_inner", "repeat"),  # a repeating group inside a repeating group stays nested
        ("rep_inner_when", "date"),
        ("free", "text"),
        ("later", "text"),
    ]
    assert defn.item("q_1").label.get("nb") == "Hvor gammel?" and defn.item("q_1").required
    assert defn.item("q_1_x_2").show_if.source == "q_1_x == 'yes'"
    assert [o.value for o in defn.item("q_1_x_2").options] == ["red", "blue"]
    assert defn.item("later").show_if is None
    text = "\n".join(warnings)
    for fragment in (
        "attachment",
        "open-choice",
        "free-text",
        "dateTime",
        "no usable answer options",
        "enableWhen cannot be expressed",
    ):
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
    path.write_text(
        json.dumps(
            {
                "resourceType": "QuestionnaireResponse",
                "status": "completed",
                "questionnaire": "http://example.org/Questionnaire/nope|1.0.0",
            }
        )
    )
    assert main(["--forms", str(tmp_path), "fhir", "import", str(path)]) == 1
    assert "--form" in capsys.readouterr().err
    install(sample("helsenorge-choice-check-box-score.json"), tmp_path)
    path.write_text(
        json.dumps(
            {
                "resourceType": "QuestionnaireResponse",
                "status": "completed",
                "item": [
                    {
                        "linkId": "2",
                        "item": [
                            {
                                "linkId": "2.1",
                                "answer": [{"valueCoding": {"code": "b"}}, {"valueCoding": {"code": "d"}}],
                            }
                        ],
                    }
                ],
            }
        )
    )
    assert (
        main(["--forms", str(tmp_path / "forms"), "fhir", "import", str(path), "--form", "scoring@1.0.0"])
        == 0
    )
    assert json.loads(capsys.readouterr().out)["answers"] == {"q_2_1": ["b", "d"]}


def test_response_uses_linkid_comments_for_collided_ids(tmp_path):
    items = [
        {"linkId": "a-b", "type": "string", "text": "One"},
        {"linkId": "a_b", "type": "string", "text": "Two"},
    ]
    _, defn = install(minimal(items), tmp_path)
    assert [i.id for i in defn.iter_items()] == ["a_b", "a_b_2"]
    response = {
        "resourceType": "QuestionnaireResponse",
        "status": "completed",
        "item": [
            {"linkId": "a_b", "answer": [{"valueString": "two"}]},
            {"linkId": "a-b", "answer": [{"valueString": "one"}]},
        ],
    }
    assert import_response(defn, response)["answers"] == {"a_b": "one", "a_b_2": "two"}


def test_import_warnings_speak_the_output_language(tmp_path, monkeypatch):
    monkeypatch.setenv("FORMENGINE_LANG", "nn")
    warnings: list[str] = []
    install(sample("helsenorge-section-score.json"), tmp_path, warnings)
    assert any("er ikkje MAJOR.MINOR.PATCH; bruker 1.0.0" in w for w in warnings), warnings


def test_cli_import_never_overwrites_a_published_version(tmp_path, capsys):
    """Issue #15: a Questionnaire whose id@version is published is refused, even with --force."""
    import shutil

    forms = tmp_path / "forms"
    shutil.copytree(ROOT_FORMS / "parorende-kartlegging", forms / "parorende-kartlegging")
    shutil.copy(ROOT_FORMS / "published.lock", forms / "published.lock")
    target = forms / "parorende-kartlegging" / "1.1.0.yaml"
    before = target.read_bytes()
    q = sample("argonaut-phq9.json") | {"id": "parorende-kartlegging", "version": "1.1.0"}
    q.pop("url", None)
    path = tmp_path / "q.json"
    path.write_text(json.dumps(q), "utf-8")
    for extra in ([], ["--force"]):
        assert main(["fhir", "import", str(path), "-o", str(forms), *extra]) == 1
        err = capsys.readouterr().err
        assert "published" in err and "--as-version 2.1.0" in err and "Traceback" not in err
        assert target.read_bytes() == before
    assert main(["fhir", "import", str(path), "-o", str(forms), "--as-version", "2.1.0"]) == 0
    written = (forms / "parorende-kartlegging" / "2.1.0.yaml").read_text("utf-8")
    assert "version: 2.1.0" in written
    assert target.read_bytes() == before
    assert load_registry(forms).definitions.get(("parorende-kartlegging", "2.1.0")) is not None


def test_cli_import_refuses_an_existing_file_and_force_replaces_only_a_draft(tmp_path, capsys):
    forms = tmp_path / "forms"
    source = str(DATA / "argonaut-phq9.json")
    target = forms / "questionnaire-example-phq9" / "0.0.0.yaml"
    assert main(["fhir", "import", source, "-o", str(forms)]) == 0
    capsys.readouterr()
    target.write_text(target.read_text("utf-8") + "# edited by hand\n", "utf-8")
    edited = target.read_bytes()
    assert main(["fhir", "import", source, "-o", str(forms)]) == 1
    err = capsys.readouterr().err
    assert "exists" in err and "--force" in err and "--as-version 0.1.0" in err
    assert target.read_bytes() == edited
    assert "status: draft" in target.read_text("utf-8")
    assert main(["fhir", "import", source, "-o", str(forms), "--force"]) == 0  # a draft may be replaced
    assert target.read_bytes() != edited
    capsys.readouterr()
    target.write_text(target.read_text("utf-8").replace("status: draft", "status: active"), "utf-8")
    active = target.read_bytes()
    assert main(["fhir", "import", source, "-o", str(forms), "--force"]) == 1
    err = capsys.readouterr().err
    assert "not a draft" in err and "Traceback" not in err
    assert target.read_bytes() == active
    assert main(["fhir", "import", source, "-o", str(forms), "--as-version", "1.0"]) == 1
    assert not (forms / "questionnaire-example-phq9" / "1.0.yaml").exists()


def test_cli_import_strict_turns_warnings_into_exit_1(tmp_path, capsys):
    out = tmp_path / "forms"
    source = str(
        DATA / "argonaut-phq9.json"
    )  # imports with warnings (see test_cli_import_writes_forms_layout)
    assert main(["fhir", "import", source, "-o", str(out), "--strict"]) == 1
    err = capsys.readouterr().err
    assert "warning:" in err and "--strict" in err and "Traceback" not in err
    assert not (out / "questionnaire-example-phq9").exists()
    assert main(["fhir", "import", source, "-o", str(out)]) == 0
    capsys.readouterr()
    response = {
        "resourceType": "QuestionnaireResponse",
        "status": "completed",
        "questionnaire": "Questionnaire/questionnaire-example-phq9|0.0.0",
        "item": [{"linkId": "no-such-item", "answer": [{"valueString": "x"}]}],
    }
    path = tmp_path / "qr.json"
    path.write_text(json.dumps(response), "utf-8")
    assert main(["--forms", str(out), "fhir", "import", str(path)]) == 0
    assert "no-such-item" in capsys.readouterr().err
    assert main(["--forms", str(out), "fhir", "import", str(path), "--strict"]) == 1
    captured = capsys.readouterr()
    assert "--strict" in captured.err and captured.out == ""


def test_canonical_base_is_the_fhir_base_setting(monkeypatch):
    from formengine.fhir.common import questionnaire_url

    assert questionnaire_url("phq") == "https://formengine.example/fhir/Questionnaire/phq"
    monkeypatch.setenv("FORMENGINE_FHIR_BASE", "https://skjema.kommune.no/fhir/")
    assert questionnaire_url("phq") == "https://skjema.kommune.no/fhir/Questionnaire/phq"
    registry = load_registry(ROOT_FORMS)
    defn = registry.latest_active("parorende-kartlegging")
    from formengine.fhir.export import export_questionnaire

    q = export_questionnaire(defn)
    assert q["url"] == "https://skjema.kommune.no/fhir/Questionnaire/parorende-kartlegging"


NESTED_Q = {
    "resourceType": "Questionnaire",
    "id": "nested",
    "version": "1.0.0",
    "status": "active",
    "item": [
        {
            "linkId": "1",
            "type": "group",
            "text": "Section",
            "item": [
                {"linkId": "1.1", "type": "string", "text": "Name"},
                {
                    "linkId": "1.2",
                    "type": "group",
                    "text": "Sub-heading",
                    "item": [
                        {"linkId": "1.2.1", "type": "integer", "text": "Age"},
                        {
                            "linkId": "1.2.2",
                            "type": "group",
                            "text": "Deeper",
                            "item": [{"linkId": "1.2.2.1", "type": "boolean", "text": "Smoker"}],
                        },
                    ],
                },
            ],
        }
    ],
}


def test_response_keeps_answers_inside_headed_nested_groups(tmp_path):
    """Issue #15: a group with a heading became a note and its answers were dropped."""
    registry, defn = install(NESTED_Q, tmp_path, [])
    assert defn is not None, registry.problems
    response = {
        "resourceType": "QuestionnaireResponse",
        "status": "completed",
        "item": [
            {
                "linkId": "1",
                "item": [
                    {"linkId": "1.1", "answer": [{"valueString": "Kari"}]},
                    {
                        "linkId": "1.2",
                        "item": [
                            {"linkId": "1.2.1", "answer": [{"valueInteger": 52}]},
                            {
                                "linkId": "1.2.2",
                                "item": [{"linkId": "1.2.2.1", "answer": [{"valueBoolean": True}]}],
                            },
                        ],
                    },
                ],
            }
        ],
    }
    answers = import_response(defn, response)["answers"]
    assert sorted(answers.values(), key=str) == sorted(["Kari", 52, "yes"], key=str)


def test_response_keeps_every_entry_of_a_nested_repeat(tmp_path, capsys):
    """Issue #15: a repeat inside a repeat kept one entry (with a warning); now it keeps all."""
    q = {
        "resourceType": "Questionnaire",
        "id": "nested-repeat",
        "version": "1.0.0",
        "status": "active",
        "item": [
            {
                "linkId": "p",
                "type": "group",
                "text": "Person",
                "repeats": True,
                "item": [
                    {"linkId": "p.name", "type": "string", "text": "Name"},
                    {
                        "linkId": "p.phone",
                        "type": "group",
                        "text": "Phone",
                        "repeats": True,
                        "item": [{"linkId": "p.phone.no", "type": "string", "text": "Number"}],
                    },
                ],
            }
        ],
    }
    _registry, defn = install(q, tmp_path, [])
    assert defn is not None
    response = {
        "resourceType": "QuestionnaireResponse",
        "status": "completed",
        "item": [
            {
                "linkId": "p",
                "item": [
                    {"linkId": "p.name", "answer": [{"valueString": "Kari"}]},
                    {
                        "linkId": "p.phone",
                        "item": [{"linkId": "p.phone.no", "answer": [{"valueString": "111"}]}],
                    },
                    {
                        "linkId": "p.phone",
                        "item": [{"linkId": "p.phone.no", "answer": [{"valueString": "222"}]}],
                    },
                ],
            }
        ],
    }
    capsys.readouterr()
    messages: list[str] = []
    answers = import_response(defn, response, report=messages.append)["answers"]
    assert answers == {"p": [{"p_name": "Kari", "p_phone": [{"p_phone_no": "111"}, {"p_phone_no": "222"}]}]}
    assert messages == []


def test_calculated_read_only_and_initial_are_located_warnings(tmp_path, capsys):
    """Issue #15: these were dropped without a word; now each names its linkId (and --strict fails)."""
    sdc = "http://hl7.org/fhir/uv/sdc/StructureDefinition/"
    q = {
        "resourceType": "Questionnaire",
        "id": "bmi",
        "version": "1.0.0",
        "status": "active",
        "extension": [
            {
                "url": "http://hl7.org/fhir/StructureDefinition/variable",
                "valueExpression": {"name": "w", "language": "text/fhirpath", "expression": "1"},
            }
        ],
        "item": [
            {
                "linkId": "g",
                "type": "group",
                "text": "Body",
                "item": [
                    {
                        "linkId": "weight",
                        "type": "decimal",
                        "text": "Weight",
                        "initial": [{"valueDecimal": 70}],
                    },
                    {
                        "linkId": "height",
                        "type": "decimal",
                        "text": "Height",
                        "initial": [{"valueString": "tall"}],
                    },
                    {
                        "linkId": "bmi",
                        "type": "decimal",
                        "text": "BMI",
                        "readOnly": True,
                        "extension": [
                            {
                                "url": sdc + "sdc-questionnaire-calculatedExpression",
                                "valueExpression": {"language": "text/fhirpath", "expression": "%w"},
                            }
                        ],
                    },
                ],
            }
        ],
    }
    warnings: list[str] = []
    data, _text = import_questionnaire(q, report=warnings.append)
    text = "\n".join(warnings)
    # calculated items, their variables and readOnly are carried over now (test_fhir_calculated.py)
    assert "variable" not in text and "calculatedExpression" not in text and "readOnly" not in text
    bmi = data["sections"][0]["items"][-1]
    assert bmi["read_only"] is True
    assert bmi["calculated"] == "(1)"  # FHIRPath %w with %w = 1, said in our expression language
    assert data["sections"][0]["items"][0]["initial"] == 70  # carried over now
    assert "item 'height': its initial value is not carried over" in text
    path = tmp_path / "q.json"
    path.write_text(json.dumps(q), "utf-8")
    assert main(["fhir", "import", str(path), "-o", str(tmp_path / "forms"), "--strict"]) == 1
    assert "initial" in capsys.readouterr().err
    assert not (tmp_path / "forms" / "bmi").exists()


def test_response_reads_quantity_and_coded_open_choice(tmp_path):
    """Issue #15: valueQuantity and a coded answer to an open-choice were written as raw objects."""
    q = {
        "resourceType": "Questionnaire",
        "id": "qty",
        "version": "1.0.0",
        "status": "active",
        "item": [
            {
                "linkId": "weight",
                "type": "quantity",
                "text": "Weight",
                "extension": [
                    {
                        "url": "http://hl7.org/fhir/StructureDefinition/questionnaire-unit",
                        "valueCoding": {"system": "http://unitsofmeasure.org", "code": "kg", "display": "kg"},
                    }
                ],
            },
            {"linkId": "height", "type": "quantity", "text": "Height"},
            {"linkId": "colour", "type": "open-choice", "text": "Colour"},
        ],
    }
    _registry, defn = install(q, tmp_path, [])
    assert defn is not None
    response = {
        "resourceType": "QuestionnaireResponse",
        "status": "completed",
        "item": [
            {"linkId": "weight", "answer": [{"valueQuantity": {"value": 71.5, "unit": "kg", "code": "kg"}}]},
            {"linkId": "height", "answer": [{"valueQuantity": {"value": 180, "unit": "cm"}}]},
            {"linkId": "colour", "answer": [{"valueCoding": {"code": "red", "display": "Red"}}]},
        ],
    }
    messages: list[str] = []
    answers = import_response(defn, response, report=messages.append)["answers"]
    assert sorted(answers.values(), key=str) == sorted([71.5, 180, "Red"], key=str)
    assert not [m for m in messages if "weight" in m], messages  # the form's own unit: no warning
    assert validate_answers_ok(defn, answers)


def validate_answers_ok(defn, answers) -> bool:
    from formengine.answers.check import validate_answers

    return [p for p in validate_answers(defn, answers, "qr.json") if p.severity == "error"] == []


def test_enable_when_on_a_headed_group_hides_its_questions(tmp_path):
    """Issue #15: a group's enableWhen hid only its heading; the questions inside still showed."""
    q = {
        "resourceType": "Questionnaire",
        "id": "gated",
        "version": "1.0.0",
        "status": "active",
        "item": [
            {
                "linkId": "s",
                "type": "group",
                "text": "Section",
                "item": [
                    {"linkId": "smokes", "type": "boolean", "text": "Do you smoke?"},
                    {
                        "linkId": "g",
                        "type": "group",
                        "text": "Smoking",
                        "enableWhen": [{"question": "smokes", "operator": "=", "answerBoolean": True}],
                        "item": [
                            {"linkId": "per_day", "type": "integer", "text": "How many a day?"},
                            {
                                "linkId": "inner",
                                "type": "group",
                                "text": "Quitting",
                                "enableWhen": [{"question": "per_day", "operator": ">", "answerInteger": 10}],
                                "item": [{"linkId": "tried", "type": "boolean", "text": "Tried to quit?"}],
                            },
                        ],
                    },
                ],
            }
        ],
    }
    registry, defn = install(q, tmp_path, [])
    assert defn is not None, registry.problems
    from formengine.answers.conditions import item_visible

    def shown(answers):
        return {item.id for item in defn.iter_items() if item_visible(defn, item, answers)}

    ids = {item.id: item for item in defn.iter_items()}
    per_day = next(i for i in ids if "per_day" in i)
    tried = next(i for i in ids if "tried" in i)
    smokes = next(i for i in ids if "smokes" in i)
    assert per_day not in shown({smokes: "no"}) and tried not in shown({smokes: "no"})
    assert per_day in shown({smokes: "yes"}) and tried not in shown({smokes: "yes", per_day: 5})
    assert tried in shown({smokes: "yes", per_day: 20})
