"""The nurse's loop in a real browser, desktop and 390×844: login → case → meeting PDF in ≤ 3 clicks;
the heavy case's agreement recorded in ≤ 20 clicks with the relative's answers beside every task
row; a past due date, a missing owner and «Avtalt» with an open high flag each refused with a
message; a later follow-up shows the agreed actions to mark. Run with ``pytest -m browser``.

Screenshots go to a temporary folder unless FORMENGINE_SCREENSHOTS names one
(``FORMENGINE_SCREENSHOTS=docs/screenshots pytest -m browser -k nurse_loop``)."""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from pathlib import Path

import pytest

from .browserkit import CHROMIUM, CHROMIUM_ARGS, Server
from .test_axe import axe_script, violations  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser]
ROOT = Path(__file__).resolve().parents[2]
SHOTS = Path(os.environ.get("FORMENGINE_SCREENSHOTS") or tempfile.mkdtemp(prefix="formengine-shots-"))
PASSWORD = "correct horse battery staple"
VIEWPORTS = {"mobile": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
TODAY = dt.date.today()


def prepare(db_path: Path) -> str:
    """A coordinator and the heavy case: every task answered, children at home (a high flag)."""
    import formengine
    from formengine import sample_answers
    from webapp import create_app, db, responses
    from webapp.db import Response, utcnow

    app = create_app({"DATABASE_URL": f"sqlite:///{db_path}", "SECRET_KEY": "browser-test-secret"})
    result = app.test_cli_runner().invoke(
        args=[
            "create-user",
            "koordinator@eksempel.no",
            "--role",
            "coordinator",
            "--municipality",
            "0301",
            "--password-stdin",
        ],
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    defn = formengine.load_registry(ROOT / "forms").get("parorende-kartlegging", "1.1.0")  # matrix rows
    with app.app_context():
        created = responses.create_response(defn, origin="invite", municipality="0301", case_ref="2026/77")
        with db.session() as s:
            r = s.get(Response, created.response.id)
            answers = sample_answers(defn, 1)
            answers["has_minor_children"] = "yes"
            r.answers, r.status, r.consent_at, r.submitted_at = answers, "submitted", utcnow(), utcnow()
            s.commit()
    app.extensions["formengine_db"].engine.dispose()
    return created.response.id


def add_followup(db_path: Path) -> str:
    """The relative sends the follow-up form in the same case later."""
    import formengine
    from formengine import sample_answers
    from webapp import create_app, db, responses
    from webapp.db import Response, utcnow

    app = create_app({"DATABASE_URL": f"sqlite:///{db_path}", "SECRET_KEY": "browser-test-secret"})
    defn = formengine.load_registry(ROOT / "forms").latest_active("parorende-oppfolging")
    with app.app_context():
        created = responses.create_response(defn, origin="invite", municipality="0301", case_ref="2026/77")
        with db.session() as s:
            r = s.get(Response, created.response.id)
            r.answers, r.status, r.consent_at = sample_answers(defn, 2), "submitted", utcnow()
            r.submitted_at = utcnow() + dt.timedelta(seconds=5)
            s.commit()
    app.extensions["formengine_db"].engine.dispose()
    return created.response.id


class Clicks:
    """Counts what a person does with the mouse or a finger: clicks and choices in a list."""

    def __init__(self, page):
        self.page, self.count = page, 0

    def click(self, selector: str) -> None:
        self.count += 1
        self.page.click(selector)

    def choose(self, selector: str, value: str) -> None:
        self.count += 1
        self.page.select_option(selector, value)


def errors(page) -> str:
    return page.locator(".error-summary").inner_text() if page.locator(".error-summary").count() else ""


@pytest.fixture(scope="module")
def playwright():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_nurse_loop(playwright, axe_script, tmp_path, size):  # noqa: F811
    db_path = tmp_path / "loop.sqlite3"
    rid = prepare(db_path)
    server = Server(db_path).start()
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    SHOTS.mkdir(parents=True, exist_ok=True)
    try:
        context = browser.new_context(
            viewport=VIEWPORTS[size],
            locale="nb-NO",
            bypass_csp=True,
            extra_http_headers={"Accept-Language": "nb-NO"},
        )
        page = context.new_page()
        # 1. login → case → meeting PDF: three clicks
        me = Clicks(page)
        page.goto(server.url + "/staff/login")
        page.fill("#email", "koordinator@eksempel.no")
        page.fill("#password", PASSWORD)
        me.click("form button[type=submit]")
        page.wait_for_url(re.compile(r"/staff/$"))
        me.click("a:has-text('2026/77')")
        page.wait_for_url(re.compile(rf"/staff/a/{rid}$"))
        with page.expect_response(lambda r: "sammendrag.pdf" in r.url) as got:
            me.click("a:has-text('Skriv ut sammendrag')")
        assert got.value.status == 200 and got.value.headers["content-type"] == "application/pdf"
        assert page.request.get(got.value.url).body()[:4] == b"%PDF"  # the bytes behind the viewer
        assert me.count <= 3

        # 2. the agreement for the heavy case
        page.goto(server.url + f"/staff/a/{rid}")
        me = Clicks(page)
        me.click("button:has-text('Registrer avtalen')")
        page.wait_for_url(re.compile(r"/avtale/plan$"))
        rows = page.locator(".task-row")
        assert rows.count() >= 29
        answered = 0
        for i in range(rows.count()):
            theirs = rows.nth(i).locator(".theirs")
            assert theirs.is_visible()
            text = theirs.inner_text()
            assert "Nå:" in text and "Fra nå av:" in text and "Venter:" in text
            answered += "Nå: –" not in text
        assert answered >= 29  # every task the relative was asked about shows their answers
        assert page.locator(".task-row select").evaluate_all("els => els.every(e => e.value === '')")
        page.screenshot(path=str(SHOTS / f"staff-plan-{size}.png"), full_page=False)
        assert violations(page, axe_script) == []
        me.click("button:has-text('Bruk den pårørendes ønsker som utgangspunkt')")
        suggested = page.locator(".task-row--suggested").count()
        assert (
            suggested >= 10
            and page.locator(".task-row select").evaluate_all("els => els.filter(e => e.value !== '').length")
            == suggested
        )
        me.click("button[value='flag-minor_children']")
        assert page.locator("#a-1-what").input_value()
        page.fill("#a-1-who", "Koordinator")
        page.fill("#a-1-by", (TODAY - dt.timedelta(days=1)).isoformat())
        page.fill("#next_review_date", (TODAY + dt.timedelta(days=5)).isoformat())
        me.click("button[value='agree']")
        assert "Tiltak 1: fristen har gått ut" in errors(page)
        assert page.locator("#a-1-who").input_value() == "Koordinator"  # typed text stays
        page.locator(".error-summary").screenshot(path=str(SHOTS / f"staff-plan-refused-{size}.png"))
        assert violations(page, axe_script) == []
        page.fill("#a-1-by", TODAY.isoformat())
        page.fill("#a-1-who", "")
        me.click("button[value='agree']")
        assert "Tiltak 1 mangler ansvarlig" in errors(page)
        page.fill("#a-1-who", "Koordinator")
        me.choose("#f-minor_children-action", "")
        me.click("button[value='agree']")
        assert "er merket viktig og er ikke fulgt opp" in errors(page)
        me.choose("#f-minor_children-action", "1")
        me.click("button[value='agree']")
        page.wait_for_url(re.compile(rf"/staff/a/{rid}$"))
        assert me.count <= 20, me.count
        assert page.locator("a:has-text('Skriv ut avtalen')").count() == 1
        assert "Følges opp med tiltak 1 i avtalen" in page.locator("#h-flags").locator("..").inner_text()

        # 3. a later follow-up shows those actions to mark
        new = add_followup(db_path)
        page.goto(server.url + f"/staff/a/{new}")
        section = page.locator("#h-last-actions").locator("..")
        assert section.is_visible() and "Har det vi ble enige om sist, blitt gjort?" in section.inner_text()
        assert page.locator("#a-1-what").count() == 0
        page.click("input[name='m-1'][value='done']")
        page.click("button:has-text('Lagre merkingen')")
        page.wait_for_url(re.compile(rf"/staff/a/{new}"))
        assert page.locator("input[name='m-1'][value='done']").is_checked()
        assert "1 av 1 er merket" in page.locator("#h-last-actions").locator("..").inner_text()
        assert violations(page, axe_script) == []
        page.locator("#h-last-actions").locator("..").screenshot(
            path=str(SHOTS / f"staff-review-marks-{size}.png")
        )
        context.close()
    finally:
        browser.close()
        server.stop()
