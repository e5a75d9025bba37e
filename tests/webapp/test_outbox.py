"""The outbox: stored with the change that causes it, sent once per key, kept while SMTP is down."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import select

from webapp import db, outbox
from webapp.outbox import OutboxMessage, deliver_due, enqueue, parse_smtp_url

from .smtpkit import SmtpServer


@pytest.fixture
def smtp():
    server = SmtpServer().start()
    yield server
    server.stop()


def settings(app, url):
    app.config.update(
        SMTP_URL=url,
        MAIL_FROM="Pårørendeskjema <noreply@example.org>",
        OUTBOX_RETRY_SECONDS=0,
        OUTBOX_SEND_AFTER_REQUEST=False,
    )
    return app.config


def add(app, key="alert:r1:safety", recipient="vakt@example.org"):
    with app.app_context(), db.session() as s:
        made = enqueue(
            s,
            kind="alert",
            recipient=recipient,
            subject="Trenger oppmerksomhet",
            body="Åpne: https://example.org/staff/x",
            key=key,
            municipality="0301",
        )
        s.commit()
        return made


def rows(app):
    with app.app_context(), db.session() as s:
        return list(s.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def sessions(app):
    return app.extensions["formengine_db"].sessions


def test_message_is_sent_once_with_a_stable_message_id(app, smtp):
    config = settings(app, smtp.url)
    add(app)
    assert str(deliver_due(config, sessions(app))) == "sent 1, to retry 0, failed 0, waiting for settings 0"
    assert str(deliver_due(config, sessions(app))).startswith("sent 0")
    got = smtp.inbox.wait_for(1)
    assert len(got) == 1 and got[0].envelope_to == ["vakt@example.org"]
    assert got[0].message["Message-ID"] == outbox.message_id("alert:r1:safety")
    assert "https://example.org/staff/x" in got[0].text
    assert [(r.status, r.attempts) for r in rows(app)] == [("sent", 1)]


def test_same_idempotency_key_is_stored_once(app, smtp):
    config = settings(app, smtp.url)
    assert add(app) is not None
    assert add(app) is None
    with app.app_context(), db.session() as s:  # twice in one transaction
        assert enqueue(s, kind="k", recipient="a@example.org", subject="s", body="b", key="dup") is not None
        assert enqueue(s, kind="k", recipient="a@example.org", subject="s", body="b", key="dup") is None
        s.commit()
    deliver_due(config, sessions(app))
    assert len(smtp.inbox.wait_for(2)) == 2
    assert len(rows(app)) == 2


def test_nothing_is_stored_when_the_transaction_rolls_back(app):
    with app.app_context(), db.session() as s:
        enqueue(s, kind="alert", recipient="a@example.org", subject="s", body="b", key="gone")
        s.rollback()
    assert rows(app) == []


def test_smtp_down_keeps_the_message_and_sends_it_once_when_back(app):
    server = SmtpServer()  # not started: the port refuses connections
    config = settings(app, server.url)
    add(app)
    report = deliver_due(config, sessions(app))
    assert (report.sent, report.retry) == (0, 1)
    [row] = rows(app)
    assert row.status == "pending" and row.attempts == 1 and "Connection" in row.last_error
    server.start()
    try:
        assert deliver_due(config, sessions(app)).sent == 1
        assert deliver_due(config, sessions(app)).sent == 0
        assert len(server.inbox.wait_for(1)) == 1
    finally:
        server.stop()
    assert [r.status for r in rows(app)] == ["sent"]


def test_retries_back_off_and_give_up(app):
    config = settings(app, SmtpServer().url)
    config.update(OUTBOX_RETRY_SECONDS=60, OUTBOX_MAX_ATTEMPTS=2)
    add(app)
    deliver_due(config, sessions(app))
    [row] = rows(app)
    assert dt.timedelta(seconds=55) < row.next_attempt_at - db.utcnow() <= dt.timedelta(seconds=60)
    assert deliver_due(config, sessions(app)).retry == 0  # not due yet
    later = db.utcnow() + dt.timedelta(seconds=61)
    assert deliver_due(config, sessions(app), now=later).failed == 1
    assert [r.status for r in rows(app)] == ["failed"]
    assert outbox.backoff(config, 10) == dt.timedelta(seconds=3600)


def test_without_smtp_settings_messages_wait(app):
    config = settings(app, None)
    add(app)
    assert deliver_due(config, sessions(app)).waiting == 1
    assert [(r.status, r.attempts) for r in rows(app)] == [("pending", 0)]


def test_two_senders_at_once_send_each_message_once(app, smtp):
    config = settings(app, smtp.url)
    for n in range(6):
        add(app, key=f"k{n}")
    barrier = threading.Barrier(3)

    def sender():
        barrier.wait()
        deliver_due(config, sessions(app))

    threads = [threading.Thread(target=sender) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    got = smtp.inbox.wait_for(6)
    assert sorted(m.message["Message-ID"] for m in got) == sorted(
        outbox.message_id(f"k{n}") for n in range(6)
    )
    assert [r.status for r in rows(app)] == ["sent"] * 6


def test_a_dead_senders_claim_is_taken_over_after_the_lease(app, smtp):
    config = settings(app, smtp.url)
    add(app)
    with app.app_context(), db.session() as s:
        row = s.scalars(select(OutboxMessage)).one()
        row.status, row.claimed_until = "sending", db.utcnow() + dt.timedelta(minutes=1)
        s.commit()
    assert deliver_due(config, sessions(app)).sent == 0  # still claimed
    assert deliver_due(config, sessions(app), now=db.utcnow() + dt.timedelta(minutes=2)).sent == 1


def test_cli_run_sends_and_status_counts(app, smtp):
    settings(app, smtp.url)
    add(app)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["outbox", "status"]).output.strip() == "pending 1, sending 0, sent 0, failed 0"
    result = runner.invoke(args=["outbox", "run"])
    assert result.exit_code == 0 and "sent 1" in result.output
    assert len(smtp.inbox.wait_for(1)) == 1


def test_smtp_urls():
    plain = parse_smtp_url("smtp://u%40x:p%3Aw@mail.example.org:587?starttls=require")
    assert (plain.host, plain.port, plain.user, plain.password, plain.starttls, plain.implicit_tls) == (
        "mail.example.org",
        587,
        "u@x",
        "p:w",
        "require",
        False,
    )
    assert parse_smtp_url("smtps://mail.example.org").port == 465
    with pytest.raises(ValueError):
        parse_smtp_url("http://mail.example.org")


def test_unknown_transport_is_refused(app):
    with app.app_context(), db.session() as s, pytest.raises(ValueError):
        enqueue(s, kind="k", recipient="+4799999999", subject="", body="b", key="x", transport="pigeon")


def test_a_registered_transport_sends_its_messages(app):
    sent = []

    class Fake:
        def configured(self, config):
            return True

        def send(self, config, message):
            sent.append((message.recipient, message.body))

    outbox.register_transport("fake-sms", Fake())
    try:
        with app.app_context(), db.session() as s:
            enqueue(
                s,
                kind="reminder",
                recipient="+4799999999",
                subject="",
                body="Hei",
                key="sms1",
                transport="fake-sms",
            )
            s.commit()
        deliver_due(app.config, sessions(app))
    finally:
        del outbox.TRANSPORTS["fake-sms"]
    assert sent == [("+4799999999", "Hei")]


def test_a_message_enqueued_in_a_request_is_sent_after_it(app, smtp):
    settings(app, smtp.url)
    app.config["OUTBOX_SEND_AFTER_REQUEST"] = True

    @app.post("/test-enqueue")
    def _enqueue():
        with db.session() as s:
            enqueue(s, kind="alert", recipient="vakt@example.org", subject="s", body="b", key="req1")
            s.commit()
        return "ok"

    app.config["WTF_CSRF_ENABLED"] = False
    assert app.test_client().post("/test-enqueue").status_code == 200
    assert len(smtp.inbox.wait_for(1)) == 1
