"""The whole national assessment in a real browser (390×844), with and without JavaScript.

Each journey: start from the public page, read the consent page, fill about half the form,
close the browser, resume in a new browser context with the short code, finish, review and
submit. Run with ``pytest -m browser``; skipped only when /usr/bin/chromium is missing.
"""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest

from .browserkit import (
    CHROMIUM,
    Robot,
    Server,
    launch,
    new_context,
    past_contact,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian chromium at /usr/bin/chromium"),
]
FORM = "parorende-kartlegging"


@pytest.fixture(scope="module")
def playwright():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="module")
def definition():
    import formengine

    defn = formengine.load_registry(Path(__file__).resolve().parents[2] / "forms").latest_active(FORM)
    assert defn is not None, f"the shipped form {FORM} has no active version, or does not load"
    return defn


@pytest.fixture
def server(tmp_path):
    srv = Server(tmp_path / "browser.sqlite3").start()
    yield srv
    srv.stop()


def start_form(page, server, defn) -> str:
    """From the public page through the consent page; return the short code."""
    page.goto(server.url + "/")
    page.click(f"form[action='/start/{defn.id}'] button")
    page.wait_for_url(re.compile(r"/om$"))
    code = page.locator(".code").first.inner_text()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", code)
    page.click("form button[type=submit]")
    page.wait_for_url(re.compile(r"/del/|/hvem$"))
    if page.url.endswith("/hvem"):  # who gets the answers: this journey keeps them to itself
        page.check("input[name=where][value=private]")
        page.click("form button[type=submit]")
        page.wait_for_url(re.compile(r"/del/"))
    return code


def stored_response(server) -> dict:
    with sqlite3.connect(server.db_path) as conn:
        row = conn.execute("select answers, status, consent_at, lang from responses").fetchone()
    return {"answers": json.loads(row[0]), "status": row[1], "consent_at": row[2], "lang": row[3]}


def journey(playwright, server, defn, *, lang: str, js: bool) -> dict:
    browser = launch(playwright)
    context = new_context(browser, lang=lang, js=js)
    page = context.new_page()
    code = start_form(page, server, defn)
    assert page.locator("html").get_attribute("lang") == lang
    assert (
        page.locator(".progress").inner_text()
        in {f"Del 1 av {len(defn.sections)}", f"Part 1 of {len(defn.sections)}"}
        or page.locator(".progress").count() == 1
    )
    robot = Robot(page, defn, lang)
    half = max(2, len(defn.sections) // 2)
    robot.run_sections(stop_after=half)
    filled_before = set(robot.filled)
    context.close()
    browser.close()  # the phone's browser is gone; only the code is left

    browser = launch(playwright)
    context = new_context(browser, lang=lang, js=js)
    page = context.new_page()
    page.goto(server.url + "/fortsett")
    page.fill("#code", code.lower().replace("-", ""))
    page.click("form button[type=submit]")
    page.wait_for_url(re.compile(r"/del/|/oppsummering$"))
    robot = Robot(page, defn, lang)
    robot.filled = filled_before
    robot.run_sections()
    past_contact(page)
    assert page.url.endswith("/oppsummering")
    assert page.locator("a[href*='/del/']").count() >= len(defn.sections) - 1  # an edit link per section
    page.click("form[action$='/send'] button")
    page.wait_for_url(re.compile(r"/kvittering$"))
    assert page.locator("h1").count() == 1
    page.click("a[href$='/kopi']")
    assert page.locator("h1").inner_text() == defn.title.get(lang)
    context.close()
    browser.close()
    return stored_response(server)


def check_answers(result: dict, defn) -> None:
    answers = result["answers"]
    assert result["status"] == "submitted" and result["consent_at"]
    repeats = [i for i in defn.iter_items() if i.type == "repeat"]
    conditional = [i for i in defn.iter_items() if i.show_if is not None and not i.parent]
    assert any(answers.get(r.id) for r in repeats), "a repeat group was filled"
    assert any(c.id in answers for c in conditional), "a conditional branch was answered"
    for section in defn.sections:
        assert any(item.id in answers for item in section.items if item.type != "note"), section.id


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_whole_assessment_with_javascript(playwright, server, definition, lang):
    check_answers(journey(playwright, server, definition, lang=lang, js=True), definition)


def test_whole_assessment_without_javascript(playwright, server, definition):
    check_answers(journey(playwright, server, definition, lang="nb", js=False), definition)


def test_conditions_evaluate_live_without_a_round_trip(playwright, server, definition):
    """With JavaScript, a branch opens as soon as the answer is picked (same page, no reload),
    and the page causes no console errors (e.g. CSP violations)."""
    browser = launch(playwright)
    try:
        page = new_context(browser).new_page()
        errors = []
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        start_form(page, server, definition)
        robot = Robot(page, definition)
        # the first page with a question opened by an answer on the same page
        section, dependent, trigger, value = next(
            (sec, item, ref.name, lit)
            for sec in definition.sections
            for item in sec.items
            if item.show_if is not None
            for ref, lit in item.show_if.literal_comparisons()
            if isinstance(lit, str) and any(i.id == ref.name for i in sec.items)
        )
        if section.id != robot.section_id():
            page.goto(page.url.split("#")[0].rsplit("/del/", 1)[0] + f"/del/{section.id}")
        url = page.url
        assert page.locator(f"[data-item='{dependent.id}']").get_attribute("hidden") is not None
        page.check(f"input[name='{trigger}'][value='{value}']")
        assert page.locator(f"[data-item='{dependent.id}']").get_attribute("hidden") is None
        assert page.url == url
        assert errors == []
    finally:
        browser.close()
