"""Shared set-up for the HTTP security tests: the real app over the shipped forms."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from webapp import create_app
from webapp.staff import auth

from ..webapp.conftest import csrf


@pytest.fixture
def real_app(tmp_path, monkeypatch):
    """The app with the shipped forms on a fresh SQLite file (light Argon2 for staff logins)."""
    monkeypatch.setattr(auth, "hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    auth._dummy_hash.cache_clear()
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "sec",
            "ACCESS_LOG": False,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'sec.sqlite3'}",
        }
    )
    yield app
    app.extensions["formengine_db"].engine.dispose()


def started(client, form_id: str = "parorende-kartlegging") -> str:
    """Self-start a form (the core assessment unless told) and pass its consent page; return the response id."""
    page = client.get("/").get_data(as_text=True)
    consent = client.post(f"/start/{form_id}", data={"csrf_token": csrf(page)}).headers["Location"]
    client.post(consent, data={"csrf_token": csrf(client.get(consent).get_data(as_text=True))})
    return consent.split("/")[2]
