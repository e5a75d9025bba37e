"""A card column with ``show_if`` in Chromium at 390x844: with JavaScript it appears and hides live
as the card's earlier answers change; without, the page stays open after saving and moves focus to
the question that opened. axe-core finds no WCAG 2.1 A/AA violation either way."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.formengine.cards_form import EXPECTS_IF, cards_form

from .browserkit import CHROMIUM, Server, launch, new_context
from .test_axe import axe_script, playwright, violations  # noqa: F401  (fixtures)
from .test_cards_browser import start

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian chromium at /usr/bin/chromium"),
]
SHOTS = Path(os.environ.get("CARDS_COL_SHOTS", "")) if os.environ.get("CARDS_COL_SHOTS") else None


@pytest.fixture
def server(tmp_path, monkeypatch):
    forms = tmp_path / "forms" / "kort"
    forms.mkdir(parents=True)
    (forms / "1.0.0.yaml").write_text(cards_form(expects_if=EXPECTS_IF), "utf-8")
    monkeypatch.setitem(os.environ, "FORMENGINE_FORMS", str(forms.parent))
    running = Server(tmp_path / "cards.sqlite3").start()
    yield running
    running.stop()


def shot(page, name: str) -> None:
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def to_cards(page, server) -> None:
    start(page, server)
    page.check("input[name=helps_with][value=medicine]")
    page.click("button[name=_nav][value=next]")
    page.wait_for_url(re.compile(r"/del/cards"))


def test_with_javascript_the_question_appears_and_hides_live(playwright, axe_script, server):  # noqa: F811
    browser = launch(playwright)
    try:
        page = new_context(browser, js=True, bypass_csp=True).new_page()
        to_cards(page, server)
        expects = page.locator("[data-item='tasks.medicine.expects']")
        assert not expects.is_visible(), "not asked before the card's earlier answers call for it"
        page.check("input[name=tasks-medicine-who_now][value=me]")
        page.check("input[name=tasks-medicine-from_now][value=same]")
        assert not expects.is_visible()
        page.check("input[name=tasks-medicine-from_now][value=less]")
        assert expects.is_visible(), "wanting to do less asks what the relative expects"
        shot(page, "js-opened")
        assert violations(page, axe_script) == []
        page.check("input[name=tasks-medicine-expects][value=help]")
        page.check("input[name=tasks-medicine-from_now][value=more]")
        assert not expects.is_visible()
        page.check("input[name=tasks-medicine-who_now][value=services]")
        assert expects.is_visible(), "or nobody in the family does it now"
        page.check("input[name=tasks-medicine-who_now][value=not_applicable]")
        assert not expects.is_visible(), "not applicable still ends the card"
        page.check("input[name=tasks-medicine-who_now][value=me]")
        page.click("button[name=_nav][value=next]")
        page.wait_for_url(re.compile(r"/oppsummering|/del/"))
        assert "mer=" not in page.url, "the script told the server what the relative saw"
        rid = page.url.split("/svar/", 1)[1].split("/", 1)[0]
        page.goto(f"{server.url}/svar/{rid}/oppsummering")
        text = page.inner_text("main")
        assert "Medisiner: Jeg · Mer" in text and "Hjelp" not in text, "a cell not asked is not kept"
    finally:
        browser.close()


def test_without_javascript_the_page_stays_and_focuses_the_opened_question(playwright, axe_script, server):  # noqa: F811
    browser = launch(playwright)
    try:
        context = new_context(browser, js=True, bypass_csp=True)
        context.route("**/static/*.js*", lambda route: route.abort())
        page = context.new_page()
        to_cards(page, server)
        expects = page.locator("[data-item='tasks.medicine.expects']")
        assert not expects.is_visible()
        page.check("input[name=tasks-medicine-who_now][value=me]")
        page.check("input[name=tasks-medicine-from_now][value=stop]")
        assert not expects.is_visible(), "no script: nothing changes before saving"
        page.click("button[name=_nav][value=next]")
        page.wait_for_url(re.compile(r"/del/cards\?mer=tasks\.medicine\.expects#q-tasks-medicine-expects$"))
        assert expects.is_visible()
        assert (
            page.evaluate("document.activeElement && document.activeElement.id") == "q-tasks-medicine-expects"
        )
        notice = page.locator(".notice[role=status]")
        assert "Medisiner: Hva venter du av tjenestene?" in notice.inner_text()
        shot(page, "nojs-opened")
        assert violations(page, axe_script) == []
        page.check("input[name=tasks-medicine-expects][value=take_over]")
        page.click("button[name=_nav][value=next]")
        page.wait_for_url(re.compile(r"/oppsummering|/del/(?!cards)"))
    finally:
        browser.close()
