"""Two processes starting at once on an empty database (gunicorn -w 4 on first deploy, or two
app servers after an upgrade) both run the Alembic upgrade. The second must not fail."""

from __future__ import annotations

import threading
import time
import warnings

from webapp.db import Database


def test_second_process_starting_during_migration_does_not_fail(db_url):
    first = Database(db_url)
    outcome: dict = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)

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
        with first._migration_lock():  # what Database.upgrade() does, paused before the commit
            conn = first.engine.connect()
            trans = conn.begin()
            first.migrate(conn)  # the first process has migrated but not yet committed
            thread.start()
            time.sleep(1.0)  # let the second reach its lock while the first still holds it
            trans.commit()
            conn.close()
        thread.join(timeout=60)
    first.engine.dispose()
    assert outcome["error"] is None, repr(outcome["error"])
