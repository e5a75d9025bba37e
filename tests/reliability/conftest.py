"""Fixtures for the reliability tests: a database per backend, and real server processes."""

from __future__ import annotations

import os
import threading
import warnings

import pytest

from bench import pgutil
from bench.liveserver import LiveServer

from .helpers import pinned_forms

PG_URL = os.environ.get("FORMENGINE_TEST_POSTGRES_URL")
NO_PG = "FORMENGINE_TEST_POSTGRES_URL is not set (scripts/test.sh starts a throwaway server)"


@pytest.fixture
def pg_database():
    """A fresh, empty PostgreSQL database (dropped afterwards)."""
    if not PG_URL:
        pytest.skip(NO_PG)
    url = pgutil.create_database(PG_URL, "rel")
    yield url
    pgutil.drop_database(PG_URL, url)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    """An empty database: a SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'reliability.sqlite3'}"
    return request.getfixturevalue("pg_database")


def migrate(url: str) -> None:
    """Create the schema before servers start (concurrent first starts race: test_migrations.py)."""
    from webapp.db import Database

    database = Database(url)
    with warnings.catch_warnings():
        # the migrations themselves are tested in tests/webapp; only make the schema here
        warnings.simplefilter("ignore", DeprecationWarning)
        database.upgrade()
    database.engine.dispose()


@pytest.fixture
def live_server(tmp_path):
    """Start app server processes (``live_server(url, **kw)``) on a migrated database; stopped at the end."""
    started: list[LiveServer] = []
    migrated: set[str] = set()
    lock = threading.Lock()

    def start(url: str, **kwargs) -> LiveServer:
        with lock:
            if url not in migrated:
                migrate(url)
                migrated.add(url)
        kwargs.setdefault("forms", pinned_forms(tmp_path / "forms"))  # see pinned_forms
        server = LiveServer(url, **kwargs)
        started.append(server)
        return server.start()

    yield start
    for server in started:
        server.stop()
