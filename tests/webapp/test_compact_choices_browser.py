"""Compact choices in Chromium (issue 11): at 390 px a "two" group sits two to a row and a short
scored scale in one row, every option at least 44×44 px, in option order row by row; at 320 px
(and so at 200 % zoom on a phone) every group falls back to one column. Without JavaScript too."""

from __future__ import annotations

import pytest

from .browserkit import launch, new_context
from .test_axe import playwright  # noqa: F401  (fixture)
from .test_cards_browser import pytestmark as _browser_marks
from .test_cards_browser import server, start  # noqa: F401  (fixture)

pytestmark = _browser_marks

BOXES = """(sel) => [...document.querySelectorAll(sel)].filter(el => el.offsetParent).map(el => {
  const r = el.getBoundingClientRect();
  return {x: Math.round(r.left), y: Math.round(r.top), w: r.width, h: r.height,
          value: el.querySelector('input').value, order: [...el.parentNode.children].indexOf(el)};
})"""


def _rows(boxes: list[dict]) -> list[list[str]]:
    """Option values row by row as they appear (top to bottom, left to right)."""
    rows: dict[int, list[dict]] = {}
    for box in boxes:
        rows.setdefault(box["y"], []).append(box)
    return [[b["value"] for b in sorted(row, key=lambda b: b["x"])] for _y, row in sorted(rows.items())]


@pytest.mark.parametrize("js", [True, False])
def test_compact_groups_two_to_a_row_at_390_and_one_column_at_320(playwright, server, js):  # noqa: F811
    browser = launch(playwright)
    try:
        page = new_context(browser, js=js).new_page()
        start(page, server)
        page.check("input[name=helps_with][value=shopping]")
        page.click("button[name=_nav][value=next]")
        page.wait_for_selector(".taskcard")
        two = "[data-item='tasks.shopping.who_now'] .choices--two .choice"
        scale = "[data-item='tasks.shopping.from_now'] .choices--scale .choice"
        boxes = page.evaluate(BOXES, two)
        assert [b["value"] for b in boxes] == ["me", "self", "services", "not_applicable"]
        # two per row, row by row in option order (the tab order is the option order)
        assert _rows(boxes) == [["me", "self"], ["services", "not_applicable"]]
        assert all(b["h"] >= 44 and b["w"] >= 44 for b in boxes), boxes
        segments = page.evaluate(BOXES, scale)
        assert _rows(segments) == [["same", "more", "less", "stop"]]  # a scored scale: one row
        assert all(b["h"] >= 44 and b["w"] >= 44 for b in segments), segments
        # the whole cell is the target: a tap on the cell's edge checks its option
        cell = page.locator(two).nth(1)
        box = cell.bounding_box()
        page.mouse.click(box["x"] + box["width"] - 4, box["y"] + box["height"] - 4)
        assert page.locator("input[name=tasks-shopping-who_now][value=self]").is_checked()

        page.set_viewport_size({"width": 320, "height": 844})
        for selector in (two, scale):
            narrow = page.evaluate(BOXES, selector)
            assert len({b["x"] for b in narrow}) == 1, f"one column at 320 px: {narrow}"
            assert [b["value"] for b in sorted(narrow, key=lambda b: b["y"])] == [b["value"] for b in narrow]
            assert all(b["h"] >= 44 for b in narrow), narrow
        # nothing wider than the screen (WCAG 1.4.10 reflow)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
    finally:
        browser.close()
