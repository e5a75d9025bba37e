"""Form texts may use **bold**, *italic* and [text](https://…): convert, then sanitise with nh3."""
from __future__ import annotations

import re

import nh3
from markupsafe import Markup, escape

_LINK = re.compile(r"\[([^\]\n]+)\]\(((?:https?://|mailto:)[^)\s]+)\)")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*(?!\s)(.+?)(?<!\s)\*(?![*\w])")


def render_markup(text: object) -> Markup:
    """Return safe HTML for a form text: escape everything, then allow the tiny markup subset."""
    html = str(escape(str(text or "")))
    html = _LINK.sub(lambda m: f'<a href="{m.group(2)}">{m.group(1)}</a>', html)
    html = _BOLD.sub(r"<strong>\1</strong>", html)
    html = _ITALIC.sub(r"<em>\1</em>", html)
    clean = nh3.clean(
        html,
        tags={"b", "strong", "em", "i", "a"},
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return Markup(clean)
