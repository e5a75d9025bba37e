"""«Ingenting av dette nå» with JavaScript, in Chromium at 390x844: ticking it unticks the areas
and closes the questions they opened; ticking an area unticks it. axe-core finds no WCAG 2.1 A/AA
violation. The page without JavaScript is in ``test_exclusive_page.py``."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from .browserkit import CHROMIUM, Server, launch, new_context
from .test_axe import axe_script, playwright, violations  # noqa: F401  (fixtures)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian chromium at /usr/bin/chromium"),
]
SHOTS = Path(os.environ["EXCLUSIVE_SHOTS"]) if os.environ.get("EXCLUSIVE_SHOTS") else None
BOX = "input[name=strain_areas][value={}]"


@pytest.fixture
def server(tmp_path):
    running = Server(tmp_path / "exclusive.sqlite3").start()
    yield running
    running.stop()


def shot(page, name: str) -> None:
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def to_how_you_are(page, server) -> str:
    """Start the core form, keep the answers to oneself, open «Hvordan har du det?»."""
    page.goto(server.url + "/")
    page.locator("form[action*='/start/parorende-kartlegging'] button").first.click()
    page.locator("main form button[type=submit]").first.click()  # before you begin
    page.wait_for_url(re.compile(r"/hvem$|/del/"))
    if page.url.endswith("/hvem"):
        page.check("input[name=where][value=private]")
        page.click("main form button[type=submit]")
        page.wait_for_url(re.compile(r"/del/"))
    rid = page.url.split("/svar/", 1)[1].split("/", 1)[0]
    page.goto(f"{server.url}/svar/{rid}/del/how_you_are")
    return rid


def checked(page) -> list[str]:
    return page.eval_on_selector_all("input[name=strain_areas]:checked", "els => els.map(e => e.value)")


def test_ticking_nothing_unticks_the_areas_and_closes_their_questions(playwright, axe_script, server):  # noqa: F811
    browser = launch(playwright)
    try:
        page = new_context(browser, js=True, bypass_csp=True).new_page()
        rid = to_how_you_are(page, server)
        sleep_q = page.locator("[data-item=strain_sleep_rest]")
        feelings_q = page.locator("[data-item=strain_feelings_1]")
        page.check(BOX.format("sleep"))
        page.check(BOX.format("feelings"))
        assert sleep_q.is_visible() and feelings_q.is_visible()
        shot(page, "1-two-areas")
        page.check(BOX.format("nothing"))
        assert checked(page) == ["nothing"], "the areas are unticked"
        assert not sleep_q.is_visible() and not feelings_q.is_visible(), "their questions close"
        shot(page, "2-nothing")
        assert violations(page, axe_script) == []
        page.check(BOX.format("time"))
        assert checked(page) == ["time"], "ticking an area unticks «Ingenting av dette nå»"
        assert page.locator("[data-item=strain_time_oncall]").is_visible()
        page.check(BOX.format("sleep"))
        assert checked(page) == ["time", "sleep"], "other areas tick together as before"
        page.uncheck(BOX.format("sleep"))
        assert checked(page) == ["time"]
        page.check(BOX.format("nothing"))
        page.click("button[name=_nav][value=next]")
        page.wait_for_url(re.compile(r"/del/services"))
        page.goto(f"{server.url}/svar/{rid}/del/how_you_are")
        assert checked(page) == ["nothing"], "saved alone"
    finally:
        browser.close()


def test_without_javascript_the_page_says_what_to_do_and_passes_axe(playwright, axe_script, server):  # noqa: F811
    browser = launch(playwright)
    try:
        context = new_context(browser, js=True, bypass_csp=True)
        context.route("**/static/*.js*", lambda route: route.abort())
        page = context.new_page()
        to_how_you_are(page, server)
        page.check(BOX.format("sleep"))
        page.check(BOX.format("nothing"))
        assert checked(page) == ["sleep", "nothing"], "no script: nothing is unticked for her"
        page.click("button[name=_nav][value=next]")
        page.wait_for_load_state()
        assert "/del/how_you_are" in page.url
        message = page.locator("#strain_areas-error")
        assert "Du har krysset av for «Ingenting av dette nå» og for noe annet. Fjern ett av kryssene." in (
            message.inner_text()
        )
        assert checked(page) == ["sleep", "nothing"], "every tick kept"
        shot(page, "3-nojs-error")
        assert violations(page, axe_script) == []
    finally:
        browser.close()
