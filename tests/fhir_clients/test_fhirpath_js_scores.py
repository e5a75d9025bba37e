"""Our FHIRPath scores evaluated by the real fhirpath.js: the one LHC-Forms 40.1.3 bundles (4.8.0,
``LForms.FHIR.R4.fhirpath``); Refero 22.2.1 depends on fhirpath ^4.0.0 and calls it the same way
(``fhirpath.compile(expression, r4model)(response)``). Every score must equal ours."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from formengine.answers.conditions import effective_answers
from formengine.definition.registry import load_registry
from formengine.fhir.export import export_questionnaire
from formengine.fhir.response import export_response
from formengine.fhir.score_paths import CALCULATED_EXPRESSION
from formengine.scoring.engine import score
from tests.fhir_clients.lhc_roundtrip import lforms_dist, lhc_page
from tests.formengine.test_fhir_scores import ANSWERS, _random_answers

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.browser

EVALUATE = """([expressions, responses]) => {
    const fhirpath = LForms.FHIR.R4.fhirpath, model = LForms.FHIR.R4.fhirpathModel;
    const compiled = Object.fromEntries(
        Object.entries(expressions).map(([link, expr]) => [link, fhirpath.compile(expr, model)]));
    return responses.map(qr => Object.fromEntries(Object.entries(compiled).map(([link, path]) => {
        const result = path(structuredClone(qr));
        return [link, result.length ? Number(result[0]) : null];
    })));
}"""


def _expressions(q):
    out = {}

    def walk(items):
        for item in items or []:
            walk(item.get("item"))
            for ext in item.get("extension") or []:
                if ext["url"] == CALCULATED_EXPRESSION:
                    out[item["linkId"]] = ext["valueString"]

    walk(q["item"])
    return out


@pytest.mark.parametrize(
    ("key", "golden"),
    [
        ("parorende-kartlegging@2.0.0", ["core_2_0_0_light.json", "core_2_0_0_heavy.json"]),
        ("parorende-kartlegging@1.1.0", ["core_1_1_0_full_realistic.json"]),
        ("samarbeidsavtale@2.0.0", []),
    ],
)
def test_fhirpath_js_gives_our_scores(key, golden):
    import json

    defn = load_registry(ROOT / "forms").resolve_ref(key)
    q = export_questionnaire(defn, fhirpath_scores=True)
    expressions = _expressions(q)
    assert expressions
    rng = random.Random(4)
    sets = [json.loads((ANSWERS / name).read_text("utf-8"))["answers"] for name in golden]
    sets += [{}] + [_random_answers(defn, rng) for _ in range(40)]
    responses = [export_response(defn, {"answers": effective_answers(defn, a)}) for a in sets]
    with lhc_page(lforms_dist(ROOT / ".cache")) as page:
        results = page.evaluate(EVALUATE, [expressions, responses])
    compared = 0
    for answers, got in zip(sets, results, strict=True):
        ours = {f"score.{s.id}": s.value for s in score(defn, answers).scales}
        for link, value in got.items():
            assert value == ours[link], (link, answers)
            compared += value is not None
    assert compared >= len(expressions) * 5
