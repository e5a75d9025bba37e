"""The form-text markup subset — **bold**, *italic*, [text](https://…) — as safe HTML or plain text.

Everything is HTML-escaped first; only then are the three patterns turned into tags, and the
result is sanitised with nh3 (only strong/em/a[href] with http, https or mailto survive).
Raw HTML in a form text is therefore always shown literally, in the web app and in PDFs.
"""

from __future__ import annotations

import re

import nh3
from markupsafe import Markup, escape

_LINK = re.compile(r"\[([^\]\n]+)\]\(((?:https?://|mailto:)[^)\s]+)\)")
_BOLD = re.compile(r"\*\*(?!\s)(.+?)(?<!\s)\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*(?!\s)([^*]+?)(?<!\s)\*(?![*\w])")


def to_html(text: object, paragraphs: bool = False) -> Markup:
    """Return safe HTML for a form text; with ``paragraphs``, blank lines become line breaks."""
    html = str(escape(str(text or "")))
    html = _LINK.sub(lambda m: f'<a href="{m.group(2)}">{m.group(1)}</a>', html)
    html = _BOLD.sub(r"<strong>\1</strong>", html)
    html = _ITALIC.sub(r"<em>\1</em>", html)
    if paragraphs:
        html = html.strip().replace("\n\n", "<br><br>")
    clean = nh3.clean(
        html,
        tags={"strong", "em", "a", "br"},
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return Markup(clean)  # noqa: S704  escaped above, then sanitised by nh3 to an allow-list


def plain(text: object) -> str:
    """Return a form text with the markup characters removed (for table cells and titles)."""
    out = _LINK.sub(r"\1", str(text or ""))
    out = _BOLD.sub(r"\1", out)
    return _ITALIC.sub(r"\1", out)
