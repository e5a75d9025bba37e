"""Issue 12 end to end: a real browser, a real server process, a real SMTP server on 127.0.0.1.

Self-start on the national front page, choose a municipality, give a phone number, answer the
safety question "yes" (the box shows at once and the next page does not repeat it; without
JavaScript the next page shows it), submit: the receipt shows 113 and 116 117, the duty address
receives one e-mail with a link and no answer text or name, and the coordinator's overview shows
the alert until it is acknowledged (logged). The faults: the app SIGKILLed between the commit and the send
sends the mail after restart, once.
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from .browserkit import CHROMIUM, ROOT, Server, launch, new_context
from .smtpkit import SmtpServer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian chromium at /usr/bin/chromium"),
]
FORM = "parorende-kartlegging"
PLACE, PLACE_NAME = "eksempel", "Eksempel kommune"
DUTY = "vakt@eksempel.kommune.no"
NAME, PHONE = "Kari Nordmann-Test", "912 34 567"
PASSWORD = "correct horse battery staple"
# Screenshots go to docs/screenshots/ only when asked for (FORMENGINE_SCREENSHOTS=1), else a temp dir.
SHOTS = (
    ROOT / "docs" / "screenshots"
    if os.environ.get("FORMENGINE_SCREENSHOTS")
    else Path(tempfile.gettempdir()) / "formengine-promises-shots"
)


@pytest.fixture(scope="module")
def playwright():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture
def smtp():
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def env(monkeypatch, smtp):
    monkeypatch.setenv("FORMENGINE_SMTP_URL", smtp.url)
    monkeypatch.setenv("FORMENGINE_MAIL_FROM", "noreply@example.org")
    monkeypatch.setenv("FORMENGINE_DUTY_EMAILS", f"{PLACE}={DUTY}")
    monkeypatch.setenv("FORMENGINE_BASE_URL", "https://parorende.example.org")
    return monkeypatch


def flask(server: Server, *args: str, stdin: str | None = None) -> str:
    env = dict(os.environ, FORMENGINE_DATABASE_URL=f"sqlite:///{server.db_path}", PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "webapp", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def safety_section() -> str:
    import formengine

    defn = formengine.load_registry(ROOT / "forms").latest_active(FORM)
    return next(s.id for s in defn.sections if any(i.id == "safety_worry" for i in s.items))


def relative_submits(playwright, server: Server, *, shots: bool = False) -> str:
    """The relative's part of the journey, with JavaScript; returns the response id."""
    browser = launch(playwright)
    page = new_context(browser).new_page()
    page.goto(server.url + "/")
    page.click(f"form[action='/start/{FORM}'] button")
    page.wait_for_url(re.compile(r"/om$"))
    page.click("form button[type=submit]")
    page.wait_for_url(re.compile(r"/hvem$"))
    if shots:
        page.screenshot(path=str(SHOTS / "promises-choose-municipality.png"), full_page=True)
    page.check(f"label:has-text('{PLACE_NAME}')")
    page.click("form button[type=submit]")
    page.wait_for_url(re.compile(r"/del/"))
    rid = page.url.split("/svar/")[1].split("/")[0]
    page.goto(f"{server.url}/svar/{rid}/del/{safety_section()}")
    live = page.locator("section.safety")
    assert live.is_hidden()
    page.check("input[name=safety_worry][value=yes]")
    assert live.is_visible() and "113" in live.inner_text() and "116 117" in live.inner_text()  # right away
    if shots:
        live.scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / "promises-safety-box.png"))
    assert page.input_value("input[name=_safety_seen]") == "1"  # the script tells the server
    with page.expect_navigation():
        page.click("button[name=_nav][value=next]")
    assert "/del/" in page.url and "trygg" not in page.url and safety_section() not in page.url
    assert page.locator("section.safety").count() == 0  # seen live: the next page does not repeat it
    if shots:
        page.screenshot(path=str(SHOTS / "promises-safety-next-page-js.png"))
    page.goto(f"{server.url}/svar/{rid}/kontakt")
    page.fill("#name", NAME)
    page.fill("#phone", PHONE)
    page.check("input[name=channel][value=phone]")
    page.click("form button[type=submit]")
    page.wait_for_url(re.compile(r"/oppsummering$"))
    page.click("form[action$='/send'] button")
    page.wait_for_url(re.compile(r"/kvittering$"))
    receipt = page.locator("main").inner_text()
    assert "113" in receipt and "116 117" in receipt and PLACE_NAME in receipt
    if shots:
        page.screenshot(path=str(SHOTS / "promises-receipt.png"), full_page=True)
    browser.close()
    return rid


def test_safety_journey_reaches_the_duty_address_and_the_coordinator(playwright, tmp_path, env, smtp):
    server = Server(tmp_path / "journey.sqlite3").start()
    try:
        flask(
            server,
            "create-user",
            "koord@eksempel.no",
            "--role",
            "coordinator",
            "--municipality",
            PLACE,
            "--password-stdin",
            stdin=PASSWORD + "\n",
        )
        SHOTS.mkdir(parents=True, exist_ok=True)
        rid = relative_submits(playwright, server, shots=True)  # FORMENGINE_SCREENSHOTS=1: into docs/
        mails = smtp.inbox.wait_for(1, timeout=60)  # the "within 60 s"
        assert len(mails) == 1 and mails[0].envelope_to == [DUTY]
        body = mails[0].text
        assert f"https://parorende.example.org/staff/a/{rid}" in body
        assert "Kari" not in body and "912" not in body and "skade" not in body.lower()
        assert "sent 0" in flask(server, "outbox", "run")  # nothing left to send: never twice
        assert len(smtp.inbox.messages) == 1

        browser = launch(playwright)
        page = new_context(browser).new_page()
        page.goto(server.url + "/staff/login")
        page.fill("#email", "koord@eksempel.no")
        page.fill("#password", PASSWORD)
        page.click("form button[type=submit]")
        page.wait_for_url(re.compile(r"/staff/$"))
        alerts = page.locator("section.alerts")
        assert alerts.is_visible() and alerts.locator("li").count() >= 1
        page.screenshot(path=str(SHOTS / "promises-staff-alert.png"), full_page=True)
        page.reload()
        assert page.locator("section.alerts").is_visible()  # stays until acknowledged
        while page.locator("section.alerts button").count():
            page.locator("section.alerts button").first.click()
            page.wait_for_load_state()
        assert page.locator("section.alerts").count() == 0
        browser.close()
        with sqlite3.connect(server.db_path) as conn:
            logged = conn.execute(
                "select email, response_id from staff_access_log where action = 'alert_ack'"
            ).fetchall()
        assert ("koord@eksempel.no", rid) in logged
    finally:
        server.stop()


def test_killed_between_commit_and_send_the_mail_goes_after_restart_once(playwright, tmp_path, env, smtp):
    env.setenv("FORMENGINE_OUTBOX_SEND_AFTER_REQUEST", "0")  # the process dies before its sender runs
    server = Server(tmp_path / "killed.sqlite3").start()
    try:
        relative_submits(playwright, server)
        server.kill()  # SIGKILL: the submit is committed, the mail not sent
        with sqlite3.connect(server.db_path) as conn:
            assert conn.execute("select status from outbox").fetchall() == [("pending",)]
        assert smtp.inbox.messages == []
        env.setenv("FORMENGINE_OUTBOX_SEND_AFTER_REQUEST", "1")
        server.start()  # the first request after the restart finds the message left behind
        assert len(smtp.inbox.wait_for(1, timeout=60)) == 1
        assert "sent 0" in flask(server, "outbox", "run")
        assert len(smtp.inbox.messages) == 1
    finally:
        server.stop()


def test_safety_help_without_javascript_on_the_next_page(playwright, tmp_path, env):
    server = Server(tmp_path / "nojs.sqlite3").start()
    try:
        browser = launch(playwright)
        page = new_context(browser, js=False).new_page()
        page.goto(server.url + "/")
        page.click(f"form[action='/start/{FORM}'] button")
        page.wait_for_url(re.compile(r"/om$"))
        page.click("form button[type=submit]")
        page.wait_for_url(re.compile(r"/hvem$"))
        page.check(f"label:has-text('{PLACE_NAME}')")
        page.click("form button[type=submit]")
        page.wait_for_url(re.compile(r"/del/"))
        rid = page.url.split("/svar/")[1].split("/")[0]
        page.goto(f"{server.url}/svar/{rid}/del/{safety_section()}")
        assert page.locator("section.safety").is_hidden()  # no script: shown once the answer is saved
        page.check("input[name=safety_worry][value=unsure]")
        page.click("button[name=_nav][value=next]")
        page.wait_for_url(re.compile(r"trygg=1"))
        box = page.locator("section.safety").first
        assert box.is_visible() and "113" in box.inner_text() and "116 117" in box.inner_text()
        assert page.locator("main > section.safety").count() == 1  # at the top of the next page
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "promises-safety-next-page-nojs.png"))
        browser.close()
    finally:
        server.stop()
