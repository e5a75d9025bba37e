"""The cards page in Chromium at 390x844: "Ikke aktuelt" hides the rest of the card live, and
axe-core finds no WCAG 2.1 A/AA violation on the grouped checklist, the cards and the review."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.formengine.cards_form import cards_form

from .browserkit import CHROMIUM, Server, launch, new_context
from .test_axe import axe_script, playwright, violations  # noqa: F401  (fixtures)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian chromium at /usr/bin/chromium"),
]


@pytest.fixture
def server(tmp_path, monkeypatch):
    forms = tmp_path / "forms" / "kort"
    forms.mkdir(parents=True)
    (forms / "1.0.0.yaml").write_text(cards_form(), "utf-8")
    monkeypatch.setitem(os.environ, "FORMENGINE_FORMS", str(forms.parent))
    running = Server(tmp_path / "cards.sqlite3").start()
    yield running
    running.stop()


def start(page, server) -> None:
    page.goto(server.url + "/")
    page.locator("form[action*='/start/kort'] button").first.click()
    page.locator("button[type=submit]").first.click()  # consent
    page.wait_for_url(re.compile(r"/del/|/hvem$"))
    if page.url.endswith("/hvem"):  # who gets the answers: keep them to oneself
        page.check("input[name=where][value=private]")
        page.click("form button[type=submit]")
        page.wait_for_url(re.compile(r"/del/"))


@pytest.mark.parametrize("js", [True, False])
def test_cards_pages_hide_the_rest_of_a_card_and_pass_axe(playwright, axe_script, server, js):  # noqa: F811
    browser = launch(playwright)
    try:
        context = new_context(browser, js=True, bypass_csp=True)
        if not js:
            context.route("**/static/*.js*", lambda route: route.abort())
        page = context.new_page()
        start(page, server)
        found = {"groups": violations(page, axe_script)}
        for value in ("medicine", "shopping"):
            page.check(f"input[name=helps_with][value={value}]")
        page.click("button[name=_nav][value=next]")
        assert page.locator(".taskcard").count() == 4  # two ticked tasks, two fixed rows
        found["cards"] = violations(page, axe_script)
        later = page.locator("[data-item='tasks.medicine.from_now']")
        assert later.is_visible()
        page.check("input[name=tasks-medicine-who_now][value=not_applicable]")
        assert later.is_visible() is (not js), "with JavaScript the rest of the card is hidden at once"
        found["cards-ended"] = violations(page, axe_script)
        page.click("button[name=_nav][value=next]")
        assert not later.is_visible(), "without JavaScript it is hidden when the page is saved"
        page.goto(page.url.split("/del/")[0] + "/oppsummering")
        found["review"] = violations(page, axe_script)
        assert {k: v for k, v in found.items() if v} == {}
    finally:
        browser.close()


def test_the_robot_fills_cards_to_the_review(playwright, server):  # noqa: F811
    from formengine.definition.builder.validation import Builder
    from formengine.definition.loader import load_text

    from .browserkit import Robot

    defn = Builder(load_text(cards_form(), "kort.yaml")).build()
    browser = launch(playwright)
    try:
        page = new_context(browser).new_page()
        start(page, server)
        robot = Robot(page, defn)
        robot.run_sections()
        assert page.url.endswith("/oppsummering")
        text = page.inner_text("main")
        assert "Vask og stell: Jeg · Som nå · Ingenting" in text
    finally:
        browser.close()


@pytest.fixture
def same_page_server(tmp_path, monkeypatch):
    """The cards form with the checklist and the cards on one page."""
    forms = tmp_path / "forms" / "kort"
    forms.mkdir(parents=True)
    text = cards_form().replace(
        "  - id: cards\n    title: {nb: Oppgavene, nn: Oppgåvene, en: The tasks}\n    items:\n", ""
    )
    (forms / "1.0.0.yaml").write_text(text, "utf-8")
    monkeypatch.setitem(os.environ, "FORMENGINE_FORMS", str(forms.parent))
    running = Server(tmp_path / "same.sqlite3").start()
    yield running
    running.stop()


@pytest.mark.parametrize("js", [True, False])
def test_cards_on_the_checklist_page_appear_when_ticked(playwright, same_page_server, js):  # noqa: F811
    browser = launch(playwright)
    try:
        context = new_context(browser, js=js)
        page = context.new_page()
        start(page, same_page_server)
        card = page.locator("[data-item='tasks.shopping']")
        assert card.count() == 1 and not card.is_visible()
        page.check("input[name=helps_with][value=shopping]")
        if js:
            assert card.is_visible(), "the card appears as soon as the task is ticked"
        else:
            assert not card.is_visible()
            page.click("button[name=_nav][value=next]")
            assert "?mer=tasks.shopping." in page.url, "the page stays open, naming the new card's questions"
            assert card.is_visible()
        page.check("input[name=tasks-shopping-who_now][value=me]")
        page.uncheck("input[name=helps_with][value=shopping]")
        page.check("input[name=helps_with][value=medicine]")
        page.click("button[name=_nav][value=next]")
        rid = page.url.split("/svar/", 1)[1].split("/", 1)[0]
        page.goto(f"{same_page_server.url}/svar/{rid}/oppsummering")
        text = page.inner_text("main")
        assert "Medisiner" in text and "Innkjøp: Jeg" not in text, "an unticked card is not kept"
    finally:
        browser.close()
