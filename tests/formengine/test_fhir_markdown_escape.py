"""rendering-markdown carries our markup, never HTML: a ``<`` in a form text is escaped, and read back."""

from __future__ import annotations

import pytest

from formengine.fhir.common import RENDERING_MARKDOWN, markdown, read_text


@pytest.mark.parametrize(
    "text", ["**Fet** <img src=x>\n\nAndre <b>avsnitt</b>.", "a \\< b", "**bare** tekst"]
)
def test_markdown_escapes_html_and_reads_back(text):
    value = markdown(text)
    assert "<" not in value.replace("\\<", "")  # every < is escaped for a markdown renderer
    element = {"text": "x", "_text": {"extension": [{"url": RENDERING_MARKDOWN, "valueMarkdown": value}]}}
    assert read_text(element, "text", "nb") == {"nb": text}
