"""choice_layout: which option groups are compact on a phone, decided from the definition per language
(issue 11, compact choices)."""

from __future__ import annotations

from pathlib import Path

import pytest

from formengine.definition.model import Option, Text
from formengine.definition.registry import load_registry
from formengine.render.answers import options_for
from formengine.render.wtforms_builder import choice_layout

FORMS = Path(__file__).resolve().parents[2] / "forms"


@pytest.fixture(scope="module")
def defn():
    return load_registry(FORMS).get("parorende-kartlegging", "2.0.0")


def _options(*labels: str, scored: bool = False) -> tuple[Option, ...]:
    return tuple(
        Option(f"v{n}", Text((("nb", label),)), score=n if scored else None) for n, label in enumerate(labels)
    )


def test_the_strain_scale_is_one_row_in_nb_and_nn_and_two_to_a_row_in_english(defn):
    strain = options_for(defn.item("strain_time_oncall"))
    assert [o.label.get("nb") for o in strain] == ["Nei", "Litt", "En del", "Mye", "Svært mye"]
    assert choice_layout(strain, "nb") == "scale"
    assert choice_layout(strain, "nn") == "scale"
    # "Somewhat" / "Quite a lot" do not fit a fifth of a phone's width unbroken
    assert choice_layout(strain, "en") == "two"


def test_task_card_columns_are_two_to_a_row(defn):
    cards = defn.item("tasks")
    layouts = {c.id: choice_layout(c.options, "nb") for c in cards.columns}
    # "Han eller hun selv" (18), "Gjelder ikke meg" (16), "Trenger ikke hjelp" (18)
    assert layouts == {"who_now": "two", "from_now": "two", "expects": "two"}
    # en "That they take it over" (22): one per line
    assert choice_layout(cards.column("expects").options, "en") == ""


def test_long_labels_and_grouped_checklists_stay_one_per_line(defn):
    # "Nei, på institusjon eller i omsorgsbolig"
    assert choice_layout(options_for(defn.item("lives_together")), "nb") == ""
    # "Ja, men jeg vil være mer med"
    assert choice_layout(options_for(defn.item("expected_of_me")), "nb") == ""
    # the 33-task checklist under its group headings
    checklist = defn.item("helps_with")
    assert checklist.groups
    assert choice_layout(checklist.options, "nb", grouped=True) == ""


def test_the_rule():
    assert choice_layout(_options("Ja", "Nei"), "nb") == "two"
    assert choice_layout(_options("Ja"), "nb") == ""  # a single option: nothing to lay out
    # a word over 11 characters would be broken in the middle of a half-width cell
    assert choice_layout(_options("Ja", "Hjemmesykepleien"), "nb") == ""
    assert choice_layout(_options("Ja", "Nei, på institusjon eller i omsorgsbolig"), "nb") == ""
    # scored, short words: one row; six options of seven-letter words do not fit a row
    assert choice_layout(_options("Nei", "Litt", "Mye", scored=True), "nb") == "scale"
    six = _options("Helt", "Litt", "Både og", "Litt", "Helt", "Ikke aktuelt", scored=True)
    assert choice_layout(six, "nb") == "two"
    seven = _options("1", "2", "3", "4", "5", "6", "7", scored=True)
    assert choice_layout(seven, "nb") == "scale"  # a 7-point scale: one row
    eight = _options("1", "2", "3", "4", "5", "6", "7", "8", scored=True)
    assert choice_layout(eight, "nb") == "two"  # more than seven: two to a row
    # unscored short options are not a scale
    assert choice_layout(_options("Nei", "Litt", "Mye"), "nb") == "two"


def _na(label: str = "Ikke aktuelt") -> Option:
    return Option("na", Text((("nb", label),)), not_applicable=True)


def test_not_applicable_stands_apart_from_the_scale(defn):
    scale = _options("Helt uenig", "Litt uenig", "Både og", "Litt enig", "Helt enig", scored=True)
    # "Ikke aktuelt" is not on the scale: the five stay one row, it gets its own line
    assert choice_layout((*scale, _na()), "nb") == "scale"
    # ... but only after the scale, and only one of it
    assert choice_layout((scale[0], _na(), *scale[1:]), "nb") == "two"
    assert choice_layout((*scale, _na(), _na("Vet ikke")), "nb") == "two"
    # the form's own: services experience (agreement) and the strain item about the system
    assert choice_layout(options_for(defn.item("exp_heard")), "nb") == "scale"
    assert choice_layout(options_for(defn.item("strain_system_nag")), "nn") == "scale"


def test_tick_boxes_are_never_a_scale_row():
    """A multi_choice with 3–7 short scored options is two to a row, not a scale (review of #11)."""
    options = [
        Option(value=v, label=Text((("nb", v.title()),)), score=i) for i, v in enumerate(["a", "b", "c"])
    ]
    assert choice_layout(options, "nb") == "scale"
    assert choice_layout(options, "nb", multiple=True) == "two"
