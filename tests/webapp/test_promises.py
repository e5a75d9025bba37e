"""Promises kept, through the web app on the shipped forms: who gets the answers, contact details,
safety help, the staff alert and its e-mail, codes that expire, per-entry privacy."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from webapp import create_app, db
from webapp.db import Response
from webapp.outbox import OutboxMessage
from webapp.promises import ContactDetails, StaffAlert
from webapp.staff.models import AccessLog

from .conftest import csrf
from .helpers import post_page
from .smtpkit import SmtpServer
from .staff.conftest import add_user, login

PLACE = "eksempel"
DUTY = "vakt@eksempel.kommune.no"
FORM = "parorende-kartlegging"


@pytest.fixture
def smtp():
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def real_app(tmp_path, smtp):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "t",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'r.db'}",
            "ACCESS_LOG": False,
            "SMTP_URL": smtp.url,
            "MAIL_FROM": "noreply@example.org",
            "DUTY_EMAILS": f"{PLACE}={DUTY}",
            "BASE_URL": "https://par.example.org",
        }
    )
    yield app
    app.extensions["formengine_db"].engine.dispose()


def start(client, where: str | None = PLACE) -> str:
    page = client.get("/").get_data(as_text=True)
    rid = client.post(f"/start/{FORM}", data={"csrf_token": csrf(page)}).headers["Location"].split("/")[2]
    page = client.get(f"/svar/{rid}/om").get_data(as_text=True)
    resp = client.post(f"/svar/{rid}/om", data={"csrf_token": csrf(page)})
    resp = client.get(resp.headers["Location"])
    assert resp.status_code == 303 and resp.headers["Location"].endswith(f"/svar/{rid}/hvem")
    if where is not None:
        page = client.get(f"/svar/{rid}/hvem").get_data(as_text=True)
        resp = client.post(f"/svar/{rid}/hvem", data={"csrf_token": csrf(page), "where": where})
        assert resp.status_code == 303
    return rid


def section_of(app, item_id: str) -> str:
    defn = app.config["FORM_REGISTRY"].latest_active(FORM)
    return next(s.id for s in defn.sections if any(i.id == item_id for i in s.items))


def rows(app, model):
    with app.app_context(), db.session() as s:
        return list(s.scalars(select(model)))


def submit(client, rid: str):
    page = client.get(f"/svar/{rid}/oppsummering").get_data(as_text=True)
    return client.post(f"/svar/{rid}/send", data={"csrf_token": csrf(page)})


def test_choice_page_lists_municipalities_and_just_for_me(real_app):
    client = real_app.test_client()
    rid = start(client, None)
    page = client.get(f"/svar/{rid}/hvem").get_data(as_text=True)
    assert "Eksempel kommune" in page and 'value="private"' in page
    resp = client.post(f"/svar/{rid}/hvem", data={"csrf_token": csrf(page), "where": "nowhere"})
    assert resp.status_code == 400


def test_safety_journey_alerts_staff_once_by_email_with_only_a_link(real_app, smtp):
    client = real_app.test_client()
    rid = start(client)
    sec = section_of(real_app, "safety_worry")
    resp = post_page(client, f"/svar/{rid}/del/{sec}", {"safety_worry": "yes"})
    assert resp.status_code == 303 and "trygg=1" in resp.headers["Location"]
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert 'href="tel:113"' in page and "116 117" in page and "116 123" in page
    page = client.get(f"/svar/{rid}/kontakt").get_data(as_text=True)
    resp = client.post(
        f"/svar/{rid}/kontakt",
        data={"csrf_token": csrf(page), "name": "Kari Testperson", "phone": "912 34 567", "channel": "phone"},
    )
    assert resp.status_code == 303
    assert submit(client, rid).status_code == 303
    receipt = client.get(f"/svar/{rid}/kvittering").get_data(as_text=True)
    assert "113" in receipt and "116 117" in receipt
    assert "Eksempel kommune" in receipt
    [mail] = smtp.inbox.wait_for(1)
    assert mail.envelope_to == [DUTY]
    assert f"https://par.example.org/staff/a/{rid}" in mail.text
    assert "Kari" not in mail.text and "912" not in mail.text and "skade" not in mail.text
    again = client.post(
        f"/svar/{rid}/send", data={"csrf_token": csrf(client.get("/fortsett").get_data(as_text=True))}
    )
    assert again.status_code == 303
    assert len(rows(real_app, OutboxMessage)) == 1
    # the coordinator sees the alert until acknowledging it; the acknowledgement is logged
    add_user(real_app, "koord@eksempel.no", "coordinator", PLACE)
    staff = real_app.test_client()
    assert login(staff, "koord@eksempel.no").status_code == 303
    overview = staff.get("/staff/").get_data(as_text=True)
    assert "Needs attention today" in overview or "trenger oppmerksomhet" in overview.lower()
    [alert] = [a for a in rows(real_app, StaffAlert) if a.flag_id == "harm_worry"]
    detail = staff.get(f"/staff/a/{rid}").get_data(as_text=True)
    assert "912 34 567" in detail
    staff.post(f"/staff/varsel/{alert.id}/kvitter", data={"csrf_token": csrf(overview)})
    for other in rows(real_app, StaffAlert):
        if other.acknowledged_at is None:
            staff.post(f"/staff/varsel/{other.id}/kvitter", data={"csrf_token": csrf(overview)})
    assert f"/staff/varsel/{alert.id}/kvitter" not in staff.get("/staff/").get_data(as_text=True)
    logged = [
        (r.action, r.email, r.response_id) for r in rows(real_app, AccessLog) if r.action == "alert_ack"
    ]
    assert ("alert_ack", "koord@eksempel.no", rid) in logged


def test_just_for_me_promises_no_contact_and_alerts_nobody(real_app, smtp):
    client = real_app.test_client()
    rid = start(client, "private")
    sec = section_of(real_app, "safety_worry")
    post_page(client, f"/svar/{rid}/del/{sec}", {"safety_worry": "yes"})
    assert client.get(f"/svar/{rid}/kontakt").status_code == 303  # no contact page
    submit(client, rid)
    receipt = client.get(f"/svar/{rid}/kvittering").get_data(as_text=True)
    assert "113" in receipt
    assert "They will contact you" not in receipt and "tar kontakt med deg for" not in receipt
    assert rows(real_app, StaffAlert) == [] and rows(real_app, OutboxMessage) == []


def test_municipality_without_a_way_to_reach_promises_no_call(real_app):
    client = real_app.test_client()
    rid = start(client)
    submit(client, rid)
    receipt = client.get(f"/svar/{rid}/kvittering").get_data(as_text=True)
    assert "tar kontakt med deg for å avtale" not in receipt
    assert "så de kan ikke kontakte deg" in receipt


def test_contact_details_only_for_that_municipality_and_purged(real_app):
    client = real_app.test_client()
    rid = start(client)
    page = client.get(f"/svar/{rid}/kontakt").get_data(as_text=True)
    client.post(
        f"/svar/{rid}/kontakt",
        data={"csrf_token": csrf(page), "phone": "+47 912 34 567", "email": "kari@example.org"},
    )
    submit(client, rid)
    add_user(real_app, "admin@eksempel.no", "municipality_admin", PLACE)
    add_user(real_app, "koord@annen.no", "coordinator", "0301")
    other = real_app.test_client()
    login(other, "koord@annen.no")
    assert other.get(f"/staff/a/{rid}").status_code == 404
    admin = real_app.test_client()
    login(admin, "admin@eksempel.no")
    assert "kari@example.org" in admin.get(f"/staff/a/{rid}").get_data(as_text=True)
    for path in ("/staff/export.csv", "/staff/export.json", "/staff/statistikk"):
        body = admin.get(path).get_data(as_text=True)
        assert "kari@example.org" not in body and "912 34 567" not in body, path
    with real_app.app_context(), db.session() as s:
        s.get(Response, rid).created_at = dt.datetime(2000, 1, 1)
        s.commit()
    assert "deleted 1" in real_app.test_cli_runner().invoke(args=["purge"]).output
    assert rows(real_app, ContactDetails) == []


def test_submitted_code_opens_only_receipt_and_copy_then_expires(real_app):
    client = real_app.test_client()
    rid = start(client)
    submit(client, rid)
    with real_app.app_context(), db.session() as s:
        code = s.get(Response, rid).code
    fresh = real_app.test_client()
    page = fresh.get("/fortsett").get_data(as_text=True)
    resp = fresh.post("/fortsett", data={"csrf_token": csrf(page), "code": code})
    assert resp.headers["Location"].endswith("/kvittering")
    sec = section_of(real_app, "safety_worry")
    for path in (
        f"/svar/{rid}/del/{sec}",
        f"/svar/{rid}/oppsummering",
        f"/svar/{rid}/kontakt",
        f"/svar/{rid}/hvem",
        f"/svar/{rid}/om",
    ):
        resp = fresh.get(path)
        assert resp.status_code == 303 and resp.headers["Location"].endswith("/kvittering"), path
    assert fresh.get(f"/svar/{rid}/kopi").status_code == 200
    with real_app.app_context(), db.session() as s:
        s.get(Response, rid).submitted_at = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(
            days=31
        )
        s.commit()
    for lang, words in (("nb", "åpner ikke lenger"), ("nn", "opnar ikkje lenger"), ("en", "no longer opens")):
        other = real_app.test_client()
        other.get(f"/?lang={lang}")
        page = other.get("/fortsett").get_data(as_text=True)
        resp = other.post("/fortsett", data={"csrf_token": csrf(page), "code": code})
        assert resp.status_code == 410 and words in resp.get_data(as_text=True), lang
    assert fresh.get(f"/svar/{rid}/kvittering").status_code == 410
    assert fresh.get(f"/svar/{rid}/kopi").status_code == 410


def test_smtp_down_at_submit_submit_succeeds_and_mail_goes_once_when_back(tmp_path):
    server = SmtpServer()  # not started: SMTP is down
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "t",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'd.db'}",
            "ACCESS_LOG": False,
            "SMTP_URL": server.url,
            "MAIL_FROM": "noreply@example.org",
            "DUTY_EMAILS": f"{PLACE}={DUTY}",
            "OUTBOX_RETRY_SECONDS": 0,
            "OUTBOX_SEND_AFTER_REQUEST": False,
        }
    )
    try:
        client = app.test_client()
        rid = start(client)
        post_page(client, f"/svar/{rid}/del/{section_of(app, 'safety_worry')}", {"safety_worry": "yes"})
        assert submit(client, rid).status_code == 303
        assert "113" in client.get(f"/svar/{rid}/kvittering").get_data(as_text=True)
        runner = app.test_cli_runner()
        assert "to retry 1" in runner.invoke(args=["outbox", "run"]).output  # SMTP still down
        server.start()
        assert "sent 1" in runner.invoke(args=["outbox", "run"]).output
        assert "sent 0" in runner.invoke(args=["outbox", "run"]).output
        assert [m.envelope_to for m in server.inbox.wait_for(1)] == [[DUTY]]
    finally:
        server.stop()
        app.extensions["formengine_db"].engine.dispose()


def pdf_words(data: bytes) -> str:
    from io import BytesIO

    from pypdf import PdfReader

    return " ".join("".join(p.extract_text() for p in PdfReader(BytesIO(data)).pages).split())


def test_privacy_per_repeat_entry_through_the_web_app(real_app):
    """Person 2 marked "for the conversation only": record copy without it (and says so), meeting
    copy with both, the relative's copy with both and person 2's marked; person 1 stays unmarked."""
    p1, p2 = "Hjertesvikt hos mor", "Rusproblemer hos bror"
    client = real_app.test_client()
    rid = start(client)
    url = f"/svar/{rid}/del/{section_of(real_app, 'people_helped')}"
    base = {"helps_more_people": "yes"}
    post_page(client, url, {**base, "_add": "people_helped"})
    post_page(client, url, {**base, "people_helped-0-E": "1", "_add": "people_helped"})
    entries = {
        "people_helped-0-E": "1",
        "people_helped-0-person_condition": p1,
        "people_helped-1-E": "1",
        "people_helped-1-person_condition": p2,
    }
    page = client.get(url).get_data(as_text=True)
    assert (
        'value="people_helped[1].person_condition"' in page
        and 'value="people_helped[0].person_condition"' in page
    )
    post_page(client, url, {**base, **entries, "_co": "people_helped[1].person_condition"})
    with real_app.app_context(), db.session() as s:
        stored = s.get(Response, rid)
        assert [m for m in stored.conversation_only if m.startswith("people_helped")] == [
            "people_helped[1].person_condition"
        ]
        assert [e["person_condition"] for e in stored.answers["people_helped"]] == [p1, p2]
    page = client.get(url).get_data(as_text=True)  # the page shows the tick on person 2 only
    assert re.search(r'value="people_helped\[1\]\.person_condition" checked', page)
    assert not re.search(r'value="people_helped\[0\]\.person_condition" checked', page)
    submit(client, rid)
    relative = pdf_words(client.get(f"/svar/{rid}/kopi.pdf").data)
    assert p1 in relative and p2 in relative
    assert "bare til samtalen" in relative.split(p2, 1)[1][:40]
    assert "bare til samtalen" not in relative.split(p1, 1)[1][:40]
    copy_page = client.get(f"/svar/{rid}/kopi").get_data(as_text=True)
    assert p1 in copy_page and p2 in copy_page and "bare til samtalen" in copy_page.lower()
    add_user(real_app, "koord@eksempel.no", "coordinator", PLACE)
    staff = real_app.test_client()
    login(staff, "koord@eksempel.no")
    record = pdf_words(staff.get(f"/staff/a/{rid}/sammendrag.pdf?copy=record").data)
    assert p1 in record and p2 not in record and "er utelatt (1)" in record
    meeting = pdf_words(staff.get(f"/staff/a/{rid}/sammendrag.pdf").data)
    assert p1 in meeting and p2 in meeting
    detail = staff.get(f"/staff/a/{rid}").get_data(as_text=True)
    after_p2, after_p1 = detail.split(p2, 1)[1][:120], detail.split(p1, 1)[1][:120]
    assert "bare til samtalen" in after_p2 and "bare til samtalen" not in after_p1
    assert "Bare til samtalen" in copy_page.split(p2, 1)[1][:100]
    assert "Bare til samtalen" not in copy_page.split(p1, 1)[1][:100]


def test_removing_an_entry_moves_the_later_marks_up(real_app):
    client = real_app.test_client()
    rid = start(client)
    url = f"/svar/{rid}/del/{section_of(real_app, 'people_helped')}"
    base = {"helps_more_people": "yes"}
    post_page(client, url, {**base, "_add": "people_helped"})
    post_page(client, url, {**base, "people_helped-0-E": "1", "_add": "people_helped"})
    post_page(
        client,
        url,
        {
            **base,
            "people_helped-0-E": "1",
            "people_helped-0-person_condition": "a",
            "people_helped-1-E": "1",
            "people_helped-1-person_condition": "b",
            "_co": "people_helped[1].person_condition",
            "_remove": "people_helped:0",
        },
    )
    # "Fjern" asks first (issue 11); "Ja, fjern" removes the entry and moves the marks
    post_page(
        client,
        url,
        {
            **base,
            "people_helped-0-E": "1",
            "people_helped-0-person_condition": "a",
            "people_helped-1-E": "1",
            "people_helped-1-person_condition": "b",
            "_co": "people_helped[1].person_condition",
            "_remove_confirmed": "people_helped:0",
        },
    )
    with real_app.app_context(), db.session() as s:
        stored = s.get(Response, rid)
        assert [e.get("person_condition") for e in stored.answers["people_helped"]] == ["b"]
        assert [m for m in stored.conversation_only if m.startswith("people_helped")] == [
            "people_helped[0].person_condition"
        ]


def test_starting_a_national_form_from_a_municipality_page_sends_it_there(real_app):
    from webapp import forms_access

    client = real_app.test_client()
    with real_app.test_request_context():
        national = [d.id for d in forms_access.public_forms(PLACE) if d.municipality is None]
    if not national:  # the municipality has its own form: nothing to choose
        page = client.get(f"/kommune/{PLACE}").get_data(as_text=True)
        assert 'name="where"' not in page
        return
    page = client.get(f"/kommune/{PLACE}").get_data(as_text=True)
    assert f'name="where" value="{PLACE}"' in page


def test_agreement_and_paper_codes_only_show_the_copy(app):
    """A relative typing the code of an agreement or of a paper form never gets an editable page."""
    from webapp import responses as responses_module

    from .staff.conftest import A, submitted

    rid = submitted(app, municipality=A)
    with app.app_context():
        defn = app.config["FORM_REGISTRY"].latest_active("testskjema")
        paper = responses_module.create_response(defn, origin="paper", municipality=A).response
        agreement = responses_module.create_response(defn, origin="staff", municipality=A).response
        with db.session() as s:
            s.get(Response, agreement.id).assessment_id = rid
            s.commit()
    for doc in (paper, agreement):
        client = app.test_client()
        page = client.get("/fortsett").get_data(as_text=True)
        resp = client.post("/fortsett", data={"csrf_token": csrf(page), "code": doc.code})
        assert resp.status_code == 303 and resp.headers["Location"].endswith(f"/svar/{doc.id}/kopi")
        for path in ("om", "start", "del/relation", "oppsummering", "pause", "kontakt", "hvem"):
            resp = client.get(f"/svar/{doc.id}/{path}")
            assert resp.status_code == 303 and resp.headers["Location"].endswith("/kopi"), path
        page = client.get("/fortsett").get_data(as_text=True)
        resp = client.post(
            f"/svar/{doc.id}/del/relation", data={"csrf_token": csrf(page), "relation": "child"}
        )
        assert resp.status_code == 303 and resp.headers["Location"].endswith("/kopi")
        resp = client.post(f"/svar/{doc.id}/send", data={"csrf_token": csrf(page)})
        with app.app_context(), db.session() as s:
            stored = s.get(Response, doc.id)
            assert stored.answers == {} and stored.status == "open"


def test_a_variant_declares_its_safety_flag_crisis_contact_and_duty_address(tmp_path):
    """Any form: the safety flag is found by `safety: true` (no id known to the app), the crisis
    contact and the duty address come from the municipality's variant."""
    import dataclasses

    from formengine.definition.model import Contact, Flag, Municipality, Scoring
    from formengine.expressions.parser import parse

    from .formfixtures import StubRegistry, sample_form, t
    from .helpers import post_page

    base = sample_form(
        "kommuneskjema", municipality=Municipality("0301", "Testkommune", duty_email="vakt@test.no")
    )
    defn = dataclasses.replace(
        base,
        contacts=base.contacts + (Contact("krise", t("Kriseteamet"), phone="+47 00 00 00 77", crisis=True),),
        scoring=Scoring(
            flags=(Flag("very_many_hours", parse("hours > 100"), "medium", t("Mange timer"), safety=True),)
        ),
    )
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "t",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'v.db'}",
            "ACCESS_LOG": False,
            "FORM_REGISTRY": StubRegistry(defn),
            "SAFETY_FLAGS": "",
            "OUTBOX_SEND_AFTER_REQUEST": False,
        }
    )
    try:
        client = app.test_client()
        page = client.get("/kommune/0301").get_data(as_text=True)
        rid = (
            client.post("/start/kommuneskjema", data={"csrf_token": csrf(page)})
            .headers["Location"]
            .split("/")[2]
        )
        page = client.get(f"/svar/{rid}/om").get_data(as_text=True)
        client.post(f"/svar/{rid}/om", data={"csrf_token": csrf(page)})
        assert (
            client.get(f"/svar/{rid}/start").headers["Location"].endswith("/del/relation")
        )  # no choice page
        live = client.get(f"/svar/{rid}/del/tasks").get_data(as_text=True)
        assert (
            'data-show-if="(hours &gt; 100)"' in live and "+47 00 00 00 77" in live
        )  # hidden until answered
        resp = post_page(client, f"/svar/{rid}/del/tasks", {"hours": "120"})
        assert "trygg=1" in resp.headers["Location"]
        page = client.get(resp.headers["Location"]).get_data(as_text=True)
        assert "Kriseteamet" in page and "tel:+4700000077" in page and "116 117" in page
        submit(client, rid)
        [message] = rows(app, OutboxMessage)
        assert message.recipient == "vakt@test.no" and message.kind == "alert"
        assert [a.flag_id for a in rows(app, StaffAlert)] == ["very_many_hours"]
    finally:
        app.extensions["formengine_db"].engine.dispose()


def test_contact_page_says_where_the_relative_is_and_can_go_back(real_app):
    """The contact page names its step and has a Back button that saves first (walker's finding)."""
    client = real_app.test_client()
    rid = start(client)
    page = client.get(f"/svar/{rid}/kontakt").get_data(as_text=True)
    assert "Siste steg før du ser over svarene" in page and 'name="_nav" value="back"' in page
    resp = client.post(
        f"/svar/{rid}/kontakt",
        data={"csrf_token": csrf(page), "name": "Kari Testperson", "channel": "phone", "_nav": "back"},
    )
    assert resp.status_code == 303 and f"/svar/{rid}/del/" in resp.headers["Location"]
    assert "Kari Testperson" in client.get(f"/svar/{rid}/kontakt").get_data(as_text=True)  # saved
    resp = client.post(f"/svar/{rid}/kontakt", data={"csrf_token": csrf(page), "channel": "phone"})
    assert resp.headers["Location"].endswith(f"/svar/{rid}/oppsummering")  # without Back: the review
