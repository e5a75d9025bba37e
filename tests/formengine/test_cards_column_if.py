"""A condition on a card column (``columns: - show_if:``): load-time checks, which cells a card asks,
pruning, answer checks, samples, pre-fill and scoring counts."""

from __future__ import annotations

import pytest

from formengine.answers.check import validate_answers
from formengine.answers.conditions import card_columns_asked, effective_answers, prune_card_answers
from formengine.answers.samples import sample_answers
from formengine.scoring.engine import score
from tests.formengine.cards_form import EXPECTS_IF, cards_form
from tests.formengine.test_cards_definition import CARD_ITEMS, build, items_form


@pytest.fixture(scope="module")
def defn():
    built, problems = build(cards_form(expects_if=EXPECTS_IF))
    assert problems == []
    return built


def card(columns: str) -> str:
    """The test head with a cards item whose columns are ``columns`` (YAML flow lines)."""
    head = "        - id: c\n          type: cards\n          label: C\n          rows_from: pick\n          columns:\n"
    return items_form(CARD_ITEMS + head + columns)


COLUMNS = """\
            - {id: who, label: Who, options: [{value: me, label: Me}, {value: nobody, label: Nobody}, {value: na, label: NA, not_applicable: true}]}
            - {id: how, label: How, options: [{value: same, label: Same}, {value: less, label: Less}]}
"""


def test_the_condition_is_read_into_the_column(defn):
    expects = defn.item("tasks").column("expects")
    assert expects.show_if is not None and expects.show_if.source == EXPECTS_IF
    assert defn.item("tasks").column("from_now").show_if is None


CASES = {
    "syntax error": ("show_if: \"how in ['less'\"", ["FE201@22:94"]),
    "unknown column": ("show_if: \"hw == 'less'\"", ["FE154@22:80"]),
    "a form-level item": ('show_if: "count(pick) > 1"', ["FE154@22:86"]),
    "a card cell path": ("show_if: \"c.a.how == 'less'\"", ["FE154@22:80"]),
    "itself": ("show_if: \"what == 'x'\"", ["FE155@22:80"]),
    "a later column": ("show_if: \"later == 'x'\"", ["FE155@22:80"]),
    "a literal not among the column's options": ("show_if: \"how == 'more'\"", ["FE204@22:80"]),
    "a literal in a list": ("show_if: \"who in ['me', 'noone']\"", ["FE204@22:80"]),
    "not text": ("show_if: [how]", ["FE103@22:79"]),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_column_condition_problems_are_located(case):
    condition, expected = CASES[case]
    text = card(
        COLUMNS
        + f"            - {{id: what, label: What, options: [{{value: x, label: X}}], {condition}}}\n"
        + "            - {id: later, label: Later, options: [{value: x, label: X}]}\n"
    )
    _, problems = build(text)
    assert problems == expected


def test_a_valid_condition_on_earlier_columns_loads():
    text = card(
        COLUMNS
        + "            - {id: what, label: What, options: [{value: x, label: X}], "
        + "show_if: \"how == 'less' or who == 'nobody' or answered(who) and not answered(how)\"}\n"
    )
    defn, problems = build(text)
    assert problems == []
    assert defn.item("c").column("what").show_if.qualified("c.a.") == (
        "c.a.how == 'less' or c.a.who == 'nobody' or answered(c.a.who) and not answered(c.a.how)"
    )


def test_a_column_is_asked_only_when_its_condition_holds(defn):
    tasks = defn.item("tasks")
    assert card_columns_asked(tasks, {}) == ["who_now", "from_now"]
    assert card_columns_asked(tasks, {"who_now": "me", "from_now": "same"}) == ["who_now", "from_now"]
    assert card_columns_asked(tasks, {"who_now": "me", "from_now": "less"}) == [
        "who_now",
        "from_now",
        "expects",
    ]
    assert card_columns_asked(tasks, {"who_now": "services"}) == ["who_now", "from_now", "expects"]
    # "not applicable" still ends the card, whatever the later conditions say
    assert card_columns_asked(tasks, {"who_now": "not_applicable", "from_now": "stop"}) == ["who_now"]


def test_cells_whose_condition_does_not_hold_are_pruned_everywhere(defn):
    tasks = defn.item("tasks")
    answers = {
        "helps_with": ["medicine", "shopping"],
        "tasks": {
            "medicine": {"who_now": "me", "from_now": "same", "expects": "help"},  # expects not asked
            "shopping": {"who_now": "me", "from_now": "less", "expects": "help"},
        },
    }
    assert prune_card_answers(tasks, answers["tasks"], answers) == {
        "medicine": {"who_now": "me", "from_now": "same"},
        "shopping": {"who_now": "me", "from_now": "less", "expects": "help"},
    }
    assert effective_answers(defn, answers)["tasks"]["medicine"] == {"who_now": "me", "from_now": "same"}
    codes = [(p.code, p.args.get("item")) for p in validate_answers(defn, answers)]
    assert codes == [("FE510", "tasks.medicine.expects")]
    assert EXPECTS_IF in validate_answers(defn, answers)[0].message_in("en")


def test_fe509_still_names_the_column_that_ended_the_card(defn):
    answers = {
        "helps_with": ["medicine"],
        "tasks": {"medicine": {"who_now": "not_applicable", "expects": "help"}},
    }
    assert [p.code for p in validate_answers(defn, answers)] == ["FE509"]


def test_an_item_condition_sees_a_cell_not_asked_as_unanswered(defn):
    answers = {
        "helps_with": ["shopping", "medicine"],
        "tasks": {
            "shopping": {"who_now": "me", "from_now": "same", "expects": "help"},
            "medicine": {"who_now": "me"},
        },
    }
    view = effective_answers(defn, answers)
    assert "expects" not in view["tasks"]["shopping"]


def test_samples_answer_only_the_cells_a_card_asks(defn):
    for seed in range(12):
        answers = sample_answers(defn, seed=seed)
        assert validate_answers(defn, answers) == []
        for cells in answers.get("tasks", {}).values():
            assert ("expects" in cells) == (
                cells["from_now"] in ("less", "stop") or cells["who_now"] == "services"
            )


def test_scoring_leaves_out_cells_not_asked(defn):
    # a scale over the expects column counts only the cards that ask it
    text = cards_form(expects_if=EXPECTS_IF).replace(
        '      items: ["tasks[*].from_now"]\n      method: mean',
        '      items: ["tasks[*].from_now"]\n      method: mean\n'
        "    - id: expects_asked\n      label: {nb: E, nn: E, en: E}\n"
        '      items: ["tasks[*].expects"]\n      method: sum',
    )
    text = (
        text.replace(
            "- {value: nothing, label: {nb: Ingenting, nn: Ingenting, en: Nothing}}",
            "- {value: nothing, label: {nb: Ingenting, nn: Ingenting, en: Nothing}, score: 0}",
        )
        .replace(
            "- {value: help, label: {nb: Hjelp, nn: Hjelp, en: Help}}",
            "- {value: help, label: {nb: Hjelp, nn: Hjelp, en: Help}, score: 1}",
        )
        .replace(
            "- {value: take_over, label: {nb: At de tar over, nn: At dei tek over, en: That they take over}}",
            "- {value: take_over, label: {nb: At de tar over, nn: At dei tek over, en: That they take over}, score: 2}",
        )
    )
    scored, problems = build(text)
    assert problems == []
    answers = {
        "helps_with": ["medicine", "shopping", "transport"],
        "tasks": {
            "medicine": {"who_now": "me", "from_now": "same"},  # expects not asked
            "shopping": {"who_now": "me", "from_now": "less", "expects": "help"},
            "transport": {"who_now": "me", "from_now": "stop"},  # asked, unanswered
        },
    }
    result = {s.id: s for s in score(scored, answers).scales}["expects_asked"]
    assert (result.answered, result.items) == (1, 2)


def test_show_json_formengine_show_and_diff_know_the_condition(defn):
    from formengine.definition.diff import diff
    from formengine.definition.serialize import definition_json
    from formengine.render.textview import render_text

    tasks = next(i for s in definition_json(defn)["sections"] for i in s["items"] if i["id"] == "tasks")
    assert [c.get("show_if") for c in tasks["columns"]] == [None, None, EXPECTS_IF]
    assert f"[spørres når / asked when: {EXPECTS_IF}]" in render_text(defn, "nb")
    plain, _ = build(cards_form())
    changed, _ = build(cards_form(expects_if="from_now == 'stop'"))
    assert ("minor", "condition changed", f"tasks.expects: show_if None → {EXPECTS_IF!r}") in diff(
        plain, defn
    ).changes
    assert (
        "minor",
        "condition changed",
        f"tasks.expects: show_if {EXPECTS_IF!r} → \"from_now == 'stop'\"",
    ) in (diff(defn, changed).changes)
    assert diff(defn, defn).changes == []


def test_the_condition_carries_no_text_and_survives_the_po_round_trip(forms_root, tmp_path, capsys):
    import yaml

    from formengine.cli.main import main

    path = forms_root / "kort" / "1.0.0.yaml"
    path.parent.mkdir(parents=True)
    original = cards_form(expects_if=EXPECTS_IF)
    path.write_text(original, "utf-8")
    po = tmp_path / "en.po"
    assert (
        main(["--forms", str(forms_root), "i18n", "export", "kort@1.0.0", "--lang", "en", "-o", str(po)]) == 0
    )
    exported = po.read_text("utf-8")
    assert "from_now in" not in exported and "show_if" not in exported
    assert main(["--forms", str(forms_root), "i18n", "import", "kort@1.0.0", str(po)]) == 0
    assert yaml.safe_load(path.read_text("utf-8")) == yaml.safe_load(original)
    assert main(["check", "-q", "--strict", str(path)]) == 0, capsys.readouterr().out


def test_a_variant_keeps_the_condition_and_may_rename_the_question(write_form, forms_root):
    from formengine.definition.registry import load_registry

    write_form(cards_form("kort", "1.0.0", expects_if=EXPECTS_IF), "kort", "1.0.0")
    variant = """\
        id: kort-testby
        version: 1.0.0
        status: draft
        extends: kort@1.0.0
        municipality: {id: "3403", name: Testby}
        languages: [nb, nn, en]
        default_language: nb
        changes:
          - op: set_text
            target: tasks
            column: expects
            label: {nb: Hva trenger du fra kommunen?, nn: Kva treng du frå kommunen?, en: What do you need?}
        """
    write_form(variant, "kort-testby", "1.0.0")
    registry = load_registry(forms_root)
    assert not registry.problems, [p.format() for p in registry.problems]
    expects = registry.get("kort-testby", "1.0.0").item("tasks").column("expects")
    assert expects.label.get("nb") == "Hva trenger du fra kommunen?"
    assert expects.show_if is not None and expects.show_if.source == EXPECTS_IF


def test_printed_and_listed_cards_never_show_a_cell_not_asked(defn):
    from formengine.render.answers import card_lines, card_table

    stale = {"medicine": {"who_now": "me", "from_now": "same", "expects": "take_over"}}  # not pruned
    tasks = defn.item("tasks")
    assert card_lines(tasks, stale, "nb") == ["Medisiner: Jeg · Som nå"]
    assert card_table(tasks, stale, "nb")["rows"] == [
        {"id": "medicine", "label": "Medisiner", "cells": ["Jeg", "Som nå", "–"]}
    ]


def test_the_paper_form_says_when_a_card_question_is_asked(defn):
    from formengine.summary.documents import blank_item, column_hint

    tasks = defn.item("tasks")
    expects = tasks.column("expects")
    assert (
        column_hint(tasks, expects, "nb")
        == "Bare hvis du svarte «Mindre», «Vil slutte» eller «Tjenestene» på raden."
    )
    assert (
        column_hint(tasks, expects, "nn")
        == "Berre om du svarte «Mindre», «Vil slutte» eller «Tenestene» på rada."
    )
    assert (
        column_hint(tasks, expects, "en")
        == "Only if you answered “Less”, “Stop” or “The services” on the row."
    )
    assert [c["hint"] for c in blank_item(defn, tasks, "nb")["columns"]][:2] == ["", ""]
    other, _ = build(cards_form(expects_if="from_now == 'less' and who_now != 'me'"))
    assert column_hint(other.item("tasks"), other.item("tasks").column("expects"), "nb") == (
        "Bare hvis det gjelder for raden."
    )


SOURCE = """\
id: old
version: 1.0.0
status: active
title: Gammel
languages: [nb]
default_language: nb
sections:
  - id: s1
    title: Del 1
    items:
      - id: how
        type: matrix
        label: Hvor mye vil du gjøre?
        rows: [{id: shopping, label: Innkjøp}, {id: medicine, label: Medisiner}]
        options: [{value: same, label: Som nå}, {value: less, label: Mindre}]
      - id: wish
        type: matrix
        label: Hva venter du?
        rows: [{id: shopping, label: Innkjøp}, {id: medicine, label: Medisiner}]
        options: [{value: help, label: Hjelp}]
"""

MAPPING = """\
prefill:
  - from: old@1
    map:
      how.shopping: tasks.shopping.from_now
      how.medicine: tasks.medicine.from_now
      wish.shopping: tasks.shopping.expects
      wish.medicine: tasks.medicine.expects
"""


def test_prefill_leaves_out_cells_the_new_card_does_not_ask(write_form, forms_root):
    from formengine import prefill_answers
    from formengine.definition.registry import load_registry

    write_form(SOURCE, "old", "1.0.0")
    write_form(cards_form("kort", "2.0.0", expects_if=EXPECTS_IF) + MAPPING, "kort", "2.0.0")
    registry = load_registry(forms_root)
    assert [p.format() for p in registry.problems if p.severity == "error"] == []
    target, source = registry.get("kort", "2.0.0"), registry.get("old", "1.0.0")
    answers = {
        "how": {"shopping": "same", "medicine": "less"},
        "wish": {"shopping": "help", "medicine": "help"},
    }
    filled = prefill_answers(target, source, answers)
    assert filled["tasks"] == {
        "medicine": {"from_now": "less", "expects": "help"},
        "shopping": {"from_now": "same"},  # "what do you expect" is not asked when you keep on as now
    }
    assert filled["helps_with"] == ["medicine", "shopping"]
    assert validate_answers(target, filled) == []


def test_the_json_schema_allows_show_if_on_a_column_only_as_an_expression():
    import jsonschema
    import yaml

    from formengine.definition.schema import SCHEMA_PATH, build_schema, schema_text

    validator = jsonschema.Draft202012Validator(build_schema())
    data = yaml.safe_load(cards_form(expects_if=EXPECTS_IF))
    assert list(validator.iter_errors(data)) == []
    data["sections"][1]["items"][0]["columns"][2]["show_if"] = {"from_now": "less"}
    assert list(validator.iter_errors(data))
    assert SCHEMA_PATH.read_text("utf-8") == schema_text(), "regenerate the shipped schema"
