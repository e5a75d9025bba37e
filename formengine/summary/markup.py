"""Form-text markup in PDFs: the library's one safe converter (see formengine.render.markup)."""

from __future__ import annotations

from markupsafe import Markup

from formengine.render.markup import plain, to_html

__all__ = ["markup", "plain"]


def markup(text: object) -> Markup:
    """Return safe HTML for a form text (paragraph breaks become <br>)."""
    return to_html(text, paragraphs=True)
