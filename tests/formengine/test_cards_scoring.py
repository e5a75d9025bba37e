"""Scoring over cards: scales over cells and whole columns, per-card gap rules, flags on cells."""

from __future__ import annotations

import copy

import pytest

from formengine.definition.builder.validation import Builder
from formengine.definition.loader import load_text
from formengine.scoring.engine import score
from tests.formengine.cards_form import ANSWERS, cards_form


@pytest.fixture(scope="module")
def defn():
    definition = Builder(load_text(cards_form(), "kort.yaml")).build()
    assert definition is not None
    return definition


def test_a_whole_column_scale_counts_only_the_cards_asked(defn):
    result = score(defn, ANSWERS, "nb").scale("wants_less")
    # medicine: stop (2), shopping: less (1); transport ended at who_now; hygiene not ticked
    assert (result.value, result.raw, result.answered, result.items, result.not_applicable) == (
        1.5,
        3.0,
        2,
        2,
        0,
    )


def test_an_unanswered_cell_on_a_shown_card_counts_as_an_item(defn):
    answers = copy.deepcopy(ANSWERS)
    del answers["tasks"]["shopping"]["from_now"]
    result = score(defn, answers, "nb").scale("wants_less")
    assert (result.answered, result.items) == (1, 2)


def test_no_cards_ticked_means_the_scale_does_not_apply(defn):
    result = score(defn, {"helps_with": []}, "nb").scale("wants_less")
    assert result.value is None and result.reason == "not_applicable" and result.items == 0


def test_cells_of_fixed_rows_score_with_not_applicable_left_out(defn):
    result = score(defn, ANSWERS, "nb").scale("strain")
    assert (result.value, result.answered, result.items, result.not_applicable) == (2.0, 1, 1, 1)


def test_gap_rules_run_per_card_with_row_and_row_label(defn):
    gaps = score(defn, ANSWERS, "en").gaps
    assert [(g.id, g.row, g.row_label) for g in gaps] == [
        ("wants_out", "medicine", "Medicine"),
        ("wants_out", "shopping", "Shopping"),
    ]
    assert dict(gaps[1].values) == {"who_now": "me", "from_now": "less", "expects": None}
    assert gaps[0].as_json()["row_label"] == "Medicine"


def test_gap_rules_skip_cards_that_are_not_shown(defn):
    answers = copy.deepcopy(ANSWERS)
    answers["helps_with"] = ["shopping"]  # the medicine card is stale: not ticked any more
    assert [g.row for g in score(defn, answers, "nb").gaps] == ["shopping"]


def test_flags_read_cells(defn):
    assert [f.id for f in score(defn, ANSWERS, "nb").flags] == ["shopping_alone"]
    answers = copy.deepcopy(ANSWERS)
    answers["tasks"]["shopping"]["who_now"] = "services"
    assert score(defn, answers, "nb").flags == ()
