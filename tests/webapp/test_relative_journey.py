"""A relative without JavaScript: told the length, through a task card (or, before the form has
cards, a matrix) and the priority ranking, to the summary from any page (issue 11)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .browserkit import CHROMIUM, ROOT, Server, launch, new_context

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian chromium at /usr/bin/chromium"),
]


@pytest.fixture(scope="module")
def playwright():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


def _next(page) -> None:
    page.click("button[name='_nav'][value='next']")
    page.wait_for_load_state()


def _section(page) -> str | None:
    path = page.url.split("?")[0].split("#")[0]
    return path.rsplit("/del/", 1)[1] if "/del/" in path else None


def _go_to(page, section_id: str) -> None:
    """Save and continue (answering nothing) until ``section_id``: every question may be skipped."""
    for _ in range(40):
        if _section(page) == section_id:
            return
        _next(page)
    raise AssertionError(f"never reached {section_id}")


def _answer_tasks(page, defn) -> str:
    """Answer the task questions: the cards if the form has them, else the first matrix. Return the kind."""
    cards = [i for i in defn.iter_items() if i.type == "cards"]
    if cards:
        item = cards[0]
        source = defn.item(item.rows_from) if item.rows_from else None
        if source is not None:
            _go_to(page, defn.section_of[source.id])
            boxes = page.locator(f"input[type=checkbox][name='{source.id}']")
            boxes.nth(0).check()
            boxes.nth(1).check()
            if defn.section_of[source.id] != defn.section_of[item.id]:
                _next(page)
            else:  # cards on the same page open after a save (no JavaScript)
                _next(page)
        _go_to(page, defn.section_of[item.id])
        cells = page.locator(f"fieldset[data-item], [data-item='{item.id}'] fieldset")
        assert cells.count() >= 1
        radios = page.locator(f"[data-item='{item.id}'] input[type=radio]")
        names = list(dict.fromkeys(radios.nth(n).get_attribute("name") for n in range(radios.count())))
        assert names, "no card questions on the page"
        for name in names:
            page.locator(f"input[type=radio][name='{name}']").first.check()
        _next(page)
        return "cards"
    section = next(s for s in defn.sections if any(i.type == "matrix" for i in s.items))
    item = next(i for i in section.items if i.type == "matrix")
    _go_to(page, section.id)
    for row in item.rows:
        page.locator(f"input[name='{item.id}-{row.id}']").nth(1).check()
    _next(page)
    return "matrix"


def test_no_javascript_journey_through_tasks_and_priorities(playwright, tmp_path):
    import formengine

    defn = formengine.load_registry(ROOT / "forms").latest_active("parorende-kartlegging")
    server = Server(tmp_path / "journey.sqlite3").start()
    browser = launch(playwright)
    try:
        page = new_context(browser, js=False).new_page()
        page.goto(server.url + "/")
        assert re.search(r"Tar omtrent \d+–\d+ minutter\.", page.inner_text("main"))
        page.click(f"form[action='/start/{defn.id}'] button")
        page.wait_for_load_state()
        assert re.search(r"Tar omtrent \d+–\d+ minutter\.", page.inner_text("main"))
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
        progress = page.inner_text("#progress")
        assert re.match(rf"Del 1 av {len(defn.sections)}", progress) or progress.startswith("Del 1 av")
        assert "igjen" in progress

        kind = _answer_tasks(page, defn)

        section, item = next((s, i) for s in defn.sections for i in s.items if i.type == "priority")
        _go_to(page, section.id)
        boxes = page.locator(f"input[type=checkbox][name='{item.id}']")
        values = [boxes.nth(n).get_attribute("value") for n in range(3)]
        labels = [page.locator(f"label[for='{boxes.nth(n).get_attribute('id')}']").inner_text() for n in range(3)]
        for n in range(3):
            boxes.nth(n).check()
        # the same number twice is refused, with a message, and nothing is reordered
        for value, rank in zip(values, ("2", "2", "1"), strict=True):
            page.select_option(f"select[name='{item.id}-rank-{value}']", rank)
        _next(page)
        assert _section(page) == section.id
        assert "Du ga nummer 2 til mer enn ett valg" in page.inner_text(".error-summary")
        for value, rank in zip(values, ("2", "3", "1"), strict=True):
            page.select_option(f"select[name='{item.id}-rank-{value}']", rank)
        # from any page to the summary, keeping this page's answers
        page.click("button[name='_nav'][value='review']")
        page.wait_for_load_state()
        assert page.url.endswith("/oppsummering")
        review = page.inner_text("main")
        ranked = [f"1. {labels[2]}", f"2. {labels[0]}", f"3. {labels[1]}"]
        assert all(line in review for line in ranked), (kind, review[:2000])
        assert review.index(ranked[0]) < review.index(ranked[1]) < review.index(ranked[2])
        page.click("form[action$='/send'] button")
        page.wait_for_load_state()
        assert page.url.endswith("/kvittering")
    finally:
        browser.close()
        server.stop()
