"""Throwaway PostgreSQL databases for the bench and the reliability tests."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

REPO = Path(__file__).resolve().parent.parent


def server_url(start: bool = False) -> str | None:
    """FORMENGINE_TEST_POSTGRES_URL, or (``start=True``) the one scripts/pg.sh starts, or None."""
    url = os.environ.get("FORMENGINE_TEST_POSTGRES_URL")
    if (
        url
        or not start
        or not list(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
        or not shutil.which("bash")
    ):
        return url
    done = subprocess.run(
        [
            "bash",
            "-c",
            "source scripts/pg.sh >/dev/null && pg_start >/dev/null && echo $FORMENGINE_TEST_POSTGRES_URL",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return done.stdout.strip() or None


def create_database(base_url: str, prefix: str = "fe") -> str:
    """Create an empty database on the server of ``base_url``; return its URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    engine = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return make_url(base_url).set(database=name).render_as_string(hide_password=False)


def drop_database(base_url: str, url: str) -> None:
    name = make_url(url).database
    engine = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()
