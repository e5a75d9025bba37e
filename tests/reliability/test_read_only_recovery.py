"""Workers recover when the database comes back from read-only (issue #14, defect 10).

Server processes that connected while PostgreSQL was read-only (``default_transaction_read_only``,
as on a standby during a failover) kept those sessions in their pool and answered 503 until they
were restarted. A pooled connection is now checked out only if it may write.
"""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench.filler import Relative

from .conftest import NO_PG, PG_URL
from .helpers import marked_save

pytestmark = pytest.mark.postgres


def _admin(url: str, *statements: str) -> None:
    engine = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            for statement in statements:
                conn.execute(text(statement.format(db=make_url(url).database)))
    finally:
        engine.dispose()


def test_workers_recover_when_the_database_is_writable_again(pg_database, live_server):
    if not PG_URL:
        pytest.skip(NO_PG)
    server = live_server(pg_database, workers=2)
    relative = Relative(server.url)
    relative.start()
    assert marked_save(relative, "before").status_code == 303
    # the database turns read-only; the workers' connections are cut, and they reconnect read-only
    _admin(
        pg_database,
        'ALTER DATABASE "{db}" SET default_transaction_read_only = on',
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{db}' "
        "AND pid <> pg_backend_pid()",
    )
    during = [marked_save(relative, f"read-only {n}").status_code for n in range(6)]
    assert all(code == 503 for code in during), during
    # writable again, without touching the workers' connections
    _admin(pg_database, 'ALTER DATABASE "{db}" SET default_transaction_read_only = off')
    after = [marked_save(relative, f"after {n}").status_code for n in range(8)]
    print(f"read-only: {during}; writable again: {after}")
    assert all(code == 303 for code in after), after
