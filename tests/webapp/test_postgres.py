"""The same storage on PostgreSQL (FORMENGINE_DATABASE_URL): migrations, saving, conflicts, lock-out."""

from __future__ import annotations

import os
import secrets

import pytest

from webapp import create_app, responses

from .conftest import csrf
from .formfixtures import sample_registry
from .helpers import post_page, section_url

PG_URL = os.environ.get("FORMENGINE_TEST_POSTGRES_URL")
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not PG_URL,
        reason="FORMENGINE_TEST_POSTGRES_URL is not set (scripts/test.sh starts a throwaway server)",
    ),
]


@pytest.fixture
def pg_app():
    from sqlalchemy import create_engine, text

    name = "webapp_" + secrets.token_hex(4)
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = PG_URL.rsplit("/", 1)[0] + "/" + name
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "pg",
            "DATABASE_URL": url,
            "ACCESS_LOG": False,
            "FORM_REGISTRY": sample_registry(),
            "CODE_MAX_ATTEMPTS": 2,
        }
    )
    yield app
    app.extensions["formengine_db"].engine.dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


def test_fill_conflict_submit_and_lockout_on_postgres(pg_app):
    client = pg_app.test_client()
    page = client.get("/").get_data(as_text=True)
    rid = client.post("/start/testskjema", data={"csrf_token": csrf(page)}).headers["Location"].split("/")[2]
    page = client.get(f"/svar/{rid}/om").get_data(as_text=True)
    client.post(f"/svar/{rid}/om", data={"csrf_token": csrf(page)})
    url = section_url(rid, "tasks")
    old = client.get(url).get_data(as_text=True)
    assert post_page(client, url, {"hours": "10", "tasks-money": "me"}).status_code == 303
    assert post_page(client, url, {"hours": "11"}, old).status_code == 409
    with pg_app.app_context():
        saved = responses.get(rid)
    assert saved.answers == {"hours": 10, "tasks": {"money": "me"}} and saved.revision == 1
    page = client.get(f"/svar/{rid}/oppsummering").get_data(as_text=True)
    client.post(f"/svar/{rid}/send", data={"csrf_token": csrf(page)})
    with pg_app.app_context():
        assert responses.get(rid).status == "submitted"
    other = pg_app.test_client()
    for expected in (400, 429):
        page = other.get("/fortsett").get_data(as_text=True)
        assert (
            other.post("/fortsett", data={"csrf_token": csrf(page), "code": "AAAA-AAAA"}).status_code
            == expected
        )


def test_outbox_senders_never_send_twice_on_postgres(pg_app):
    """Issue 12: the claim is one conditional UPDATE; concurrent senders on PostgreSQL send each row once."""
    import threading

    from webapp import db, outbox

    sent = []
    lock = threading.Lock()

    class Counting:
        def configured(self, config):
            return True

        def send(self, config, message):
            with lock:
                sent.append(message.idempotency_key)

    outbox.register_transport("counting", Counting())
    try:
        with pg_app.app_context(), db.session() as s:
            for n in range(20):
                outbox.enqueue(
                    s, kind="k", recipient="r", subject="s", body="b", key=f"pg{n}", transport="counting"
                )
            outbox.enqueue(s, kind="k", recipient="r", subject="s", body="b", key="pg0", transport="counting")
            s.commit()
        sessions = pg_app.extensions["formengine_db"].sessions
        barrier = threading.Barrier(4)

        def run():
            barrier.wait()
            outbox.deliver_due(pg_app.config, sessions)

        threads = [threading.Thread(target=run) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        del outbox.TRANSPORTS["counting"]
    assert sorted(sent) == sorted(f"pg{n}" for n in range(20))
