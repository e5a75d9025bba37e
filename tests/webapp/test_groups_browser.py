"""Nested groups in Chromium (issue #15): a group hidden by show_if hides all it holds, live with
JavaScript (also inside a repeat entry, and a repeat inside a repeat), and the page has no axe
WCAG 2.1 A/AA violations at 390×844."""

from __future__ import annotations

from pathlib import Path

import pytest

from .browserkit import Server, launch, new_context
from .test_axe import axe_script, violations  # noqa: F401  (the axe-core fixture)

pytestmark = pytest.mark.browser
FORMS = Path(__file__).resolve().parents[1] / "data" / "forms"


@pytest.fixture(scope="module")
def playwright():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture
def server(tmp_path, monkeypatch):
    monkeypatch.setenv("FORMENGINE_FORMS", str(FORMS))
    running = Server(tmp_path / "groups.sqlite3").start()
    yield running
    running.stop()


def start(page, server) -> None:
    page.goto(server.url + "/")
    page.locator("form[action*='nested-groups'] button").first.click()
    page.locator("form button[type=submit]").first.click()  # consent
    page.goto(page.url.rsplit("/", 1)[0] + "/del/home")


def test_a_hidden_group_hides_its_questions_live(playwright, server, axe_script, tmp_path):  # noqa: F811
    browser = launch(playwright)
    try:
        page = new_context(browser, bypass_csp=True).new_page()  # axe-core is added as a script tag
        start(page, server)
        household = page.locator("#g-household")
        assert household.is_hidden() and page.locator("input[name=rooms]").is_hidden()
        page.locator("input[name=lives_with][value=yes]").check()
        assert household.is_visible() and page.locator("input[name=rooms]").is_visible()
        assert "household" in page.locator("input[name=_shown]").input_value().split(",")
        page.get_by_role("button", name="Legg til en person").click()
        page.locator("input[name='people-0-gets_help'][value=no]").check()
        person_help = page.locator("#g-people-0-person_help")
        assert person_help.is_hidden()
        page.locator("input[name='people-0-gets_help'][value=yes]").check()
        assert person_help.is_visible()
        page.get_by_role("button", name="Legg til en tjeneste").click()
        note = page.locator("#q-people-0-services-0-service_note")
        page.locator("input[name='people-0-services-0-service_ok'][value=no]").check()
        assert note.is_visible()
        page.locator("input[name='people-0-gets_help'][value=no]").check()  # the group closes again
        assert person_help.is_hidden()
        assert violations(page, axe_script) == []
        page.screenshot(path=str(tmp_path / "groups-390.png"), full_page=True)
        page.locator("input[name=lives_with][value=no]").check()
        assert household.is_hidden() and page.locator("input[name='people-0-person_name']").is_hidden()
    finally:
        browser.close()
