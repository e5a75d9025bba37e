"""formengine.answers.samples: deterministic, valid, complete sample answers for every shipped form and seed."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import formengine
from formengine.answers.check import validate_answers
from formengine.answers.conditions import constraint_ok, item_visible, visible_items
from formengine.answers.samples import sample_answers
from formengine.scoring.engine import score

ROOT = Path(__file__).resolve().parents[2]
REGISTRY = formengine.load_registry(ROOT / "forms")
FORMS = REGISTRY.all()


def _check_complete(defn, answers) -> None:
    shown = visible_items(defn, answers)
    for section in defn.sections:
        for item in section.items:
            if item.id not in shown or item.type == "note":
                continue
            assert item.id in answers, f"{defn.key}: visible item {item.id} has no answer"
            value = answers[item.id]
            if item.type == "matrix":
                assert set(value) == {r.id for r in item.rows}
            if item.type == "repeat":
                assert value, f"{item.id}: no entries"
                for entry in value:
                    for child in item.items:
                        if child.type != "note" and item_visible(defn, child, answers, entry):
                            assert child.id in entry, f"{child.id} missing in an entry of {item.id}"
            if item.type in ("multi_choice", "priority"):
                assert len(value) <= (item.max_choices or 3 if item.type == "priority" else len(item.options))
            assert constraint_ok(defn, item, value, answers)


@pytest.mark.parametrize("defn", FORMS, ids=lambda d: d.key)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(min_value=0, max_value=2**32))
def test_samples_are_valid_and_complete(defn, seed):
    answers = sample_answers(defn, seed)
    assert validate_answers(defn, answers) == []
    _check_complete(defn, answers)
    assert sample_answers(defn, seed) == answers  # deterministic


@pytest.mark.parametrize("defn", FORMS, ids=lambda d: d.key)
def test_samples_score_and_vary_with_the_seed(defn):
    first = sample_answers(defn, 0)
    assert any(sample_answers(defn, seed) != first for seed in range(1, 5))
    report = score(defn, first)
    assert report.form == defn.id


def test_free_text_is_norwegian_and_within_limits():
    defn = REGISTRY.latest_active("parorende-kartlegging")
    answers = sample_answers(defn, 3)
    texts = [v for k, v in answers.items() if defn.item(k).type == "long_text"]
    assert texts and all(
        any(w in t for w in ("jeg", "Jeg", "vi", "Vi", "Det", "Barna", "Søvnen", "Jobben")) for t in texts
    )
    for key, value in answers.items():
        item = defn.item(key)
        if item.type in ("text", "long_text") and item.max_length:
            assert len(value) <= item.max_length


def test_text_every_answers_only_some_long_texts():
    defn = REGISTRY.get("parorende-kartlegging", "1.1.0")
    every = sample_answers(defn, 0)
    some = sample_answers(defn, 0, text_every=3)
    long_every = [k for k in every if defn.item(k).type == "long_text"]
    long_some = [k for k in some if defn.item(k).type == "long_text"]
    assert 0 < len(long_some) < len(long_every)
    assert validate_answers(defn, some) == []
