"""Helsenorge Refero (npm @helsenorge/refero, pinned in tests/fhir_clients/refero/package.json) reads
our FHIR, is filled in by clicking and typing, and gives every answer back.

For every shipped form version an answer set (an answer to every visible item: matrix rows, cards,
repeats, multi choice, text, dates, numbers) is
- typed into Refero as a user would (labels clicked, text typed, repeat groups added with Refero's
  own "Legg til" button) and sent with its "Send inn" button, and
- separately handed to Refero as its initial QuestionnaireResponse;
each time Refero's own QuestionnaireResponse is read back, checked with ``fhir validate`` and
imported with our importer, and compared with the answer set.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from formengine.answers.check import prune_hidden
from formengine.answers.conditions import effective_answers
from formengine.definition.registry import load_registry
from formengine.fhir.export import export_questionnaire
from formengine.fhir.response import export_response, import_response
from formengine.fhir.scores import plan_scores
from formengine.fhir.validate import check_response
from formengine.scoring.engine import score
from tests.fhir_clients import refero_roundtrip as refero
from tests.formengine.test_fhir_export import fill

ROOT = Path(__file__).resolve().parents[2]
ANSWERS = ROOT / "tests" / "data" / "answers"
FORMS = load_registry(ROOT / "forms").all()

pytestmark = pytest.mark.browser


def count(value: Any) -> int:
    """Atomic answers in an answer value: a matrix row, a card cell, a repeat cell, a ticked option."""
    if isinstance(value, dict):
        return sum(count(v) for v in value.values())
    if isinstance(value, list):
        return sum(count(v) for v in value) if value and isinstance(value[0], dict) else len(value)
    return 0 if value is None else 1


@pytest.fixture(scope="module")
def page():
    with refero.refero_page(refero.build()) as page:
        yield page


def _case(defn):
    answers = prune_hidden(defn, fill(defn))  # Refero, like us, drops answers to hidden items
    questionnaire = export_questionnaire(defn)
    response = export_response(defn, {"answers": answers})
    assert check_response(questionnaire, response) == []
    return answers, questionnaire, response


def _read_back(back, defn, questionnaire):
    """Refero's response, validated against the Questionnaire and imported; the items Refero keeps
    without an answer (an empty matrix, a repeat group nobody filled) read as unanswered."""
    refero.drop_help_placeholders(back)  # Refero's value-less answers that only carry help texts
    assert [str(p) for p in check_response(questionnaire, back)] == []
    answers = import_response(defn, back)["answers"]
    return {key: value for key, value in answers.items() if count(value)}


@pytest.mark.parametrize("defn", FORMS, ids=lambda d: d.key)
def test_every_answer_survives_being_typed_into_refero(page, defn):
    answers, questionnaire, response = _case(defn)
    refero.load(page, questionnaire)
    filler = refero.Filler(page, questionnaire)
    filler.fill(response)
    got = _read_back(refero.submit(page), defn, questionnaire)  # what "Send inn" hands over
    # Every answer can be typed, matrix rows included (a matrix is a group of choice rows, not an
    # itemControl "table", which Refero shows as a read-only summary).
    assert filler.unanswerable == []
    expected = answers
    assert got == expected
    print(f"{defn.key}: typed {count(expected)} of {count(answers)} answers, {count(got)} came back")


@pytest.mark.parametrize("defn", FORMS, ids=lambda d: d.key)
def test_every_answer_survives_a_prefilled_refero_response(page, defn):
    answers, questionnaire, response = _case(defn)
    refero.load(page, questionnaire, response)
    got = _read_back(refero.settled_response(page), defn, questionnaire)
    assert got == answers
    print(f"{defn.key}: {count(answers)} answers in, {count(got)} came back")


SCORE_CASES = [  # (form, version, answers, with the opt-in FHIRPath scores)
    ("parorende-kartlegging", "2.0.0", "core_2_0_0_light.json", False),
    ("parorende-kartlegging", "2.0.0", "core_2_0_0_light.json", True),
    ("parorende-kartlegging", "2.0.0", "core_2_0_0_heavy.json", True),
    ("parorende-kartlegging", "2.0.0", None, True),
    ("parorende-oppfolging", "2.0.0", "followup_2_0_0_night_help.json", True),
    ("eksempel-kommune", "2.0.0", "variant_2_0_0_light_school.json", False),
]


def _scores_after_a_pause(page, questionnaire, plan, expected):
    """Refero's scores once they have caught up with the answers.

    Refero computes FHIRPath scores in a web worker after a change, only for the expressions that
    read the changed question; answers typed faster than it computes can leave an older result
    last (seen here with 40 answers in a few seconds; a person pauses between answers). For a
    score that is not ours yet, the test answers the scale's last answered radio question with
    another option and back, pausing after each (at most three rounds)."""
    filler = refero.Filler(page, questionnaire)
    theirs = refero.scores(page)
    for _ in range(3):
        stale = [e for e in plan.items if theirs[e.link_id]["response"] != expected[e.link_id]]
        if not stale:
            break
        for entry in stale:
            for name in reversed(entry.scale.items):
                radios = page.locator(f'[name="{refero.field_name(name)}"][type="radio"]')
                values = [radios.nth(k).get_attribute("value") for k in range(radios.count())]
                ticked = [radios.nth(k).is_checked() for k in range(radios.count())]
                if True not in ticked:
                    continue
                original = values[ticked.index(True)]
                other = next(v for v in values if v != original)
                for value in (other, original):
                    filler._tick(page.locator(f'[name="{refero.field_name(name)}"][value="{value}"]'))
                    refero.settled_response(page)
                    page.wait_for_timeout(500)  # the worker's run for this change
                break
        refero.settled_response(page)
        theirs = refero.scores(page)
    return theirs


@pytest.mark.parametrize(("form", "version", "answers", "fhirpath"), SCORE_CASES)
def test_refero_computes_our_scores(page, form, version, answers, fhirpath):
    """The scales we export as Helsenorge section/total scores and FHIRPath scores (fhir.scores):
    Refero computes them while the answers are typed in and puts them in its response; all equal
    ours. Score items are hidden (the relative does not see scores, as in our web app)."""
    defn = load_registry(ROOT / "forms").get(form, version)
    document = json.loads((ANSWERS / answers).read_text("utf-8")) if answers else {"answers": {}}
    shown = effective_answers(defn, document["answers"])  # a renderer drops hidden answers
    questionnaire = export_questionnaire(defn, fhirpath_scores=fhirpath)
    refero.load(page, questionnaire)
    refero.Filler(page, questionnaire).fill(export_response(defn, {"answers": shown}))
    refero.settled_response(page)
    ours = {s.id: s.value for s in score(defn, document["answers"]).scales}
    plan = plan_scores(defn, fhirpath=fhirpath)
    theirs = _scores_after_a_pause(
        page, questionnaire, plan, {e.link_id: ours[e.scale.id] for e in plan.items}
    )
    assert plan.items and set(theirs) == plan.link_ids
    for entry in plan.items:
        got, want = theirs[entry.link_id], ours[entry.scale.id]
        assert got["response"] == want, entry.link_id
        assert got["shown"] is None, entry.link_id  # questionnaire-hidden: computed, not shown
    if answers:
        assert any(theirs[e.link_id]["response"] is not None for e in plan.items)  # a number compared
    print(f"{form}@{version} {answers}: " + ", ".join(f"{k}={v['response']}" for k, v in theirs.items()))
