"""Cards answers: shape checks, rows_from consistency, a not-applicable answer ending a card,
pruning of hidden cells, and expressions over cells (``count``, ``answered``)."""

from __future__ import annotations

import copy

import pytest

from formengine.answers.check import validate_answers
from formengine.answers.conditions import effective_answers, item_visible
from formengine.definition.builder.validation import Builder
from formengine.definition.loader import load_text
from tests.formengine.cards_form import ANSWERS, cards_form


@pytest.fixture(scope="module")
def defn():
    doc = load_text(cards_form(), "kort.yaml")
    definition = Builder(doc).build()
    assert definition is not None
    return definition


def codes(defn, answers):
    return [(p.code, p.args.get("item")) for p in validate_answers(defn, answers)]


def test_the_sample_answers_fit(defn):
    assert codes(defn, ANSWERS) == []


CASES = {
    "not an object": ({"tasks": ["shopping"]}, [("FE503", "tasks")]),
    "row not an object": (
        {"helps_with": ["shopping"], "tasks": {"shopping": "me"}},
        [("FE503", "tasks.shopping")],
    ),
    "unknown row": (
        {"helps_with": ["shopping"], "tasks": {"cooking": {"who_now": "me"}}},
        [("FE501", "tasks.cooking")],
    ),
    "unknown column": (
        {"helps_with": ["shopping"], "tasks": {"shopping": {"who": "me"}}},
        [("FE501", "tasks.shopping.who")],
    ),
    "unknown value": (
        {"helps_with": ["shopping"], "tasks": {"shopping": {"who_now": "you"}}},
        [("FE502", "tasks.shopping.who_now")],
    ),
    "value not text": (
        {"helps_with": ["shopping"], "tasks": {"shopping": {"who_now": 1}}},
        [("FE503", "tasks.shopping.who_now")],
    ),
    "row not ticked": (
        {"helps_with": ["shopping"], "tasks": {"medicine": {"who_now": "me"}}},
        [("FE508", "tasks")],
    ),
    "nothing ticked": ({"tasks": {"medicine": {"who_now": "me"}}}, [("FE508", "tasks")]),
    "answered after not applicable": (
        {
            "helps_with": ["shopping"],
            "tasks": {"shopping": {"who_now": "not_applicable", "from_now": "less"}},
        },
        [("FE509", "tasks.shopping.from_now")],
    ),
    "fixed rows: unknown row": ({"burden": {"family": {"level": "low"}}}, [("FE501", "burden.family")]),
    "fixed rows: after not applicable there is nothing": ({"burden": {"work": {"level": "na"}}}, []),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_cards_answer_problems(defn, case):
    answers, want = CASES[case]
    assert codes(defn, answers) == want


def test_fe509_names_the_column_that_ended_the_card(defn):
    answers = {
        "helps_with": ["shopping"],
        "tasks": {"shopping": {"who_now": "not_applicable", "expects": "help"}},
    }
    (problem,) = validate_answers(defn, answers)
    assert problem.args["column"] == "tasks.shopping.who_now"
    assert "tasks.shopping.who_now" in problem.message_in("nb")


def test_pruning_drops_unticked_cards_and_cells_after_a_card_ended(defn):
    answers = copy.deepcopy(ANSWERS)
    answers["helps_with"] = ["shopping", "transport"]  # medicine unticked after its card was filled
    answers["tasks"]["transport"] = {"who_now": "not_applicable", "from_now": "more", "expects": "help"}
    answers["burden"]["work"] = {"level": "na"}
    shown = effective_answers(defn, answers)
    assert shown["tasks"] == {
        "shopping": {"who_now": "me", "from_now": "less"},
        "transport": {"who_now": "not_applicable"},
    }
    assert answers["tasks"]["transport"]["from_now"] == "more", "the stored answers are not changed"


def test_pruning_removes_a_cards_answer_with_nothing_left(defn):
    answers = {"helps_with": [], "tasks": {"shopping": {"who_now": "me"}}}
    assert "tasks" not in effective_answers(defn, answers)


def test_expressions_read_cells_count_cards_and_answered(defn):
    note = defn.item("many_tasks_note")  # count(tasks) >= 2 and tasks.shopping.who_now == 'me'
    assert item_visible(defn, note, ANSWERS)
    one = {"helps_with": ["shopping"], "tasks": {"shopping": {"who_now": "me"}}}
    assert not item_visible(defn, note, one)
    untick = {**ANSWERS, "helps_with": ["shopping"]}  # other cards pruned before conditions run
    assert not item_visible(defn, note, untick)
    services = copy.deepcopy(ANSWERS)
    services["tasks"]["shopping"]["who_now"] = "services"
    assert not item_visible(defn, note, services)


def test_sample_answers_fill_every_card_shown_and_are_valid(defn):
    from formengine.answers.samples import sample_answers

    for seed in range(5):
        answers = sample_answers(defn, seed)
        assert validate_answers(defn, answers) == []
        ticked = answers.get("helps_with") or []
        assert sorted(answers.get("tasks", {})) == sorted(ticked)
        for cells in answers.get("tasks", {}).values():
            assert set(cells) == {"who_now", "from_now", "expects"}
        assert set(answers["burden"]) == {"sleep", "work"}


def test_odd_cards_data_is_reported_never_raised(defn):
    from formengine.scoring.engine import score

    effective_answers(defn, {"helps_with": [["shopping"]], "tasks": {"shopping": {"who_now": "me"}}})
    odd = {
        "helps_with": ["shopping", 3],
        "tasks": {"shopping": {"who_now": ["me"], "from_now": {"x": 1}}, "x": 5},
        "burden": [1, 2],
    }
    assert {p.code for p in validate_answers(defn, odd)} == {"FE503", "FE501"}
    effective_answers(defn, odd)
    score(defn, odd, "nb")
    item_visible(defn, defn.item("many_tasks_note"), odd)
