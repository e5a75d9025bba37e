"""The independent first-option walk (bench/independent_walk.py) answers and counts as documented."""

from __future__ import annotations

import pytest
from playwright.sync_api import sync_playwright

from bench import independent_walk as iw

pytestmark = pytest.mark.browser

PAGE = """
<main><form id="answers" method="post">
 <fieldset><legend>Radio</legend>
  <input type="radio" name="r" value="a" id="r0"><label for="r0">A</label>
  <input type="radio" name="r" value="b" id="r1"><label for="r1">B</label></fieldset>
 <div data-item="m"><fieldset class="option-group"><legend>One</legend>
   <input type="checkbox" name="m" value="1"><input type="checkbox" name="m" value="2">
   <input type="checkbox" name="m" value="3"><input type="checkbox" name="m" value="4"></fieldset>
  <fieldset class="option-group"><legend>Two</legend>
   <input type="checkbox" name="m" value="5"><input type="checkbox" name="m" value="6"></fieldset>
  <input type="checkbox" name="_co" value="m"></div>
 <fieldset data-priority="p" data-max="3"><legend>Priority</legend>
  <input type="checkbox" name="p" value="1"><select class="rank" name="p-rank-1"><option>1</option></select>
  <input type="checkbox" name="p" value="2"><input type="checkbox" name="p" value="3">
  <input type="checkbox" name="p" value="4"><input type="checkbox" name="p" value="5"></fieldset>
 <div hidden id="later"><input type="radio" name="h" value="x"><input type="radio" name="h" value="y"></div>
 <label for="t">Text</label><input type="text" name="t" id="t">
 <input type="number" name="n" min="2" required>
 <input type="hidden" name="csrf_token" value="x">
 <p>Five words are written here.</p>
</form></main>
<script>
 document.getElementById("r0").addEventListener("change", function () {
   document.getElementById("later").hidden = false;
 });
</script>
"""


def test_answer_pass_and_counting_rules():
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=iw.CHROMIUM, args=iw.CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport=iw.VIEWPORT)
            page.set_content(PAGE)
            assert iw._answer_page(page) >= 2  # the first answer reveals a question: a second pass
            checked = page.evaluate(
                "() => [...document.querySelectorAll('input:checked')].map(e => e.name + '=' + e.value)"
            )
            # radio: first option; option groups: first three of each; priority: first three; no _co
            assert checked == ["r=a", "m=1", "m=2", "m=3", "m=5", "m=6", "p=1", "p=2", "p=3", "h=x"]
            assert page.input_value('input[name="t"]') == ""  # text stays empty
            assert page.input_value('input[name="n"]') == "2"  # required number: its minimum
            figures = iw._measure(page, "form")
            # r, m, p, h (revealed), t, n; not _co, the rank select, hidden inputs
            assert figures.answers == 6
            assert figures.screens == pytest.approx(
                page.evaluate("document.documentElement.scrollHeight") / 844, abs=0.01
            )
        finally:
            browser.close()


def test_walk_of_the_shipped_form_reaches_the_review():
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=iw.CHROMIUM, args=iw.CHROMIUM_ARGS)
        try:
            with iw.local_server() as (app, base):
                newest = iw.walk(browser, label="newest", base=base, link=None)
                old = iw.walk(browser, label="1.1.0", base=base, link=iw.invitation(app, base, "1.1.0"))
        finally:
            browser.close()
    for walk in (newest, old):
        assert walk.reached_review and walk.intro_time.startswith("Tar omtrent")
        form_pages = walk.form_pages()
        assert form_pages and all(p.answers > 0 and p.words > 20 and not p.errors for p in form_pages)
        assert [p.progress.split(" ·")[0] for p in form_pages] == [
            f"Del {n} av {len(form_pages)}" for n in range(1, len(form_pages) + 1)
        ]
        t = walk.totals()
        assert t["minutes"] == pytest.approx(t["words"] / 200 + t["answers"] / 10, abs=0.06)
    assert newest.front_time.startswith("Tar omtrent") and old.form == newest.form
    assert len(old.form_pages()) == 13  # 1.1.0 keeps its 13 parts
    assert "newest" in iw.table(newest) and "PASS" in iw.table(old) + iw.table(newest)


def test_an_error_page_at_the_review_address_is_not_a_review():
    """A server error where the summary should be must fail the walk, not pass it as a short review."""

    def broken_review(rid):
        raise RuntimeError("the review breaks")

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=iw.CHROMIUM, args=iw.CHROMIUM_ARGS)
        try:
            with iw.local_server() as (app, base):
                app.view_functions["fill.review"] = broken_review
                walk = iw.walk(browser, label="newest", base=base, link=None)
        finally:
            browser.close()
    assert not walk.reached_review
    review = walk.review()
    assert review is not None and review.errors == ["not the review page: Noe gikk galt hos oss"]
    verdict = walk.verdict()
    assert verdict["reached_review"] is False and verdict["review_screens"] is False
    assert "reached review FAIL" in iw.table(walk)
