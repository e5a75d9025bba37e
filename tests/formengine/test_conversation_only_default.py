"""`conversation_only: default`: accepted, recorded, serialised, in the JSON Schema; marks per repeat entry."""

from __future__ import annotations

import jsonschema
import yaml

from formengine.answers.privacy import default_marks, effective_marks, is_marked, parse_mark, strip_marked
from formengine.definition.builder.validation import Builder
from formengine.definition.loader import load_text
from formengine.definition.schema import build_schema
from formengine.definition.serialize import item_json

FORM = """\
id: t
version: 1.0.0
status: active
title: T
languages: [nb]
default_language: nb
sections:
  - id: s
    title: S
    items:
      - {id: a, type: text, label: A, conversation_only: default}
      - {id: b, type: text, label: B, conversation_only: true}
      - {id: c, type: text, label: C, conversation_only: false}
      - id: r
        type: repeat
        label: R
        items:
          - {id: n, type: text, label: N, conversation_only: default}
          - {id: m, type: text, label: M}
"""


def build(text: str):
    builder = Builder(load_text(text, "t.yaml"))
    return builder.build(), builder.problems


def test_default_true_and_false_are_accepted_and_recorded():
    defn, problems = build(FORM)
    assert problems == []
    got = {i.id: (i.conversation_only, i.conversation_only_default) for i in defn.iter_items()}
    assert got == {
        "a": (True, True),
        "b": (True, False),
        "c": (False, False),
        "r": (False, False),
        "n": (True, True),
        "m": (False, False),
    }


def test_another_word_is_a_located_error():
    _, problems = build(FORM.replace("conversation_only: false", "conversation_only: maybe"))
    assert [(p.code, p.location.line) for p in problems] == [("FE103", 13)]
    assert "true, false or default" in problems[0].message


def test_serialised_and_accepted_by_the_json_schema():
    defn, _ = build(FORM)
    assert item_json(defn.item("a"))["conversation_only"] == "default"
    assert item_json(defn.item("b"))["conversation_only"] is True
    jsonschema.validate(yaml.safe_load(FORM), build_schema(), cls=jsonschema.Draft202012Validator)
    bad = yaml.safe_load(FORM.replace("conversation_only: false", "conversation_only: maybe"))
    try:
        jsonschema.validate(bad, build_schema(), cls=jsonschema.Draft202012Validator)
    except jsonschema.ValidationError:
        pass
    else:
        raise AssertionError("the schema accepted conversation_only: maybe")


def test_default_marks_cover_each_repeat_entry():
    defn, _ = build(FORM)
    answers = {"a": "x", "r": [{"n": "one"}, {"n": "two"}]}
    assert default_marks(defn, answers) == ["a", "r[0].n", "r[1].n"]
    assert effective_marks(defn, answers, None) == ["a", "r[0].n", "r[1].n"]
    assert effective_marks(defn, answers, []) == []


def test_a_mark_on_one_entry_leaves_the_other_entries_alone():
    defn, _ = build(FORM)
    answers = {"b": "kept", "r": [{"n": "person 1", "m": "x"}, {"n": "person 2", "m": "y"}]}
    shown, left_out = strip_marked(defn, answers, ["r[1].n"])
    assert shown == {"b": "kept", "r": [{"n": "person 1", "m": "x"}, {"m": "y"}]}
    assert left_out == 1
    assert is_marked(["r[1].n"], "n", 1, "r") and not is_marked(["r[1].n"], "n", 0, "r")
    assert is_marked(["n"], "n", 0, "r")  # an item-level mark on a child marks every entry
    assert parse_mark("r[12].n") == parse_mark("r[12].n") and parse_mark("r[12].n").index == 12


def test_fhir_export_and_import_keep_the_default(tmp_path):
    from formengine.definition.registry import load_registry
    from formengine.fhir.export import export_questionnaire
    from formengine.fhir.importer import import_questionnaire

    defn, _ = build(FORM)
    _data, text = import_questionnaire(export_questionnaire(defn), report=lambda m: None)
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "1.0.0.yaml").write_text(text, "utf-8")
    back = load_registry(tmp_path).get("t", "1.0.0")
    assert [(i.id, i.conversation_only, i.conversation_only_default) for i in back.iter_items()] == [
        (i.id, i.conversation_only, i.conversation_only_default) for i in defn.iter_items()
    ]


def test_paper_form_asks_to_allow_the_record_for_default_items():
    from formengine.summary import blank_html

    defn, _ = build(FORM)
    html = blank_html(defn, lang="nb")
    assert html.count("Dette svaret kan stå i journalen. Uten kryss er det bare til samtalen.") == 1  # a
    assert "Kan stå i journalen (uten kryss: bare til samtalen)" in html  # r: a box per entry
    assert html.count("Dette svaret er bare til samtalen (ikke til journalen).") == 1  # b


def test_alert_and_safety_keys_on_flags_and_crisis_contacts():
    text = (
        FORM
        + """\
contacts:
  - {id: vakt, name: Vakttelefon, phone: "+47 00 00 00 09", crisis: true}
  - {id: kontor, name: Kontoret}
scoring:
  flags:
    - {id: f_safety, when: "a == 'x'", severity: medium, message: M, safety: true}
    - {id: f_high, when: "a == 'x'", severity: high, message: M}
    - {id: f_high_quiet, when: "a == 'x'", severity: high, message: M, alert: false}
    - {id: f_info_alert, when: "a == 'x'", severity: info, message: M, alert: true}
"""
    )
    defn, problems = build(text)
    assert problems == []
    assert {f.id: f.raises_alert for f in defn.scoring.flags} == {
        "f_safety": True,
        "f_high": True,
        "f_high_quiet": False,
        "f_info_alert": True,
    }
    assert [f.id for f in defn.scoring.flags if f.safety] == ["f_safety"]
    assert [c.id for c in defn.contacts if c.crisis] == ["vakt"]
    jsonschema.validate(yaml.safe_load(text), build_schema(), cls=jsonschema.Draft202012Validator)
    _, problems = build(text.replace("safety: true", "safety: sometimes"))
    assert [p.code for p in problems] == ["FE103"]
