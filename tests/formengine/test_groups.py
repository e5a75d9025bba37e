"""Nested groups (issue #15): the ``group`` item type, repeat groups inside repeat groups, what
conditions hide, answer checking, scoring, and the FHIR round trip of a 3-level nested form."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import pytest
import yaml

from formengine.answers.check import prune_hidden, validate_answers
from formengine.answers.conditions import item_visible, visible_items
from formengine.answers.samples import sample_answers
from formengine.definition.builder.validation import Builder
from formengine.definition.loader import load_text
from formengine.definition.registry import load_registry
from formengine.fhir.export import export_questionnaire
from formengine.fhir.importer import import_questionnaire
from formengine.fhir.response import export_response, import_response
from formengine.fhir.validate import check_response
from formengine.scoring.engine import score

FORMS = Path(__file__).resolve().parents[1] / "data" / "forms"

ANSWERS = {
    "lives_with": "yes",
    "rooms": 4,
    "sleep": "often",
    "worry": "sometimes",
    "people": [
        {
            "person_name": "Ola",
            "gets_help": "yes",
            "services": [
                {"service_kind": "home_nursing", "service_ok": "yes"},
                {"service_kind": "practical", "service_ok": "no", "service_note": "Kommer for sent"},
            ],
        },
        {"person_name": "Kari", "gets_help": "no"},
        {"person_name": "Per", "gets_help": "yes", "services": [{"service_kind": "day_centre"}]},
    ],
    "wants_call": "yes",
    "call_time": "Etter kl. 16",
}


@pytest.fixture(scope="module")
def defn():
    return load_registry(FORMS).get("nested-groups", "1.0.0")


def leaves(value, path=""):
    """Every leaf answer as (path, value): list positions count, so a lost entry shows."""
    if isinstance(value, dict):
        return [leaf for k, v in value.items() for leaf in leaves(v, f"{path}/{k}")]
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return [leaf for n, v in enumerate(value) for leaf in leaves(v, f"{path}[{n}]")]
    return [(path, json.dumps(value, sort_keys=True))]


def problems(text: str) -> list[str]:
    builder = Builder(load_text(text, "t.yaml"))
    builder.build()
    return [p.code for p in builder.problems]


HEAD = """\
id: t
version: 1.0.0
status: draft
title: T
languages: [nb]
default_language: nb
sections:
  - id: s
    title: S
    items:
"""


def test_group_model_opens_groups_for_answers(defn):
    home = defn.section("home")
    assert [i.id for i in home.items] == ["lives_with", "household"]
    assert [i.id for i in home.fields] == ["lives_with", "rooms", "sleep", "worry", "people"]
    assert [i.id for i in defn.item("people").fields] == ["person_name", "gets_help", "services"]
    assert defn.item("services").parent == "people" and defn.item("service_kind").parent == "services"
    assert [a.id for a in defn.ancestors("service_note")] == [
        "household",
        "people",
        "person_help",
        "services",
    ]
    assert defn.section_of["service_note"] == "home"


def test_group_validation_errors_are_located():
    assert problems(HEAD + "      - {id: g, type: group, items: []}\n") == ["FE148"]
    assert problems(HEAD + "      - {id: g, type: group, label: G}\n") == ["FE101"]
    assert problems(
        HEAD + "      - {id: g, type: group, required: true, items: [{id: a, type: text, label: A}]}\n"
    ) == ["FE119"]
    # a repeat inside a repeat is fine now; an item of the inner repeat is unknown outside it
    nested = (
        "      - id: r\n        type: repeat\n        label: R\n        items:\n"
        "          - id: r2\n            type: repeat\n            label: R2\n            items:\n"
        "              - {id: c, type: text, label: C}\n"
        "          - {id: d, type: text, label: D, show_if: \"c == 'x'\"}\n"
    )
    assert problems(HEAD + nested) == ["FE209"]
    assert problems(HEAD + nested.replace("c == 'x'", "count(r2) > 0")) == []


def test_answers_of_nested_groups_are_checked(defn):
    assert validate_answers(defn, ANSWERS) == []
    bad = copy.deepcopy(ANSWERS)
    bad["people"][0]["services"][1]["service_kind"] = "taxi"
    bad["people"][2]["services"][0]["nope"] = 1
    bad["household"] = "x"  # a group has no answer of its own
    codes = sorted((p.code, p.args.get("item")) for p in validate_answers(defn, bad))
    assert codes == [("FE501", "household"), ("FE501", "services.nope"), ("FE502", "service_kind")]
    too_many = copy.deepcopy(ANSWERS)
    too_many["people"][0]["services"] = [{}] * 5
    assert [p.code for p in validate_answers(defn, too_many)] == ["FE504"]


def test_a_hidden_group_hides_everything_inside(defn):
    closed = {**ANSWERS, "lives_with": "no"}
    assert prune_hidden(defn, closed) == {
        "lives_with": "no",
        "wants_call": "yes",
        "call_time": "Etter kl. 16",
    }
    shown = visible_items(defn, closed)
    assert "household" not in shown and "rooms" not in shown and "people" not in shown
    assert {"household", "rooms", "sleep", "people"} <= visible_items(defn, ANSWERS)
    assert not item_visible(defn, defn.item("service_kind"), closed, {"gets_help": "yes"})
    # inside an entry: the group hides the nested repeat for that entry only
    pruned = prune_hidden(
        defn, {**ANSWERS, "people": [{"gets_help": "no", "services": [{"service_kind": "practical"}]}]}
    )
    assert pruned["people"] == [{"gets_help": "no"}]
    assert item_visible(defn, defn.item("service_kind"), ANSWERS, {"gets_help": "yes"})
    assert not item_visible(
        defn, defn.item("service_note"), ANSWERS, {"gets_help": "yes", "service_ok": "yes"}
    )


def test_scales_count_items_inside_a_group_and_not_when_hidden(defn):
    values = {s["id"]: s["value"] for s in score(defn, ANSWERS, "nb").as_json()["scales"]}
    assert values == {"nights_strain": 3.0}
    hidden = {
        s["id"]: s["value"] for s in score(defn, {**ANSWERS, "lives_with": "no"}, "nb").as_json()["scales"]
    }
    assert hidden == {"nights_strain": None}


def test_sample_answers_fill_nested_groups(defn):
    for seed in range(6):
        assert validate_answers(defn, sample_answers(defn, seed)) == []


def test_fhir_round_trip_keeps_every_leaf_answer(defn, tmp_path):
    questionnaire = export_questionnaire(defn)
    household = questionnaire["item"][0]["item"][1]
    assert household["linkId"] == "household" and household["type"] == "group"
    assert household["enableWhen"][0]["question"] == "lives_with"
    people = next(i for i in household["item"] if i["linkId"] == "people")
    person_help = next(i for i in people["item"] if i["linkId"] == "person_help")
    assert people["repeats"] is True and person_help["item"][0]["repeats"] is True
    response = export_response(defn, {"answers": ANSWERS})
    assert check_response(questionnaire, response) == []
    entries = response["item"][0]["item"][1]["item"]
    assert [e["linkId"] for e in entries].count("people") == 3

    warnings: list[str] = []
    data, text = import_questionnaire(questionnaire, report=warnings.append)
    path = tmp_path / "forms" / data["id"] / f"{data['version']}.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(text, "utf-8")
    registry = load_registry(tmp_path / "forms")
    imported = registry.get("nested-groups", "1.0.0")
    assert imported.item("household").type == "group" and imported.item("household").show_if is not None
    assert imported.item("services").type == "repeat" and imported.item("services").parent == "people"
    assert imported.item("service_kind").show_if is None  # the group's condition stays on the group
    back = import_response(imported, response, report=warnings.append)["answers"]
    assert sorted(leaves(back)) == sorted(leaves(ANSWERS))
    assert len(leaves(back)) == 18
    assert warnings == []


def test_po_round_trip_keeps_group_labels_and_help(tmp_path, capsys):
    from babel.messages.pofile import read_po

    from formengine.cli.main import main

    root = tmp_path / "forms"
    shutil.copytree(FORMS, root)
    path = root / "nested-groups" / "1.0.0.yaml"
    original = path.read_text("utf-8")
    po = tmp_path / "en.po"
    assert (
        main(["--forms", str(root), "i18n", "export", "nested-groups@1.0.0", "--lang", "en", "-o", str(po)])
        == 0
    )
    with po.open("rb") as handle:
        entries = {m.context: m for m in read_po(handle) if m.id}
    for key in (
        "household.label",
        "household.help",
        "person_help.label",
        "services.add_label",
        "service_note.label",
    ):
        assert any(context.endswith(f"items.{key}") for context in entries), key
    path.write_text(
        original.replace("en: The household", "en: Household").replace(
            "en: The help the person gets", "en: Help"
        ),
        "utf-8",
    )
    assert main(["--forms", str(root), "i18n", "import", "nested-groups@1.0.0", str(po)]) == 0
    assert path.read_text("utf-8") == original


def test_text_view_and_diff_show_groups(capsys):
    from formengine.definition.diff import diff
    from formengine.render.textview import render_text

    defn = load_registry(FORMS).get("nested-groups", "1.0.0")
    text = render_text(defn, "nb")
    assert "▸ Husstanden   [group]" in text and "▸ Hjelpen personen får   [group]" in text
    assert text.index("Hjelpen personen får") < text.index("Hvilken tjeneste?")
    data = yaml.safe_load((FORMS / "nested-groups" / "1.0.0.yaml").read_text("utf-8"))
    data["version"] = "1.1.0"
    data["sections"][0]["items"][1]["items"][2]["items"][2]["items"][0]["items"].append(
        {"id": "service_since", "type": "date", "label": {"nb": "Siden", "nn": "Sidan", "en": "Since"}}
    )
    builder = Builder(load_text(yaml.safe_dump(data, allow_unicode=True), "new.yaml"))
    newer = builder.build()
    assert newer is not None, builder.problems
    changes = diff(defn, newer)
    assert changes.level == "minor" and ("minor", "item added", "service_since (date)") in changes.changes
    data["sections"][0]["items"][1]["items"].insert(
        0, data["sections"][0]["items"][1]["items"][2]["items"].pop(0)
    )
    moved = Builder(load_text(yaml.safe_dump(data, allow_unicode=True), "moved.yaml")).build()
    assert ("major", "moved", "person_name: repeat group people → –") in diff(defn, moved).changes


def test_documents_print_group_headings(defn):
    from formengine.summary import agreement_html, blank_html, summary_html

    relative = summary_html(defn, ANSWERS, lang="nb", copy="relative")
    assert '<h3 class="group-heading">Husstanden</h3>' in relative
    assert "Tjeneste: Hjemmesykepleie, Ja · Praktisk bistand, Nei, Kommer for sent" in relative
    agreement = agreement_html(defn, ANSWERS, lang="nb")
    assert '<h3 class="group-heading">Husstanden</h3>' in agreement
    assert '<h3 class="group-heading">Hjelpen' not in agreement  # inside a repeat: a column of its table
    blank = blank_html(defn, lang="nb")
    assert '<h3 class="group-heading">Husstanden</h3>' in blank and "Hvor mange rom har boligen?" in blank
    meeting = summary_html(defn, ANSWERS, lang="nb")
    assert "Husstanden › Hvor mange rom har boligen?" in meeting
    hidden = agreement_html(defn, {**ANSWERS, "lives_with": "no"}, lang="nb")
    assert "Husstanden" not in hidden and "Hvor mange rom" not in hidden


def test_pdfs_build_for_nested_groups(defn):
    from formengine.summary import render_agreement_pdf, render_blank_pdf, render_summary_pdf

    for pdf in (
        render_summary_pdf(defn, ANSWERS, lang="nb"),
        render_summary_pdf(defn, ANSWERS, lang="nb", copy="relative"),
        render_agreement_pdf(defn, ANSWERS, lang="nb"),
        render_blank_pdf(defn, lang="nb"),
    ):
        assert pdf.startswith(b"%PDF") and len(pdf) > 5000


def test_conversation_only_is_refused_inside_a_nested_repeat():
    nested = (
        "      - id: r\n        type: repeat\n        label: R\n        items:\n"
        "          - {id: a, type: text, label: A, conversation_only: true}\n"
        "          - id: r2\n            type: repeat\n            label: R2\n            items:\n"
        "              - {id: c, type: text, label: C, conversation_only: default}\n"
    )
    assert problems(HEAD + nested) == ["FE153"]


REPEATING_QUESTION = {  # the shape of LHC-Forms' nested-repeating-groups test form (linkIds shortened)
    "resourceType": "Questionnaire",
    "id": "family",
    "version": "1.0.0",
    "status": "active",
    "item": [
        {
            "linkId": "who",
            "type": "string",
            "text": "Family member",
            "repeats": True,
            "item": [
                {
                    "linkId": "when",
                    "type": "string",
                    "text": "Diagnosed",
                    "item": [{"linkId": "what", "type": "string", "text": "Condition"}],
                }
            ],
        }
    ],
}


def test_a_repeating_question_with_questions_under_it_keeps_every_answer(tmp_path):
    """Issue #15: LHC-Forms' nested repeating questions kept only the first of each (3 of 6)."""
    data, text = import_questionnaire(REPEATING_QUESTION, report=lambda m: None)
    path = tmp_path / "forms" / "family" / "1.0.0.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(text, "utf-8")
    defn = load_registry(tmp_path / "forms").get("family", "1.0.0")
    assert [(i.id, i.type, i.parent) for i in defn.iter_items()] == [
        ("who_entries", "repeat", None),
        ("who", "text", "who_entries"),
        ("when", "text", "who_entries"),
        ("what", "text", "who_entries"),
    ]

    def answer(value, *under):
        return {"valueString": value, **({"item": list(under)} if under else {})}

    response = {
        "resourceType": "QuestionnaireResponse",
        "status": "completed",
        "item": [
            {
                "linkId": "who",
                "answer": [
                    answer(
                        "Mother",
                        {
                            "linkId": "when",
                            "answer": [answer("2019", {"linkId": "what", "answer": [answer("Asthma")]})],
                        },
                    )
                ],
            },
            {
                "linkId": "who",
                "answer": [
                    answer(
                        "Father",
                        {
                            "linkId": "when",
                            "answer": [answer("2021", {"linkId": "what", "answer": [answer("Diabetes")]})],
                        },
                    )
                ],
            },
        ],
    }
    warnings: list[str] = []
    answers = import_response(defn, response, report=warnings.append)["answers"]
    assert answers == {
        "who_entries": [
            {"who": "Mother", "when": "2019", "what": "Asthma"},
            {"who": "Father", "when": "2021", "what": "Diabetes"},
        ]
    }
    assert warnings == [] and validate_answers(defn, answers) == []
    assert check_response(export_questionnaire(defn), export_response(defn, {"answers": answers})) == []


def test_a_variant_adds_and_hides_items_inside_groups(tmp_path):
    root = tmp_path / "forms"
    shutil.copytree(FORMS, root)
    variant = root / "nested-groups-local" / "1.0.0.yaml"
    variant.parent.mkdir()
    variant.write_text(
        """\
id: nested-groups-local
version: 1.0.0
status: active
extends: nested-groups@1.0.0
municipality: {id: "0301", name: Oslo}
changes:
  - op: add_items
    after: service_ok
    items:
      - {id: service_hours, type: number, label: {nb: Timer i uka, nn: Timar i veka, en: Hours a week}}
  - op: hide
    target: rooms
""",
        "utf-8",
    )
    registry = load_registry(root)
    assert not registry.problems, [p.format() for p in registry.problems]
    local = registry.get("nested-groups-local", "1.0.0")
    assert [c.id for c in local.item("services").items] == [
        "service_kind",
        "service_ok",
        "service_hours",
        "service_note",
    ]
    assert "rooms" not in local.items_by_id and "household" in local.items_by_id


def test_fhir_groups_without_text_keep_their_enable_when(tmp_path):
    q = {
        "resourceType": "Questionnaire",
        "id": "plain",
        "version": "1.0.0",
        "status": "active",
        "item": [
            {
                "linkId": "s",
                "type": "group",
                "text": "Part",
                "item": [
                    {"linkId": "smokes", "type": "boolean", "text": "Smoker?"},
                    {
                        "linkId": "g",
                        "type": "group",
                        "enableWhen": [{"question": "smokes", "operator": "=", "answerBoolean": True}],
                        "item": [{"linkId": "per_day", "type": "integer", "text": "How many a day?"}],
                    },
                ],
            }
        ],
    }
    warnings: list[str] = []
    data, text = import_questionnaire(q, report=warnings.append)
    path = tmp_path / "forms" / "plain" / "1.0.0.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(text, "utf-8")
    defn = load_registry(tmp_path / "forms").get("plain", "1.0.0")
    group = defn.item("g")
    assert group.type == "group" and not group.label and group.show_if.source == "smokes == 'yes'"
    assert defn.item("per_day").show_if is None and not any("enableWhen" in w for w in warnings)
    assert prune_hidden(defn, {"smokes": "no", "per_day": 10}) == {"smokes": "no"}
