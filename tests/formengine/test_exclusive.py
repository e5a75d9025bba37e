"""An exclusive option of a multi_choice ("none of these"): format checks, answers, diff, FHIR."""

from __future__ import annotations

from pathlib import Path

import pytest

from formengine.answers.check import check_value, validate_answers
from formengine.answers.samples import sample_answers
from formengine.definition.registry import load_registry
from tests.formengine.test_cards_definition import build, items_form

REPO = Path(__file__).resolve().parents[2]

AREAS = """\
- id: areas
  type: multi_choice
  label: Hva er tungt?
  options:
    - {value: sleep, label: Søvn}
    - {value: work, label: Jobb}
    - {value: nothing, exclusive: true, label: Ingenting}
"""


def test_an_exclusive_option_loads_and_is_shown_in_json_and_the_schema():
    import jsonschema
    import yaml

    from formengine.definition.schema import build_schema
    from formengine.definition.serialize import definition_json

    text = items_form(AREAS)
    defn, problems = build(text)
    assert problems == []
    assert [o.exclusive for o in defn.item("areas").options] == [False, False, True]
    shown = definition_json(defn)["sections"][0]["items"][0]["options"]
    assert [o.get("exclusive") for o in shown] == [None, None, True]
    assert list(jsonschema.Draft202012Validator(build_schema()).iter_errors(yaml.safe_load(text))) == []


FORMAT_CASES = {
    "on a single_choice": (
        """\
        - id: one
          type: single_choice
          label: One
          options:
            - {value: a, label: A}
            - {value: b, exclusive: true, label: B}
        """,
        ["FE156@16:24"],
    ),
    "on a priority": (
        """\
        - id: rank
          type: priority
          label: Rank
          options:
            - {value: a, label: A}
            - {value: b, label: B}
            - value: none
              exclusive: true
              label: None
        """,
        ["FE156@18:13"],
    ),
    "in an option set a single_choice uses": (
        """\
        - id: one
          type: single_choice
          label: One
          options: shared
        - id: many
          type: multi_choice
          label: Many
          options: shared
        """,
        ["FE156@14:9"],
    ),
    "on a cards column": (
        """\
        - id: c
          type: cards
          label: C
          rows: [{id: r, label: R}]
          columns: [{id: q, label: Q, options: [{value: y, label: Y}, {value: n, exclusive: true, label: N}]}]
        """,
        ["FE156@15:80"],
    ),
    "every option exclusive": (
        """\
        - id: many
          type: multi_choice
          label: Many
          options:
            - {value: a, exclusive: true, label: A}
            - {value: b, exclusive: true, label: B}
        """,
        ["FE157@14:9"],
    ),
    "in the rows_from source of cards": (
        AREAS
        + """\
- id: c
  type: cards
  label: C
  rows_from: areas
  columns: [{id: q, label: Q, options: [{value: y, label: Y}]}]
""",
        ["FE158@21:20"],
    ),
    "not a boolean": (
        """\
        - id: many
          type: multi_choice
          label: Many
          options:
            - {value: a, label: A}
            - {value: b, exclusive: "yes", label: B}
        """,
        ["FE103@16:35"],
    ),
}

SETS = """\
option_sets:
  shared:
    - {value: a, label: A}
    - {value: none, exclusive: true, label: None}
"""


@pytest.mark.parametrize("case", FORMAT_CASES, ids=list(FORMAT_CASES))
def test_exclusive_problems_are_coded_and_located(case):
    items, expected = FORMAT_CASES[case]
    _defn, problems = build(items_form(items, SETS))
    assert problems == expected


def test_two_exclusive_options_and_a_not_applicable_one_are_allowed():
    _defn, problems = build(
        items_form(
            """\
            - id: many
              type: multi_choice
              label: Many
              options:
                - {value: a, label: A}
                - {value: dont_know, exclusive: true, label: Vet ikke}
                - {value: none, exclusive: true, not_applicable: true, label: Ikke aktuelt}
            """
        )
    )
    assert problems == []


def test_the_exclusive_option_with_another_is_fe511():
    defn, _ = build(items_form(AREAS))
    item = defn.item("areas")
    assert validate_answers(defn, {"areas": ["nothing"]}) == []
    assert validate_answers(defn, {"areas": ["sleep", "work"]}) == []
    problems = validate_answers(defn, {"areas": ["sleep", "nothing"]})
    assert [(p.code, p.args) for p in problems] == [("FE511", {"item": "areas", "option": "nothing"})]
    assert "remove 'nothing'" in problems[0].hint
    nb = problems[0].message_in("nb")
    assert "'nothing' i 'areas' er krysset av sammen med andre svar" in nb
    assert [p.code for p in check_value(item, ["nothing", "work"])] == ["FE511"]


def test_an_initial_value_that_mixes_is_refused():
    text = items_form(AREAS.replace("  options:", "  initial: [sleep, nothing]\n  options:"))
    _defn, problems = build(text)
    assert [p.split("@")[0] for p in problems] == ["FE150"]


def test_samples_never_tick_the_exclusive_option_with_another():
    defn, _ = build(items_form(AREAS))
    seen = set()
    for seed in range(60):
        value = sample_answers(defn, seed=seed).get("areas")
        assert validate_answers(defn, {"areas": value}) == []
        seen.add(tuple(value))
    assert ("nothing",) in seen and any(len(v) > 1 for v in seen)


def test_making_an_option_exclusive_is_major_and_undoing_it_minor():
    from formengine.definition.diff import diff

    plain, _ = build(items_form(AREAS.replace("exclusive: true, ", "")))
    marked, _ = build(items_form(AREAS))
    assert ("major", "exclusive changed", "areas: nothing False → True") in diff(plain, marked).changes
    assert diff(plain, marked).level == "major"
    assert diff(marked, plain).changes == [("minor", "exclusive changed", "areas: nothing True → False")]


def test_the_shipped_forms_mark_nothing_exclusive_and_load_strict():
    registry = load_registry(REPO / "forms", strict=True)
    assert [p.format() for p in registry.errors] == []
    core = registry.definitions[("parorende-kartlegging", "2.0.0")]
    followup = registry.definitions[("parorende-oppfolging", "2.0.0")]
    for defn, item, value in (
        (core, "strain_areas", "nothing"),
        (core, "info_wanted", "nothing_now"),
        (followup, "info_wanted", "nothing_now"),
    ):
        options = defn.item(item).options
        assert [o.value for o in options if o.exclusive] == [value]
        assert [p.code for p in validate_answers(defn, {item: [options[0].value, value]})] == ["FE511"]


def test_fhir_exports_option_exclusive_and_reads_it_back():
    from formengine.definition.builder.validation import Builder
    from formengine.definition.loader import load_text
    from formengine.fhir.common import OPTION_EXCLUSIVE
    from formengine.fhir.export import export_questionnaire
    from formengine.fhir.importer import import_questionnaire

    defn, _ = build(items_form(AREAS))
    q = export_questionnaire(defn)
    item = next(i for i in q["item"][0]["item"] if i["linkId"] == "areas")
    marks = [
        [e for e in o.get("extension", []) if e["url"] == OPTION_EXCLUSIVE] for o in item["answerOption"]
    ]
    assert marks == [[], [], [{"url": OPTION_EXCLUSIVE, "valueBoolean": True}]]
    assert OPTION_EXCLUSIVE == "http://hl7.org/fhir/StructureDefinition/questionnaire-optionExclusive"
    _data, text = import_questionnaire(q, report=lambda message: None)
    doc = load_text(text, "imported.yaml")
    back = Builder(doc).build()
    assert [o.exclusive for o in back.item("areas").options] == [False, False, True]


def test_fhir_import_ignores_option_exclusive_on_a_question_that_does_not_repeat():
    from formengine.fhir.common import OPTION_EXCLUSIVE
    from formengine.fhir.options import read_options

    item = {
        "linkId": "one",
        "type": "choice",
        "answerOption": [
            {"valueCoding": {"code": "a", "display": "A"}},
            {
                "valueCoding": {"code": "b", "display": "B"},
                "extension": [{"url": OPTION_EXCLUSIVE, "valueBoolean": True}],
            },
        ],
    }
    options, _codes = read_options(item, {}, "nb", lambda *a, **k: None)
    assert [o.get("exclusive") for o in options] == [None, None]
    options, _codes = read_options(dict(item, repeats=True), {}, "nb", lambda *a, **k: None)
    assert [o.get("exclusive") for o in options] == [None, True]


def test_the_paper_form_and_the_text_view_say_it_is_ticked_alone():
    from formengine.render.textview import render_text
    from formengine.summary.documents import blank_item

    defn, _ = build(items_form(AREAS))
    assert blank_item(defn, defn.item("areas"), "nb")["instruction"] == (
        "Kryss av for alle som passer. Krysser du av for «Ingenting», skal du ikke krysse av for noe annet."
    )
    assert (
        "If you tick “Ingenting”, tick nothing else."
        in blank_item(defn, defn.item("areas"), "en")["instruction"]
    )
    assert "[ ] Ingenting   [bare alene / alone]" in render_text(defn, "nb")
    assert "[ ] Søvn\n" in render_text(defn, "nb")


def test_exclusive_is_no_text_and_survives_the_po_round_trip(forms_root, tmp_path, capsys):
    import yaml

    from formengine.cli.main import main

    path = forms_root / "test" / "1.0.0.yaml"
    path.parent.mkdir(parents=True)
    original = items_form(AREAS).replace("languages: [nb]", "languages: [nb, en]")
    path.write_text(original, "utf-8")
    po = tmp_path / "en.po"
    args = ["--forms", str(forms_root), "i18n", "export", "test@1.0.0", "--lang", "en", "-o", str(po)]
    assert main(args) == 0
    assert "exclusive:" not in po.read_text(
        "utf-8"
    ) and 'msgctxt "areas.options.nothing.exclusive' not in po.read_text("utf-8")
    assert main(["--forms", str(forms_root), "i18n", "import", "test@1.0.0", str(po)]) == 0
    assert yaml.safe_load(path.read_text("utf-8")) == yaml.safe_load(original)
    assert main(["check", "-q", str(path)]) == 0, capsys.readouterr().out  # 'en' is not translated yet
