"""Two processes starting at once on an empty database (gunicorn -w 4 on first deploy, or two
app servers after an upgrade) both run the Alembic upgrade. The second must not fail."""
from __future__ import annotations

import threading
import time
import warnings

import pytest
from alembic import command
from alembic.config import Config

from webapp.db import MIGRATIONS, Database


@pytest.mark.xfail(strict=True, reason=(
    "webapp/db.py Database.upgrade()/init_app(): every process runs 'alembic upgrade head' on start "
    "without a lock; a second process starting while the first migrates fails with 'table responses "
    "already exists' (SQLite) / UniqueViolation pg_type_typname_nsp_index (PostgreSQL), so a gunicorn "
    "worker fails to boot and the master shuts down. Fix: take a lock around the upgrade "
    "(pg_advisory_xact_lock on PostgreSQL, BEGIN IMMEDIATE on SQLite) and re-check the revision inside it."))
def test_second_process_starting_during_migration_does_not_fail(db_url):
    first = Database(db_url)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    outcome: dict = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        conn = first.engine.connect()
        trans = conn.begin()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")  # the first process has migrated but not yet committed

        def second_process_starts() -> None:
            other = Database(db_url)
            try:
                other.upgrade()
                outcome["error"] = None
            except Exception as exc:  # noqa: BLE001 - the outcome is the assertion
                outcome["error"] = exc
            finally:
                other.engine.dispose()

        thread = threading.Thread(target=second_process_starts)
        thread.start()
        time.sleep(1.0)  # let it reach the schema check while the first still holds its transaction
        trans.commit()
        conn.close()
        thread.join(timeout=60)
    first.engine.dispose()
    assert outcome["error"] is None, repr(outcome["error"])
