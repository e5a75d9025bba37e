"""rendering-xhtml made from our markup is safe: raw HTML in a form text never passes through."""

from __future__ import annotations

from formengine.fhir.common import xhtml


def test_raw_html_in_a_form_text_is_escaped_in_the_xhtml():
    out = xhtml(
        '**Fet** <script>alert(1)</script> <img src=x onerror="alert(1)">\n\nTo [lenke](javascript:alert(1))'
    )
    assert out.startswith('<div xmlns="http://www.w3.org/1999/xhtml"><p><strong>Fet</strong> &lt;script&gt;')
    assert "<script" not in out and "<img" not in out and 'href="javascript' not in out
    assert out.count("<p>") == 2
    assert "<a " not in out  # only http, https and mailto links become links


def test_links_keep_only_safe_schemes():
    out = xhtml("Se [Helsenorge](https://www.helsenorge.no).")
    assert '<a href="https://www.helsenorge.no" rel="noopener noreferrer">Helsenorge</a>' in out
