"""LHC-Forms (npm lforms, pinned in lhc_roundtrip.LFORMS_VERSION) reads our FHIR and gives every answer back.

For every shipped form version: an answer to every visible item (matrix rows, cards, repeats,
multi choice, text, dates, numbers) is exported, loaded into LHC-Forms in Chromium, read back
from LHC-Forms' own QuestionnaireResponse with our importer, and compared.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from formengine.answers.check import prune_hidden
from formengine.definition.registry import load_registry
from formengine.fhir.export import export_questionnaire
from formengine.fhir.response import export_response, import_response
from formengine.fhir.validate import check_response
from tests.fhir_clients.lhc_roundtrip import lforms_dist, round_trip
from tests.formengine.test_fhir_export import fill

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def dist() -> Path:
    return lforms_dist(ROOT / ".cache")


@pytest.mark.parametrize("defn", load_registry(ROOT / "forms").all(), ids=lambda d: d.key)
def test_every_answer_survives_the_lhc_forms_round_trip(dist, defn):
    answers = prune_hidden(defn, fill(defn))  # LHC-Forms, like us, drops answers to hidden items
    questionnaire = export_questionnaire(defn)
    response = export_response(defn, {"answers": answers})
    assert check_response(questionnaire, response) == []
    back = round_trip(dist, questionnaire, response)
    assert [str(p) for p in check_response(questionnaire, back)] == []
    assert import_response(defn, back)["answers"] == answers
