"""Invitations and reminders through the outbox: e-mail received by a real SMTP server (aiosmtpd),
SMS through the generic HTTP JSON gateway received by a local HTTP server that records requests;
one reminder to a relative who has not answered after N days; a reminder to the coordinator when a
review is due (`flask reminders`); no message carries an answer or health information."""

from __future__ import annotations

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from webapp import db
from webapp.db import Response
from webapp.outbox import OutboxMessage

from ..smtpkit import SmtpServer
from .conftest import SECRET_TEXT, login, submitted, token


class SmsRecorder:
    """A local SMS gateway: records every request; answers with ``status``."""

    def __init__(self, status: int = 202):
        self.requests: list[dict] = []
        self.status = status
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                recorder.requests.append(
                    {
                        "path": self.path,
                        "auth": self.headers.get("Authorization"),
                        "type": self.headers.get("Content-Type"),
                        "json": json.loads(body),
                    }
                )
                self.send_response(recorder.status)
                self.end_headers()
                self.wfile.write(b'{"id": "1"}')

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/sms/send"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def smtp():
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def sms():
    with SmsRecorder() as recorder:
        yield recorder


@pytest.fixture
def wired(app, smtp, sms):
    app.config.update(
        SMTP_URL=smtp.url,
        MAIL_FROM="Testkommune <noreply@test.no>",
        SMS_GATEWAY_URL=sms.url,
        SMS_GATEWAY_TOKEN="hemmelig-token",
        SMS_SENDER="Testkommune",
        OUTBOX_SEND_AFTER_REQUEST=False,
        REMINDER_DAYS=7,
        BASE_URL="https://skjema.test.no",
    )
    return app


@pytest.fixture
def coord(wired, users):
    client = wired.test_client()
    assert login(client, users["coord_a"]).status_code == 303
    return client


def run(app, *args):
    result = app.test_cli_runner().invoke(args=list(args))
    assert result.exit_code == 0, result.output
    return result.output


def invite(client, **extra):
    data = {
        "csrf_token": token(client),
        "form_id": "testskjema",
        "case_ref": "2026/42",
        "lang": "nb",
        **extra,
    }
    return client.post("/staff/invitasjon", data=data)


def test_invitation_by_email_and_sms(wired, coord, smtp, sms):
    page = invite(coord, email="kari@example.org", phone="912 34 567")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "sendes på e-post til kari@example.org" in text and "sendes på SMS til +4791234567" in text
    assert "outbox: sent 2," in run(wired, "outbox", "run")
    (mail,) = smtp.inbox.wait_for(1)
    assert (
        mail.envelope_to == ["kari@example.org"] and mail.message["Subject"] == "Invitasjon fra Testkommune"
    )
    assert "https://skjema.test.no/r/" in mail.text and "https://skjema.test.no/fortsett" in mail.text
    (request,) = sms.requests
    assert request["auth"] == "Bearer hemmelig-token" and request["type"].startswith("application/json")
    assert request["json"]["to"] == "+4791234567" and request["json"]["from"] == "Testkommune"
    assert "Testkommune inviterer deg" in request["json"]["message"] and "/r/" in request["json"]["message"]
    with wired.app_context(), db.session() as s:
        (r,) = s.query(Response).filter(Response.case_ref == "2026/42").all()
    code = f"{r.code[:4]}-{r.code[4:]}"
    assert code in mail.text and code in request["json"]["message"]


def test_bad_phone_or_email_is_refused_with_a_message(wired, coord):
    page = invite(coord, phone="ring meg")
    assert page.status_code == 400 and "bare sifre" in page.get_data(as_text=True)
    page = invite(coord, email="kari@")
    assert page.status_code == 400 and "hele e-postadressen" in page.get_data(as_text=True)


def test_one_reminder_after_n_days_and_none_after_an_answer(wired, coord, smtp, sms):
    invite(coord, email="kari@example.org", phone="91234567")
    invite(coord, email="ola@example.org", case_ref="2026/43")
    run(wired, "outbox", "run")
    assert len(smtp.inbox.wait_for(2)) == 2
    assert run(wired, "reminders").startswith("reminders: 0 to relatives")  # too early
    with wired.app_context(), db.session() as s:
        for r in s.query(Response).filter(Response.case_ref.in_(["2026/42", "2026/43"])):
            r.created_at -= dt.timedelta(days=8)
            if r.case_ref == "2026/43":  # Ola answered: no reminder
                r.status, r.submitted_at, r.answers = "submitted", db.utcnow(), {"strain": SECRET_TEXT}
        s.commit()
    assert "reminders: 2 to relatives" in run(wired, "reminders")
    assert "reminders: 0 to relatives" in run(wired, "reminders")  # once only
    run(wired, "outbox", "run")
    mails = smtp.inbox.wait_for(3)
    reminder = [m for m in mails if m.message["Subject"] == "Påminnelse fra Testkommune"]
    assert len(reminder) == 1 and reminder[0].envelope_to == ["kari@example.org"]
    assert "Du får ikke flere påminnelser" in reminder[0].text
    assert len(sms.requests) == 2 and "Påminnelse fra Testkommune" in sms.requests[1]["json"]["message"]


def test_the_coordinator_is_reminded_when_a_review_is_due(wired, users, smtp):
    due = dt.date.today() + dt.timedelta(days=3)
    rid = submitted(wired, case_ref="2026/77", agreed_at=db.utcnow(), review_due=due)
    submitted(wired, case_ref="2026/78", agreed_at=db.utcnow(), review_due=due + dt.timedelta(days=200))
    submitted(wired, municipality="4601", case_ref="B-1", agreed_at=db.utcnow(), review_due=due)
    output = run(wired, "reminders")
    assert "2 to coordinators" in output  # each municipality's coordinator gets its own case only
    assert "0 to coordinators" in run(wired, "reminders")
    run(wired, "outbox", "run")
    mails = smtp.inbox.wait_for(2)
    mine = [m for m in mails if m.envelope_to == [users["coord_a"]]]
    assert len(mine) == 1 and mine[0].message["Subject"] == "Gjennomgang nærmer seg: sak 2026/77"
    theirs = [m for m in mails if m.envelope_to == [users["coord_b"]]]
    assert len(theirs) == 1 and theirs[0].message["Subject"] == "Gjennomgang nærmer seg: sak B-1"
    assert (
        f"https://skjema.test.no/staff/a/{rid}" in mine[0].text and due.strftime("%d.%m.%Y") in mine[0].text
    )


def test_no_message_carries_an_answer(wired, coord, users):
    invite(coord, email="kari@example.org", phone="91234567")
    submitted(wired, case_ref="2026/90", agreed_at=db.utcnow(), review_due=dt.date.today())
    with wired.app_context(), db.session() as s:
        for r in s.query(Response).filter(Response.case_ref == "2026/42"):
            r.created_at -= dt.timedelta(days=30)
            r.answers = {"strain": SECRET_TEXT, "relation": "parent"}
        s.commit()
    run(wired, "reminders")
    with wired.app_context(), db.session() as s:
        bodies = [(m.kind, m.subject + "\n" + m.body) for m in s.query(OutboxMessage)]
    assert {k for k, _b in bodies} == {"invitation", "reminder", "review_due"}
    for _kind, body in bodies:
        for leak in (SECRET_TEXT, "Forelder", "parent", "Barn under 18"):
            assert leak not in body


def test_sms_gateway_errors_retry_or_give_up(wired, coord):
    from webapp.outbox import PermanentError, TransportError
    from webapp.staff.messages import SmsGatewayTransport

    message = OutboxMessage(
        idempotency_key="k",
        kind="invitation",
        transport="sms",
        recipient="+4791234567",
        subject="",
        body="hei",
    )
    for status, error in ((503, TransportError), (429, TransportError), (400, PermanentError)):
        with SmsRecorder(status) as recorder:
            config = dict(wired.config, SMS_GATEWAY_URL=recorder.url)
            with pytest.raises(error):
                SmsGatewayTransport().send(config, message)
    assert not SmsGatewayTransport().configured({"SMS_GATEWAY_URL": "http://x"})
