"""A tiny, safe converter for the form-text markup subset: **bold**, *italic*, [text](https://…).

Everything is HTML-escaped first; only then are the three patterns turned into tags, so raw
HTML in a form text is always shown literally. Link targets must be http(s) or mailto.
"""
from __future__ import annotations

import re

from markupsafe import Markup, escape

_LINK = re.compile(r"\[([^\]\n]+)\]\(((?:https?://|mailto:)[^)\s]+)\)")
_BOLD = re.compile(r"\*\*(?!\s)(.+?)(?<!\s)\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*(?!\s)([^*]+?)(?<!\s)\*(?![*\w])")


def markup(text: object) -> Markup:
    """Return safe HTML for a form text (paragraph breaks become <br>)."""
    html = str(escape(str(text or "")))
    html = _LINK.sub(lambda m: f'<a href="{m.group(2)}">{m.group(1)}</a>', html)
    html = _BOLD.sub(r"<strong>\1</strong>", html)
    html = _ITALIC.sub(r"<em>\1</em>", html)
    return Markup(html.strip().replace("\n\n", "<br><br>"))


def plain(text: object) -> str:
    """Return a form text with the markup characters removed (for table cells and titles)."""
    out = _LINK.sub(r"\1", str(text or ""))
    out = _BOLD.sub(r"\1", out)
    return _ITALIC.sub(r"\1", out)
