from __future__ import annotations

import re

import pytest

from webapp import create_app

from .formfixtures import sample_registry


@pytest.fixture
def app(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'test.sqlite3'}",
            "FORM_REGISTRY": sample_registry(),
            "ACCESS_LOG": False,
        }
    )
    yield app
    app.extensions["formengine_db"].engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


def csrf(html: str) -> str:
    match = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html)
    if not match:
        match = re.search(r'id="csrf_token" name="csrf_token" type="hidden" value="([^"]+)"', html)
    assert match, "no csrf token on the page"
    return match.group(1)


@pytest.fixture
def started(client):
    """A self-started response that has passed the consent page; returns its id."""
    page = client.get("/").get_data(as_text=True)
    resp = client.post("/start/testskjema", data={"csrf_token": csrf(page)})
    assert resp.status_code == 303
    consent_url = resp.headers["Location"]
    rid = consent_url.split("/")[2]
    page = client.get(consent_url).get_data(as_text=True)
    resp = client.post(consent_url, data={"csrf_token": csrf(page)})
    assert resp.status_code == 303
    return rid
