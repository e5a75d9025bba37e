"""What a tired relative on a phone sees on the shipped 2.0.0 assessment (Chromium, 390×844).

A refused fourth priority says why, under the option tapped; the contact page keeps "I need an
interpreter" apart from the contact-channel options; a task card's name stays in sight while its
questions scroll.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import sync_playwright

from bench import independent_walk as iw

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site():
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=iw.CHROMIUM, args=iw.CHROMIUM_ARGS)
        try:
            with iw.local_server() as (_app, base):
                yield browser, base
        finally:
            browser.close()


def _started(browser, base, *, js: bool = True):
    """Start the national assessment from the front page, read the intro, choose the municipality."""
    context = browser.new_context(viewport=iw.VIEWPORT, locale="nb-NO", java_script_enabled=js)
    page = context.new_page()
    page.goto(base + "/")
    page.locator(f'li.card:has(form[action$="/start/{iw.FORM_ID}"]) button').click()
    page.wait_for_load_state()
    page.locator("main form button[type=submit]").last.click()  # the intro
    page.wait_for_load_state()
    page.locator("#where-0").check()  # who gets the answers: the first municipality
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    assert "/del/what_matters" in page.url
    return context, page


def test_a_fourth_priority_is_refused_with_a_visible_reason(site):
    browser, base = site
    context, page = _started(browser, base)
    try:
        box = page.locator("fieldset[data-priority]")
        options = box.locator(".choice--rank")
        message = box.locator("[data-rank-full]")
        assert box.locator("p.hint").first.inner_text() == (
            "Trykk på opptil 3, det viktigste først. Fjern et kryss for å endre rekkefølgen."
        )
        for n in (4, 0, 6):
            options.nth(n).locator("input[type=checkbox]").click()
        assert message.is_hidden()
        options.nth(1).locator("input[type=checkbox]").click()  # a fourth tap
        assert not options.nth(1).locator("input[type=checkbox]").is_checked()
        assert message.is_visible()
        assert (
            message.inner_text()
            == "Du har allerede valgt 3. Fjern et kryss først hvis du vil velge noe annet."
        )
        # right under the option tapped, where the relative is looking
        tapped = options.nth(1).bounding_box()
        shown = message.bounding_box()
        assert 0 <= shown["y"] - (tapped["y"] + tapped["height"]) < 30
        assert box.locator("[data-rank-status]").inner_text() == message.inner_text()
        options.nth(0).locator("input[type=checkbox]").click()  # untick one: the message goes
        assert message.is_hidden()
        options.nth(1).locator("input[type=checkbox]").click()
        assert options.nth(1).locator("input[type=checkbox]").is_checked()
    finally:
        context.close()


def test_without_javascript_the_refusal_text_stays_hidden(site):
    browser, base = site
    context, page = _started(browser, base, js=False)
    try:
        assert page.locator("fieldset[data-priority] [data-rank-full]").is_hidden()
        assert page.locator("fieldset[data-priority] p.hint").first.inner_text() == (
            "Kryss av for opptil 3. Gi hvert et tall: 1 er det viktigste."
        )
    finally:
        context.close()


def test_contact_page_keeps_the_interpreter_apart_from_the_channel_options(site):
    browser, base = site
    context, page = _started(browser, base)
    try:
        page.goto(page.url.split("/del/")[0] + "/kontakt")
        last_channel = page.locator("input[name=channel]").last.locator("xpath=..").bounding_box()
        interpreter = page.locator("input[name=interpreter]").locator("xpath=..").bounding_box()
        language = page.locator("label[for=interpreter_language]").bounding_box()
        # a clear gap (the page's 1.5rem between questions), not one more option of the list above
        assert interpreter["y"] - (last_channel["y"] + last_channel["height"]) >= 20
        assert language["y"] - (interpreter["y"] + interpreter["height"]) >= 20
    finally:
        context.close()


def test_a_task_card_keeps_its_name_in_sight_while_its_questions_scroll(site):
    browser, base = site
    context, page = _started(browser, base, js=False)  # plain CSS: the same with and without JavaScript
    try:
        root = page.url.split("/del/")[0]
        page.goto(root + "/del/tasks_checklist")
        for n in (0, 1):
            page.locator("input[name=helps_with]").nth(n).check()
        page.click("button[name='_nav'][value='next']")
        page.wait_for_load_state()
        card = page.locator("fieldset.taskcard").first
        last_question = card.locator("fieldset.taskcard__q:not([hidden])").last
        page.evaluate(
            "el => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY)",
            last_question.element_handle(),
        )
        title = card.locator("legend.taskcard__title").bounding_box()
        assert 0 <= title["y"] < 5  # stuck at the top of the screen
        assert card.locator("legend.taskcard__title").inner_text() == "Vask og dusj"
        # the next card's name takes over when its card reaches the top
        second = page.locator("fieldset.taskcard").nth(1)
        page.evaluate(  # into the second card, less than its height (a card asks "who" first)
            "el => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY"
            " + Math.min(300, el.getBoundingClientRect().height / 2))",
            second.element_handle(),
        )
        assert 0 <= second.locator("legend.taskcard__title").bounding_box()["y"] < 5
        assert card.locator("legend.taskcard__title").bounding_box()["y"] < 0
        # a question a link jumps to (the error summary, "new question") is not hidden under the name
        page.evaluate("window.scrollTo(0, 0)")
        target = second.locator("fieldset.taskcard__q:not([hidden])").last
        target.evaluate("el => el.scrollIntoView()")  # what following a link to #its-id does
        stuck = second.locator("legend.taskcard__title").bounding_box()
        assert target.bounding_box()["y"] >= stuck["y"] + stuck["height"]
    finally:
        context.close()
