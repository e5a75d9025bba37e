"""Our scales as Helsenorge scoring codes (QS/SS/TS): exported only where Refero computes our numbers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fhir.resources.R4B.questionnaire import Questionnaire

from formengine.answers.conditions import effective_answers
from formengine.cli.main import main
from formengine.definition.registry import load_registry
from formengine.fhir.common import HIDDEN, ORDINAL_VALUE, SCORING_SYSTEM
from formengine.fhir.export import export_questionnaire
from formengine.fhir.importer import import_questionnaire
from formengine.fhir.response import export_response, import_response
from formengine.fhir.score_paths import CALCULATED_EXPRESSION
from formengine.fhir.scores import plan_scores, score_warnings
from formengine.fhir.validate import check_response
from formengine.scoring.engine import score
from tests.fhir_clients.refero_scoring import ReferoScoring, fhirpath_scores

ROOT = Path(__file__).resolve().parent.parent.parent
ANSWERS = ROOT / "tests" / "data" / "answers"


@pytest.fixture(scope="module")
def registry():
    return load_registry(ROOT / "forms")


def _walk(items):
    for item in items or []:
        yield item
        yield from _walk(item.get("item"))


def _codes(q):
    return {
        i["linkId"]: c["code"]
        for i in _walk(q["item"])
        for c in i.get("code") or []
        if c["system"] == SCORING_SYSTEM
    }


def test_core_2_0_0_has_a_section_score_with_question_scores(registry):
    defn = registry.get("parorende-kartlegging", "2.0.0")
    q = export_questionnaire(defn)
    Questionnaire.model_validate(q)
    assert _codes(q) == {"info_wanted": "QS", "score.information_needs": "SS"}
    services = next(s for s in q["item"] if s["linkId"] == "services")
    ss = next(i for i in services["item"] if i["linkId"] == "score.information_needs")
    assert ss["linkId"] == "score.information_needs" and ss["type"] == "decimal" and ss["readOnly"] is True
    assert ss["text"] == "Behov for informasjon"
    assert {"url": HIDDEN, "valueBoolean": True} in ss["extension"]  # for the services, not the relative
    unit = next(e for e in ss["extension"] if e["url"].endswith("questionnaire-unit"))
    assert unit["valueCoding"] == {"system": "http://ehelse.no/Score", "code": "score", "display": "score"}
    question = next(i for i in _walk(q["item"]) if i["linkId"] == "info_wanted")
    assert "answerValueSet" not in question  # Refero scores answerOption only
    item = defn.items_by_id["info_wanted"]
    assert [o["valueCoding"]["code"] for o in question["answerOption"]] == [o.value for o in item.options]
    for option, ours in zip(question["answerOption"], item.options, strict=True):
        assert option["valueCoding"]["extension"] == [{"url": ORDINAL_VALUE, "valueDecimal": ours.score}]


def test_means_are_fhirpath_scores_and_the_rest_is_left_out_with_a_located_reason(registry):
    defn = registry.get("parorende-kartlegging", "1.1.0")
    assert score_warnings(defn)[0].endswith("a mean over 3 questions: Refero only adds up scores")
    q = export_questionnaire(defn, fhirpath_scores=True)
    assert _codes(q) == {}  # every 1.1.0 scale is a mean over several questions: no SS/TS
    calculated = {
        i["linkId"]: i
        for i in _walk(q["item"])
        if any(e["url"] == CALCULATED_EXPRESSION for e in i.get("extension") or [])
    }
    assert set(calculated) == {f"score.{s.id}" for s in defn.scoring.scales if s.id != "overall_satisfaction"}
    total = calculated["score.strain_total"]
    assert total["type"] == "quantity" and total["readOnly"] is True and total["text"] == "Samlet belastning"
    assert score_warnings(defn, fhirpath=True) == [
        "parorende-kartlegging@1.1.0 scoring.scales[13]: scale 'overall_satisfaction' is not exported as a "
        "Helsenorge score: scores or weights that are not whole numbers from 0: no exact FHIRPath for it"
    ]
    assert score_warnings(registry.get("parorende-kartlegging", "2.0.0"), fhirpath=True) == []


def test_the_cli_prints_the_left_out_scales(registry, capsys):
    assert (
        main(
            [
                "--forms",
                str(ROOT / "forms"),
                "fhir",
                "questionnaire",
                "--fhirpath-scores",
                "parorende-kartlegging@1.1.0",
            ]
        )
        == 0
    )
    captured = capsys.readouterr()
    assert json.loads(captured.out)["resourceType"] == "Questionnaire"
    assert "scoring.scales[13]: scale 'overall_satisfaction' is not exported" in captured.err
    assert "strain_total" not in captured.err


CASES = [
    ("parorende-kartlegging", "2.0.0", "core_2_0_0_light.json"),
    ("parorende-kartlegging", "2.0.0", "core_2_0_0_heavy.json"),
    ("parorende-kartlegging", "2.0.0", None),
    ("parorende-kartlegging", "1.1.0", "core_1_1_0_full_realistic.json"),
    ("parorende-kartlegging", "1.1.0", None),
    ("parorende-oppfolging", "2.0.0", "followup_2_0_0_night_help.json"),
    ("eksempel-kommune", "2.0.0", "variant_2_0_0_light_school.json"),
]


@pytest.mark.parametrize(("form", "version", "answers"), CASES)
def test_refero_rules_on_our_export_give_our_scores(registry, form, version, answers):
    defn = registry.get(form, version)
    document = json.loads((ANSWERS / answers).read_text("utf-8")) if answers else {"answers": {}}
    assert document.get("version", version) == version
    # a renderer drops the answers to hidden questions, as our scoring ignores them
    shown = effective_answers(defn, document["answers"])
    q = export_questionnaire(defn, fhirpath_scores=True)
    qr = export_response(defn, {"answers": shown})
    assert check_response(q, qr) == []
    refero = {**ReferoScoring(q).calculate(qr), **fhirpath_scores(q, qr)}
    ours = {s.id: s.value for s in score(defn, document["answers"]).scales}
    plan = plan_scores(defn, fhirpath=True)
    assert set(refero) == plan.link_ids
    for entry in plan.items:
        assert refero[entry.link_id] == ours[entry.scale.id], entry.scale.id
    if answers:
        assert sum(v is not None for v in refero.values()) >= 3  # real numbers were compared


def test_a_sum_over_every_scored_question_is_a_total_score(tmp_path):
    (tmp_path / "tiny").mkdir()
    (tmp_path / "tiny" / "1.0.0.yaml").write_text(TINY, "utf-8")
    tiny = load_registry(tmp_path)
    assert tiny.errors == [], tiny.errors
    defn = tiny.get("tiny", "1.0.0")
    q = export_questionnaire(defn)
    assert _codes(q) == {"a": "QS", "b": "QS", "score.total": "TS"}
    qr = export_response(defn, {"answers": {"a": "x2", "b": "y1"}})
    assert ReferoScoring(q).calculate(qr) == {"score.total": 3}
    assert score(defn, {"a": "x2", "b": "y1"}).scales[0].value == 3


TINY = """
id: tiny
version: 1.0.0
status: active
title: {nb: Liten}
languages: [nb]
default_language: nb
sections:
  - id: one
    title: {nb: En}
    items:
      - id: a
        type: single_choice
        label: {nb: A}
        options:
          - {value: x1, score: 1, label: {nb: X1}}
          - {value: x2, score: 2, label: {nb: X2}}
  - id: two
    title: {nb: To}
    items:
      - id: b
        type: single_choice
        label: {nb: B}
        options:
          - {value: y1, score: 1, label: {nb: Y1}}
          - {value: y2, score: 2, label: {nb: Y2}}
scoring:
  scales:
    - id: total
      label: {nb: Sum}
      items: [a, b]
      method: sum
"""


@pytest.mark.parametrize(
    "key", ["parorende-kartlegging@2.0.0", "parorende-kartlegging@1.1.0", "samarbeidsavtale@2.0.0"]
)
def test_exported_scores_read_back_as_the_scales(registry, key):
    defn = registry.resolve_ref(key)
    warnings: list[str] = []
    data, _ = import_questionnaire(export_questionnaire(defn, fhirpath_scores=True), warnings.append)
    assert not [w for w in warnings if "score" in w]
    back = {s["id"]: s for s in data["scoring"]["scales"]}
    exported = [s for s in defn.scoring.scales if s.id != "overall_satisfaction"]
    assert set(back) == {s.id for s in exported}
    for scale in exported:
        got = back[scale.id]
        assert (got["items"], got["method"], got["min_answered"]) == (
            list(scale.items),
            scale.method,
            scale.min_answered,
        )
        assert got.get("reverse", []) == list(scale.reverse) and got.get("prorate", False) == scale.prorate


def _random_answers(defn, rng):
    """Answers to the scored questions: any option (also "not applicable" and unscored), or none."""
    answers = {}
    for scale in defn.scoring.scales:
        for name in scale.items:
            item_id, _, row = name.partition(".")
            item = defn.items_by_id[item_id]
            values = [o.value for o in item.options]
            if item.type in ("multi_choice", "priority"):
                pick = rng.sample(values, rng.randint(0, min(3, len(values))))
                value = pick or None
            else:
                value = rng.choice([*values, None])
            if value is None:
                continue
            if row:
                answers.setdefault(item_id, {})[row] = value
            else:
                answers[item_id] = value
    # open what a checklist gates (2.0.0: a strain rating is asked only for an area ticked), most
    # of the time, so that the scales are mostly asked
    for item_id in list(answers):
        condition = defn.items_by_id[item_id].show_if
        for ref, literal in condition.literal_comparisons() if condition is not None else ():
            gate = defn.items_by_id.get(ref.name)
            if gate is not None and gate.type == "multi_choice" and rng.random() < 0.9:
                ticked = answers.setdefault(ref.name, [])
                if literal not in ticked:
                    ticked.append(literal)
    return answers


@pytest.mark.parametrize(
    "key", ["parorende-kartlegging@2.0.0", "parorende-kartlegging@1.1.0", "samarbeidsavtale@2.0.0"]
)
def test_refero_rules_agree_with_ours_on_random_answers(registry, key):
    import random

    defn = registry.resolve_ref(key)
    q = export_questionnaire(defn, fhirpath_scores=True)
    plan = plan_scores(defn, fhirpath=True)
    rng = random.Random(17)
    compared = 0
    for _ in range(12):
        answers = _random_answers(defn, rng)
        shown = effective_answers(defn, answers)
        qr = export_response(defn, {"answers": shown})
        refero = {**ReferoScoring(q).calculate(qr), **fhirpath_scores(q, qr)}
        ours = {s.id: s.value for s in score(defn, answers).scales}
        for entry in plan.items:
            assert refero[entry.link_id] == ours[entry.scale.id], (entry.scale.id, answers)
            compared += ours[entry.scale.id] is not None
    assert compared >= 5  # real numbers, not only blanks, were compared


def test_a_response_with_refero_scores_imports_without_warnings(registry):
    defn = registry.get("parorende-kartlegging", "2.0.0")
    qr = export_response(defn, {"answers": {"info_wanted": ["illness", "when_worse"]}})
    qr["item"][0]["item"].append({"linkId": "score.information_needs", "answer": [{"valueDecimal": 2}]})
    warnings: list[str] = []
    document = import_response(defn, qr, warnings.append)
    assert warnings == []
    assert document["answers"] == {"info_wanted": ["illness", "when_worse"]}
