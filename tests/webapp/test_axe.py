"""axe-core finds no WCAG 2.1 A/AA violations on any page type (390×844, bokmål and English)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from .browserkit import CHROMIUM, Server, launch, new_context, page_tour, relative_tour

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian chromium at /usr/bin/chromium"),
]
AXE_DIR = Path.home() / ".cache" / "formengine-axe"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
EXPECTED_PAGES = {
    "start",
    "resume-code",
    "resume-code-error",
    "error-404",
    "consent",
    "section",
    "section-repeat",
    "section-errors",
    "review",
    "pause",
    "receipt",
    "copy",
    "choose",
    "contact",
}  # choose, contact: issue 12


@pytest.fixture(scope="module")
def axe_script() -> Path:
    script = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
    if not script.exists():
        if shutil.which("npm") is None:
            pytest.skip("npm is not installed (needed to fetch axe-core)")
        proc = subprocess.run(
            ["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(AXE_DIR), "axe-core@4"],
            capture_output=True,
            text=True,
            timeout=600,
        )
        if proc.returncode != 0 or not script.exists():
            pytest.skip(f"could not install axe-core with npm: {proc.stderr[-500:]}")
    return script


@pytest.fixture(scope="module")
def playwright():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


def violations(page, script: Path) -> list[str]:
    page.add_script_tag(path=str(script))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}× e.g. {v['nodes'][0]['target']})"
        for v in result["violations"]
    ]


@pytest.mark.parametrize("lang,js", [("nb", True), ("en", True), ("nb", False)])
def test_no_axe_violations_on_any_page_type(playwright, axe_script, tmp_path, lang, js):
    import formengine

    defn = formengine.load_registry(Path(__file__).resolve().parents[2] / "forms").latest_active(
        "parorende-kartlegging"
    )
    server = Server(tmp_path / "axe.sqlite3").start()
    browser = launch(playwright)
    try:
        # bypass_csp lets the test inject axe; the app's own pages never need it. With js=False
        # the page runs no script of its own, but axe is evaluated by Playwright all the same.
        context = new_context(browser, lang=lang, js=True, bypass_csp=True)
        if not js:
            context.route("**/static/*.js*", lambda route: route.abort())
        page = context.new_page()
        found, seen = {}, set()
        for name, current in page_tour(page, server, defn, lang):
            seen.add(name)
            problems = violations(current, axe_script)
            if problems:
                found[name] = problems
        assert seen == EXPECTED_PAGES
        assert found == {}
    finally:
        browser.close()
        server.stop()


@pytest.mark.parametrize("js", [True, False])
def test_no_axe_violations_on_the_relatives_new_pages(playwright, axe_script, tmp_path, js):
    """Issue 11's pages: ranking (tap order / numbers), a refused rank, a text over its limit,
    "remove?" asked first, a new question named without JavaScript, the municipality page."""
    import formengine

    defn = formengine.load_registry(Path(__file__).resolve().parents[2] / "forms").latest_active(
        "parorende-kartlegging"
    )
    server = Server(tmp_path / "axe-new.sqlite3").start()
    browser = launch(playwright)
    try:
        context = new_context(browser, js=True, bypass_csp=True)
        if not js:
            context.route("**/static/*.js*", lambda route: route.abort())
        page = context.new_page()
        found, seen = {}, set()
        for name, current in relative_tour(page, server, defn, js=js):
            seen.add(name)
            problems = violations(current, axe_script)
            if problems:
                found[name] = problems
        expected = {"municipality", "section-priority", "section-text-over", "section-remove-confirm"}
        expected |= {"section-cards"} if any(i.type == "cards" for i in defn.iter_items()) else set()
        expected |= {"section-scale"} if any(i.type == "scale" for i in defn.iter_items()) else set()
        assert seen == expected | (set() if js else {"section-priority-error", "section-branch"})
        assert found == {}
    finally:
        browser.close()
        server.stop()


def test_axe_does_find_problems(playwright, axe_script):
    """Negative control: the check is live (an unlabelled field and no lang are reported)."""
    browser = launch(playwright)
    try:
        page = browser.new_page()
        page.set_content(
            "<html><head><title>x</title></head><body><main><input type=text></main></body></html>"
        )
        found = " ".join(violations(page, axe_script))
        assert "label" in found and "html-has-lang" in found
    finally:
        browser.close()


@pytest.mark.parametrize("width", [320, 195])  # WCAG 1.4.10 reflow; a 390 px phone at 200 % zoom
def test_no_horizontal_scrolling_when_zoomed(playwright, tmp_path, width):
    import formengine

    defn = formengine.load_registry(Path(__file__).resolve().parents[2] / "forms").latest_active(
        "parorende-kartlegging"
    )
    server = Server(tmp_path / "zoom.sqlite3").start()
    browser = launch(playwright)
    try:
        page = browser.new_context(viewport={"width": width, "height": 700}, locale="nb-NO").new_page()
        wide = {}
        for name, current in page_tour(page, server, defn):
            scroll, client = current.evaluate(
                "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
            )
            if scroll > client:
                wide[name] = scroll - client
        assert wide == {}
    finally:
        browser.close()
        server.stop()


def test_touch_targets_are_at_least_44_px(playwright, tmp_path):
    import formengine

    defn = formengine.load_registry(Path(__file__).resolve().parents[2] / "forms").latest_active(
        "parorende-kartlegging"
    )
    server = Server(tmp_path / "touch.sqlite3").start()
    browser = launch(playwright)
    script = """() => [...document.querySelectorAll(
        'button, select, input:not([type=hidden]), textarea, .choice, .lang a, .review__head a')]
        .filter(e => e.offsetParent !== null)
        .map(e => [e.tagName + '.' + e.className + (e.name ? '[' + e.name + ']' : ''),
                   e.matches('.choice input') ? e.closest('.choice').getBoundingClientRect().height
                                              : e.getBoundingClientRect().height])
        .filter(([_, h]) => h < 43.5)"""
    try:
        page = new_context(browser).new_page()
        small = {}
        for name, current in page_tour(page, server, defn):
            found = current.evaluate(script)
            if found:
                small[name] = found[:5]
        assert small == {}
    finally:
        browser.close()
        server.stop()
