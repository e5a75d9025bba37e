"""Score the hand-computed answer sets in tests/data/answers/ and compare with their expected values.

Each file holds ``{"form", "version", "lang", "answers", "expected"}``. The expected values were
worked out by hand from the YAML (see each file's ``note``). A scale or band that a file does not
list must be null, so every non-null result is accounted for.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from formengine.answers.check import validate_answers
from formengine.definition.registry import load_registry

REPO = Path(__file__).resolve().parents[2]
ANSWERS = sorted((REPO / "tests" / "data" / "answers").glob("*.json"))


@pytest.fixture(scope="module")
def registry():
    return load_registry(REPO / "forms")


def load_case(path: Path) -> dict:
    return json.loads(path.read_text("utf-8"))


def definition_for(registry, case: dict):
    definition = registry.definitions.get((case["form"], case["version"]))
    if definition is None:
        # a shipped form that does not load is a failure, never a skip: name what stops it
        problems = [p.format() for p in registry.errors if case["form"] in p.location.file]
        pytest.fail(f"{case['form']}@{case['version']} does not load: {problems}")
    return definition


def test_there_are_enough_hand_computed_sets():
    assert len(ANSWERS) >= 25


@pytest.mark.parametrize("path", ANSWERS, ids=lambda p: p.stem)
def test_answer_set_is_valid_for_its_form(registry, path):
    case = load_case(path)
    definition = definition_for(registry, case)
    assert validate_answers(definition, case["answers"]) == []


@pytest.mark.parametrize("path", ANSWERS, ids=lambda p: p.stem)
def test_answer_set_scores_as_hand_computed(registry, path):
    from formengine.scoring.engine import score

    case = load_case(path)
    definition = definition_for(registry, case)
    report = score(definition, case["answers"], case.get("lang"))
    expected = case["expected"]
    values = {s.id: s.value for s in report.scales}
    bands = {s.id: (s.band.id if s.band else None) for s in report.scales}
    assert set(expected["scales"]) <= set(values), "expected lists a scale the form does not have"
    assert values == {sid: expected["scales"].get(sid) for sid in values}
    assert bands == {sid: expected["bands"].get(sid) for sid in bands}
    assert [f.id for f in report.flags] == expected["flags"]
    assert [p.value for p in report.priorities] == expected["priorities"]
    assert [[g.id, g.row] for g in report.gaps] == expected["gaps"]
    assert [o.id for o in report.offers] == expected["offers"]
    assert (report.form, report.version, report.definition_hash) == (
        definition.id,
        definition.version,
        definition.hash,
    )
