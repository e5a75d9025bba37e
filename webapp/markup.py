"""Form texts in templates: the library's safe markup converter as a Jinja filter."""

from __future__ import annotations

from markupsafe import Markup

from formengine import to_html


def render_markup(text: object) -> Markup:
    """Return safe HTML for a form text: escape everything, then allow the tiny markup subset."""
    return to_html(text)
