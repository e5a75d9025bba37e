"""LHC-Forms shows our markdown as formatting: bold and paragraphs, never raw HTML from a form text.

LHC-Forms 40 renders ``rendering-xhtml`` only with the template option ``allowHTML``
(``lhc_roundtrip.TEMPLATE_OPTIONS``); without it, it shows the plain ``text`` fallback.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from formengine.definition.registry import load_registry
from formengine.fhir.export import export_questionnaire
from tests.fhir_clients.lhc_roundtrip import formatting, lforms_dist

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.browser

INTRO_BOLD = "Mange pårørende gjør mye. Takk for at du tar deg tid til dette."


@pytest.fixture(scope="module")
def dist() -> Path:
    return lforms_dist(ROOT / ".cache")


def test_the_core_assessment_shows_bold_and_paragraphs(dist):
    defn = load_registry(ROOT / "forms").get("parorende-kartlegging", "1.1.0")
    facts = formatting(dist, export_questionnaire(defn))
    assert INTRO_BOLD in facts["bold_text"]
    assert "bare til samtalen" in facts["bold_text"]
    assert facts["paragraphs"] >= 5  # the intro note alone has five
    assert facts["script"] == 0


UNSAFE = """
id: unsafe
version: 1.0.0
status: active
title: {nb: Utrygg}
languages: [nb]
default_language: nb
sections:
  - id: one
    title: {nb: En}
    items:
      - id: intro
        type: note
        text:
          nb: "**Fet** <img src=x onerror=\\"document.title='hacked'\\"> <script>document.title='hacked'</script>\\n\\nAndre <b>avsnitt</b>."
"""


def test_raw_html_in_a_form_text_shows_as_text(dist, tmp_path):
    (tmp_path / "unsafe").mkdir()
    (tmp_path / "unsafe" / "1.0.0.yaml").write_text(UNSAFE, "utf-8")
    registry = load_registry(tmp_path)
    assert registry.errors == [], registry.errors
    questionnaire = export_questionnaire(registry.get("unsafe", "1.0.0"))
    facts = formatting(dist, questionnaire)
    assert facts["bold_text"] == ["Fet"]  # our markup, not the form text's <b>
    assert facts["paragraphs"] == 2
    assert facts["script"] == 0
    assert "<img src=x" in facts["text"] and "<script>" in facts["text"]  # shown literally
    assert facts["title"] != "hacked"
