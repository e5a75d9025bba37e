"""Jinja2 templates (autoescape always on) and WeasyPrint, with the bundled fonts.

Templates are looked up specific-then-generic: ``{kind}/{form_id}.html``, then
``{kind}/default.html``, so a municipality can restyle its own form's documents. The stylesheet
and the font configuration are parsed once and reused, which keeps a warm render fast. Fonts
come from ``fonts/`` next to this file (``base_url``), never from the machine.
"""

from __future__ import annotations

import atexit
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from formengine.render.textsafety import for_print
from formengine.summary.markup import markup, plain

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
BASE_URL = HERE.as_uri() + "/"
_FORM_ID = re.compile(r"^[a-z][a-z0-9-]*$")


def _printable(value: object) -> object:
    """Every printed text: bidi controls visible, fullwidth letters in the fonts we have (textsafety)."""
    if isinstance(value, Markup):
        return Markup(for_print(str(value)))  # noqa: S704 - already safe; the marks add no HTML
    if isinstance(value, str):
        return for_print(value)
    return value


def css_string(value: object) -> Markup:
    """Quote a text as a CSS string (for @page content in a <style> block)."""
    text = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("<", "").replace("\n", " ")
    return Markup(f'"{text}"')  # noqa: S704  quotes, backslashes and '<' are neutralised above


@lru_cache(maxsize=1)
def environment() -> Environment:
    """Return the shared Jinja2 environment: autoescape on for every template."""
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_printable,
    )
    env.filters["markup"] = markup
    env.filters["plain"] = plain
    env.filters["css_string"] = css_string
    return env


def render_html(kind: str, form_id: str, context: dict[str, Any]) -> str:
    """Render ``{kind}/{form_id}.html`` if it exists, else ``{kind}/default.html``."""
    names = [f"{kind}/{form_id}.html"] if _FORM_ID.match(form_id or "") else []
    template = environment().select_template(names + [f"{kind}/default.html"])
    return template.render(**context)


@lru_cache(maxsize=1)
def _styles() -> tuple[Any, Any]:  # WeasyPrint's CSS and FontConfiguration (untyped)
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    sheet = CSS(filename=str(TEMPLATES / "style.css"), base_url=BASE_URL, font_config=fonts)
    return sheet, fonts


atexit.register(_styles.cache_clear)  # free the font configuration while its modules still exist


#: PDF variants: "tagged" (PDF/UA-1: a structure tree screen readers follow, ``/MarkInfo``
#: ``/Marked true``, the document language and title) for documents people read; "archive"
#: (PDF/A-2b, the archival form Noark 5 archives take, with ``pdfaid:part`` in its XMP
#: metadata) for the record copy, tagged as well.
VARIANTS = {
    "tagged": {"pdf_variant": "pdf/ua-1", "pdf_tags": True},
    "archive": {"pdf_variant": "pdf/a-2b", "pdf_tags": True},
    "plain": {},
}


def html_to_pdf(html: str, variant: str = "tagged") -> bytes:
    """Lay out ``html`` on A4 with the bundled stylesheet and fonts; return the PDF bytes.

    ``variant`` is "tagged" (default), "archive" (PDF/A-2b, tagged) or "plain".
    """
    from weasyprint import HTML

    sheet, fonts = _styles()
    options = VARIANTS[variant]
    pdf: bytes = HTML(string=html, base_url=BASE_URL).write_pdf(
        stylesheets=[sheet], font_config=fonts, **options
    )
    return pdf
