"""Refero shows our markdown as formatting (bold, paragraphs) and never runs HTML from a form text.

Refero 22 reads the ``rendering-markdown`` extension on ``_text`` itself (``marked``, then DOMPurify;
the ``onRenderMarkdown`` prop would replace its renderer, the test page does not pass one).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from formengine.definition.registry import load_registry
from formengine.fhir.export import export_questionnaire
from tests.fhir_clients import refero_roundtrip as refero
from tests.fhir_clients.test_lhc_formatting import INTRO_BOLD, UNSAFE

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.browser

# a display item has no id of its own in Refero: the first one of the form is the intro note
FACTS = """() => {
    const el = document.querySelector('#form .page_refero__component_display');
    return {
        bold_text: [...el.querySelectorAll('strong, b')].map(b => b.textContent.trim()).filter(Boolean),
        paragraphs: el.querySelectorAll('p').length,
        script: document.querySelectorAll('#form script').length,
        images: el.querySelectorAll('img').length,
        text: el.textContent,
        title: document.title,
    };
}"""


@pytest.fixture(scope="module")
def page():
    with refero.refero_page(refero.build()) as page:
        yield page


def test_the_core_assessment_shows_bold_and_paragraphs(page):
    defn = load_registry(ROOT / "forms").get("parorende-kartlegging", "1.1.0")
    refero.load(page, export_questionnaire(defn))
    facts = page.evaluate(FACTS)
    assert INTRO_BOLD in " ".join(facts["bold_text"])
    assert facts["paragraphs"] >= 5  # the intro note alone has five
    assert "**" not in facts["text"]
    assert facts["script"] == 0


def test_raw_html_in_a_form_text_shows_as_text(page, tmp_path):
    """Our markup has no HTML; the export escapes ``<`` in rendering-markdown (fhir.common.markdown),
    so Refero shows a form text's tags literally instead of rendering them through DOMPurify."""
    (tmp_path / "unsafe").mkdir()
    (tmp_path / "unsafe" / "1.0.0.yaml").write_text(UNSAFE, "utf-8")
    registry = load_registry(tmp_path)
    assert registry.errors == [], registry.errors
    refero.load(page, export_questionnaire(registry.get("unsafe", "1.0.0")))
    facts = page.evaluate(FACTS)
    assert facts["bold_text"] == ["Fet"]  # our markup, not the form text's <b>
    assert facts["paragraphs"] == 2
    assert facts["script"] == 0
    assert facts["images"] == 0
    assert "<img src=x" in facts["text"] and "<script>" in facts["text"]  # shown literally
    assert facts["title"] != "hacked"
