"""One safe converter for form-text markup, used by the web app and the PDFs."""

from __future__ import annotations

import pytest

from formengine.render.markup import plain, to_html


@pytest.mark.parametrize(
    "text, html",
    [
        ("Mange gjør **mye**.", "Mange gjør <strong>mye</strong>."),
        ("Det er *lov* å være sint.", "Det er <em>lov</em> å være sint."),
        (
            "Les [mer](https://example.org/a?b=1&c=2)",
            'Les <a href="https://example.org/a?b=1&amp;c=2" rel="noopener noreferrer">mer</a>',
        ),
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("[x](javascript:alert(1))", "[x](javascript:alert(1))"),
        (
            '[x](https://a.b/" onmouseover="alert(1))',
            '[x](https://a.b/" onmouseover="alert(1))',
        ),  # text, no tag
        ("{{ 7*7 }} & <b>", "{{ 7*7 }} &amp; &lt;b&gt;"),
        ("2 * 3 * 4", "2 * 3 * 4"),
    ],
)
def test_to_html(text, html):
    assert str(to_html(text)) == html


def test_paragraphs_and_plain():
    assert str(to_html("a\n\nb", paragraphs=True)) == "a<br><br>b"
    assert plain("**a** *b* [c](https://d.e)") == "a b c"
