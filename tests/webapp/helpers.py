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


def make_app(tmp_path, registry):
    """A test app on SQLite in ``tmp_path`` serving ``registry``; dispose its engine when done."""
    from webapp import create_app

    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'test.sqlite3'}",
            "FORM_REGISTRY": registry,
            "ACCESS_LOG": False,
        }
    )


def start_response(client, form_id: str) -> str:
    """Start ``form_id`` from the front page, pass the intro, and return the response id."""
    page = client.get("/").get_data(as_text=True)
    url = client.post(f"/start/{form_id}", data={"csrf_token": csrf(page)}).headers["Location"]
    page = client.get(url).get_data(as_text=True)
    assert client.post(url, data={"csrf_token": csrf(page)}).status_code == 303
    return url.split("/")[2]
