"""A relative without JavaScript: told the length, through a task card (or, before the form has
cards, a matrix) and the priority ranking, to the summary from any page (issue 11)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .browserkit import CHROMIUM, ROOT, Server, choose_recipient, launch, new_context

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


def _rank(page, item, values, ranks) -> None:
    for value, rank in zip(values, ranks, strict=True):
        page.select_option(f"select[name='{item.id}-rank-{value}']", rank)


def _priority_page(page, item) -> list[str]:
    """Tick three, give one number twice (refused), then number them 2, 3, 1; return the labels in rank order."""
    boxes = page.locator(f"input[type=checkbox][name='{item.id}']")
    values = [boxes.nth(n).get_attribute("value") for n in range(3)]
    labels = [page.locator(f"label[for='{boxes.nth(n).get_attribute('id')}']").inner_text() for n in range(3)]
    for n in range(3):
        boxes.nth(n).check()
    _rank(page, item, values, ("2", "2", "1"))  # the same number twice is refused, nothing reordered
    here = _section(page)
    _next(page)
    assert _section(page) == here
    assert "Du ga nummer 2 til mer enn ett valg" in page.inner_text(".error-summary")
    _rank(page, item, values, ("2", "3", "1"))
    _next(page)
    return [labels[2], labels[0], labels[1]]


def _cards_page(page, item) -> int:
    """Answer every card; "not applicable" in the first question of the first card ends that card."""
    cards = page.locator(f"fieldset.taskcard[data-item^='{item.id}.']:not([hidden])")
    count = cards.count()
    assert count >= 1, "no task card on the page"
    first = item.columns[0]
    na = next((o.value for o in first.options if o.not_applicable), None)
    for n in range(count):
        card = cards.nth(n)
        for column in item.columns:
            radios = card.locator(f"input[type=radio][name$='-{column.id}']")
            if radios.count() and radios.first.is_visible():
                value = na if (n == 0 and column is first and na) else radios.first.get_attribute("value")
                card.locator(f"input[type=radio][name$='-{column.id}'][value='{value}']").check()
    here = _section(page)
    _next(page)
    if na and len(item.columns) > 1:  # without JavaScript the card ends on the next showing of the page
        page.goto(page.url.split("/del/")[0] + f"/del/{here}")
        first_card = page.locator(f"fieldset.taskcard[data-item^='{item.id}.']").first
        later = first_card.locator(f"fieldset[data-item$='.{item.columns[1].id}']")
        assert later.get_attribute("hidden") is not None, "not applicable did not end the card"
        _next(page)
    return count


def _matrix_page(page, item) -> None:
    for row in item.rows:
        page.locator(f"input[name='{item.id}-{row.id}']").nth(1).check()
    _next(page)


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
        choose_recipient(page)
        progress = page.inner_text("#progress")
        assert re.match(rf"Del 1 av {len(defn.sections)}", progress) or progress.startswith("Del 1 av")
        assert "igjen" in progress

        cards = next((i for i in defn.iter_items() if i.type == "cards"), None)
        matrix = next((i for i in defn.iter_items() if i.type == "matrix"), None)
        priority = next(i for i in defn.iter_items() if i.type == "priority")
        source = defn.item(cards.rows_from) if cards is not None and cards.rows_from else None
        done, ranked_labels = set(), []
        for _ in range(40):
            here = _section(page)
            if here is None:
                break
            items = {i.id: i for i in defn.section(here).items}
            if priority.id in items:
                ranked_labels = _priority_page(page, priority)
                done.add("priority")
            elif source is not None and source.id in items and "checklist" not in done:
                boxes = page.locator(f"input[type=checkbox][name='{source.id}']")
                boxes.nth(0).check()
                boxes.nth(1).check()
                done.add("checklist")
                _next(page)
            elif cards is not None and cards.id in items:
                assert _cards_page(page, cards) == 2  # one card per ticked task
                done.add("tasks")
            elif cards is None and matrix is not None and matrix.id in items:
                _matrix_page(page, matrix)
                done.add("tasks")
            elif {"priority", "tasks"} <= done:
                break
            else:
                _next(page)
        assert {"priority", "tasks"} <= done
        assert _section(page) is not None, "the journey should still be on a page of the form"
        # from any page with a text box to the summary, keeping this page's answers
        boxes = page.locator("textarea:visible, input[type=text]:visible")
        if not boxes.count():  # a page without free text (2.0.0 how_you_are since burden4)
            opener = next(
                (
                    (ref.name, literal)
                    for i in defn.section(_section(page)).items
                    if i.type in ("text", "long_text") and i.show_if is not None
                    for ref, literal in i.show_if.literal_comparisons()
                ),
                None,
            )
            if opener is not None:
                page.locator(f"input[type=radio][name='{opener[0]}'][value='{opener[1]}']").check()
                _next(page)  # without JavaScript the page is shown again with what opened
            else:  # back to the cards page: its expectations both ways are free text
                page.click("button[name='_nav'][value='back']")
                page.wait_for_load_state()
        assert boxes.count(), "a page after the cards should offer a text box"
        box = boxes.first
        box.fill("Skrevet rett før oppsummeringen")
        page.click("button[name='_nav'][value='review']")
        page.wait_for_load_state()
        assert page.url.endswith("/oppsummering")
        review = page.inner_text("main")
        assert "Skrevet rett før oppsummeringen" in review
        ranked = [f"{n}. {label}" for n, label in enumerate(ranked_labels, 1)]
        assert all(line in review for line in ranked), review[:2000]
        assert review.index(ranked[0]) < review.index(ranked[1]) < review.index(ranked[2])
        page.click("form[action$='/send'] button")
        page.wait_for_load_state()
        assert page.url.endswith("/kvittering")
    finally:
        browser.close()
        server.stop()


@pytest.mark.parametrize("js", [True, False])
def test_rank_boxes_and_their_labels_are_hidden_together_with_javascript(playwright, tmp_path, js):
    """With JavaScript the order is the tap order: the number boxes go, and so do their labels
    ("Hvor viktig: …"), which would otherwise be read out for a box that is not there."""
    import formengine

    defn = formengine.load_registry(ROOT / "forms").latest_active("parorende-kartlegging")
    priority = next(i for i in defn.iter_items() if i.type == "priority")
    server = Server(tmp_path / "rank.sqlite3").start()
    browser = launch(playwright)
    try:
        page = new_context(browser, js=js).new_page()
        page.goto(server.url + "/")
        page.click(f"form[action='/start/{defn.id}'] button")
        page.wait_for_load_state()
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
        choose_recipient(page)
        page.goto(page.url.split("/del/")[0] + f"/del/{defn.section_of[priority.id]}")
        labels = page.locator(f"[data-priority='{priority.id}'] label[for$='-rank']")
        selects = page.locator(f"[data-priority='{priority.id}'] select.rank")
        assert labels.count() == selects.count() == len(priority.options)
        hidden = [labels.nth(n).get_attribute("hidden") is not None for n in range(labels.count())]
        assert hidden == [js] * labels.count()
        assert selects.first.is_visible() is not js
        assert ("Hvor viktig" in page.inner_text("main")) is not js
    finally:
        browser.close()
        server.stop()
