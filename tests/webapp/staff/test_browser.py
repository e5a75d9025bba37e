"""The staff journey in a real browser (phone 390×844 and desktop 1280×800): log in, open an
assessment, print the summary, record the agreement; every step leaves an access-log entry.
Also writes docs/screenshots/staff-*.png. Run with ``pytest -m browser``."""

from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
import tempfile
from pathlib import Path

import pytest

from ..browserkit import CHROMIUM, CHROMIUM_ARGS, Server

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian chromium at /usr/bin/chromium"),
]
ROOT = Path(__file__).resolve().parents[3]
# Screenshots go to a temporary folder unless FORMENGINE_SCREENSHOTS names one, so a test run
# never rewrites the tracked docs/screenshots (regenerate them with
# FORMENGINE_SCREENSHOTS=docs/screenshots pytest -m browser).
SHOTS = Path(os.environ.get("FORMENGINE_SCREENSHOTS") or tempfile.mkdtemp(prefix="formengine-shots-"))
PASSWORD = "correct horse battery staple"
VIEWPORTS = {"mobile": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}


def prepare(db_path: Path) -> tuple[str, object]:
    """Users and one submitted national assessment in municipality 0301; returns (response id, agreement defn)."""
    import formengine
    from formengine.answers.samples import sample_answers
    from webapp import create_app, db, responses
    from webapp.db import Response, utcnow

    app = create_app({"DATABASE_URL": f"sqlite:///{db_path}", "SECRET_KEY": "browser-test-secret"})
    runner = app.test_cli_runner()
    for email, role in (
        ("koordinator@eksempel.no", "coordinator"),
        ("admin@eksempel.no", "municipality_admin"),
    ):
        result = runner.invoke(
            args=["create-user", email, "--role", role, "--municipality", "0301", "--password-stdin"],
            input=PASSWORD + "\n",
        )
        assert result.exit_code == 0, result.output
    registry = formengine.load_registry(ROOT / "forms")
    defn = registry.latest_active("parorende-kartlegging")
    with app.app_context():
        created = responses.create_response(defn, origin="invite", municipality="0301", case_ref="2024/117")
        with db.session() as s:
            r = s.get(Response, created.response.id)
            r.answers, r.status, r.consent_at, r.submitted_at = (
                sample_answers(defn, 1),
                "submitted",
                utcnow(),
                utcnow(),
            )
            s.commit()
    app.extensions["formengine_db"].engine.dispose()
    return created.response.id, registry.latest_active("samarbeidsavtale")


@pytest.fixture(scope="module")
def playwright():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


def log_actions(db_path: Path) -> list[tuple[str, str | None]]:
    with sqlite3.connect(db_path) as conn:
        return conn.execute("select action, response_id from staff_access_log order by id").fetchall()


def shot(page, name: str, size: str) -> None:
    if size == "desktop":
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"staff-{name}.png"), full_page=name != "detail")


def log_in(page, server, email: str) -> None:
    page.goto(server.url + "/staff/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("form button[type=submit]")


def fill_agreement(page) -> None:
    """Go through the agreement's pages as a coordinator in a hurry: what was agreed, and the review date."""
    for _ in range(30):
        if page.url.endswith("/oppsummering"):
            return
        if page.locator("#agreed_actions").count():
            page.fill("#agreed_actions", "Avlastning annenhver helg fra mars.")
        # every date gets a value: an empty date with a limit currently fails in formengine's DateLimits
        for field in page.locator("input[type=date]").all():
            if field.is_visible() and not field.input_value():
                field.fill(dt.date.today().isoformat())
        if page.locator("#next_review_date").count():
            page.fill("#next_review_date", (dt.date.today() + dt.timedelta(days=180)).isoformat())
        before = page.url
        with page.expect_navigation():
            page.click("button[name='_nav'][value='next']")
        assert page.locator(".error-summary").count() == 0, page.locator(".error-summary").inner_text()
        assert page.url != before or "mer=1" in page.url, page.locator("main").inner_text()[:800]
    raise AssertionError("did not reach the review page")


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_staff_journey_is_logged(playwright, tmp_path, size):
    db_path = tmp_path / "staff.sqlite3"
    rid, agreement_defn = prepare(db_path)
    server = Server(db_path).start()
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    try:
        context = browser.new_context(
            viewport=VIEWPORTS[size], locale="nb-NO", extra_http_headers={"Accept-Language": "nb-NO"}
        )
        page = context.new_page()
        page.goto(server.url + "/staff/")
        assert "/staff/login" in page.url
        shot(page, "login", size)
        log_in(page, server, "koordinator@eksempel.no")
        page.wait_for_url(re.compile(r"/staff/$"))
        assert page.locator("h1").inner_text() == "Kartlegginger"
        shot(page, "overview", size)
        page.click("a:has-text('2024/117')")
        page.wait_for_url(re.compile(rf"/staff/a/{rid}$"))
        shot(page, "detail", size)
        href = page.locator("a:has-text('Skriv ut sammendrag')").get_attribute("href")
        pdf = page.request.get(server.url + href)  # what the browser gets when the button is pressed
        assert pdf.headers["content-type"] == "application/pdf" and pdf.body()[:4] == b"%PDF"
        assert pdf.headers["cache-control"] == "no-store"
        page.click("button:has-text('Registrer avtalen')")
        page.wait_for_url(re.compile(r"/avtale/plan$"))
        shot(page, "agreement", size)
        if page.locator("#flag_reason").count():  # any high flag: the reason lets it stay open
            page.fill("#flag_reason", "Tas opp på neste møte")
        page.fill("#next_review_date", (dt.date.today() + dt.timedelta(days=180)).isoformat())
        page.click("button[value='save']")
        page.click("button:has-text('Åpne resten av avtalen')")
        page.wait_for_url(re.compile(r"/svar/[^/]+/del/"))
        fill_agreement(page)
        with page.expect_navigation():
            page.click("form[action$='/send'] button")
        page.wait_for_url(re.compile(rf"/staff/a/{rid}$"))
        assert page.locator("a:has-text('Skriv ut avtalen')").count() == 1
        actions = log_actions(db_path)
        for wanted in (
            ("login", None),
            ("view", rid),
            ("print_meeting", rid),
            ("agreement_start", rid),
            ("agreement_done", rid),
        ):
            assert wanted in actions, (wanted, actions)
        assert ("fill", rid) in actions
        page.click("button:has-text('Logg ut')")
        log_in(page, server, "admin@eksempel.no")
        page.goto(server.url + "/staff/logg")
        assert page.locator("td:has-text('Skrev ut oppsummeringen til samtalen')").count() >= 1
        shot(page, "log", size)
        page.goto(server.url + "/staff/statistikk")
        assert page.locator("h1").inner_text() == "Statistikk"
        shot(page, "statistics", size)
        if size == "mobile":
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.goto(server.url + "/staff/")
            page.screenshot(path=str(SHOTS / "staff-overview-mobile.png"), full_page=True)
        context.close()
    finally:
        browser.close()
        server.stop()
