"""Test-client helpers: read the hidden fields of a section page and post it like a browser."""

from __future__ import annotations

import html
import re

from .conftest import csrf


def hidden(page: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert match, f"no hidden field {name}"
    return html.unescape(match.group(1))


def post_page(client, url: str, data: dict, page: str | None = None, **kwargs):
    """Post a section page with its CSRF token, base fingerprint and shown list."""
    if page is None:
        page = client.get(url).get_data(as_text=True)
    form = {"csrf_token": csrf(page), "_base": hidden(page, "_base"), "_shown": hidden(page, "_shown")}
    form.update(data)
    return client.post(url, data=form, **kwargs)


def section_url(rid: str, section: str) -> str:
    return f"/svar/{rid}/del/{section}"
