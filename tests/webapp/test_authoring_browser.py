"""Authoring in a real browser (issue #6 part 1): a form administrator uploads a broken variant,
sees the located errors, fixes them in the text box, previews the form in the phone frame and the
summary PDF, reads the diff and publishes; then a relative's public page lists the new form.
Screenshots admin-upload-errors.png, admin-preview.png, admin-diff.png (1280×800) go to FORMENGINE_SCREENSHOTS
(docs/screenshots to regenerate them), else to a temporary folder.
Run with ``pytest -m browser``."""

from __future__ import annotations

import os
import re
import sqlite3
import tempfile
from pathlib import Path

import pytest

from .authoringkit import BROKEN_VARIANT, MUNI
from .browserkit import CHROMIUM, CHROMIUM_ARGS, Server

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian chromium at /usr/bin/chromium"),
]
ROOT = Path(__file__).resolve().parents[2]
# Screenshots go to a temporary folder unless FORMENGINE_SCREENSHOTS names one, so a test run
# never rewrites the tracked docs/screenshots (regenerate them with
# FORMENGINE_SCREENSHOTS=docs/screenshots pytest -m browser).
SHOTS = Path(os.environ.get("FORMENGINE_SCREENSHOTS") or tempfile.mkdtemp(prefix="formengine-shots-"))
PASSWORD = "correct horse battery staple"
EMAIL = "skjema@testby.kommune.no"
LOCAL_LABEL = "Vil du at Testby ringer deg?"


def prepare(db_path: Path) -> None:
    from webapp import create_app

    app = create_app({"DATABASE_URL": f"sqlite:///{db_path}", "SECRET_KEY": "browser-test-secret"})
    result = app.test_cli_runner().invoke(
        args=["create-user", EMAIL, "--role", "form_admin", "--municipality", MUNI, "--password-stdin"],
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    app.extensions["formengine_db"].engine.dispose()


def submit_text(page, text: str) -> None:
    page.fill("#text", text)
    with page.expect_navigation():
        page.click("button:has-text('Sjekk og lagre som utkast')")


def problem_under(page, line: int) -> str:
    """The message row right under source line ``line``."""
    return page.locator(f"tr#L{line} + tr.line-problem").inner_text()


def test_form_admin_uploads_fixes_previews_and_publishes(tmp_path, monkeypatch):
    from playwright.sync_api import sync_playwright

    db_path = tmp_path / "authoring.sqlite3"
    municipal = tmp_path / "municipal"
    monkeypatch.setenv("FORMENGINE_MUNICIPAL_FORMS", str(municipal))
    monkeypatch.setenv("FORMENGINE_FORMS", str(ROOT / "forms"))
    prepare(db_path)
    server = Server(db_path).start()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(
                viewport={"width": 1280, "height": 800},
                locale="nb-NO",
                extra_http_headers={"Accept-Language": "nb-NO"},
            )
            page = context.new_page()
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            _upload_and_fix(page, server)
            _preview(page, server)
            _diff_and_publish(page)
            # a refused upload answers 400 (like a section page with errors); nothing else may fail
            assert [e for e in errors if "status of 400" not in e] == [], errors
            _accessibility(browser, server)
            relative = browser.new_context(viewport={"width": 390, "height": 844}, locale="nb-NO").new_page()
            relative.goto(f"{server.url}/kommune/{MUNI}")
            assert "Kartlegging for pårørende – Testby" in relative.locator("main").inner_text()
        finally:
            browser.close()
            server.stop()
    with sqlite3.connect(db_path) as conn:
        actions = [a for (a,) in conn.execute("select action from staff_access_log order by id")]
    for wanted in ("form_upload", "form_view", "form_preview", "form_pdf_preview", "form_publish"):
        assert wanted in actions, (wanted, actions)
    assert (municipal / "published.lock").read_text().count("testby-kommune@1.0.0") == 1


def _upload_and_fix(page, server) -> None:
    page.goto(server.url + "/staff/forms/new")
    assert "/staff/login" in page.url
    page.fill("#email", EMAIL)
    page.fill("#password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(re.compile(r"/staff/forms/new$"))
    submit_text(page, BROKEN_VARIANT)
    assert "FE303" in problem_under(page, 25) and "suport_contact_person" in problem_under(page, 25)
    assert "FE104" in problem_under(page, 28)  # every problem in one round, not one at a time
    assert page.locator("tr#L25").get_attribute("class") == "line--error"
    link = page.locator(".problems a").first
    assert link.inner_text().startswith("linje 25")
    link.click()  # jumps to the message under the line
    assert page.evaluate("location.hash") == "#problem-1"
    # the screenshot shows the list and the marked line: the list at the top, the source scrolled to the end
    page.locator(".source-wrap").evaluate("w => { w.scrollTop = w.scrollHeight; }")
    page.locator(".error-summary").evaluate(
        "e => window.scrollTo(0, e.getBoundingClientRect().top + scrollY - 16)"
    )
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "admin-upload-errors.png"))
    text = page.input_value("#text")
    assert "suport_contact_person" in text  # what she uploaded is in the box, ready to correct
    submit_text(page, text.replace("suport_contact_person", "support_contact_person"))
    assert "FE104" in problem_under(page, 28) and "yes_or_no" in problem_under(page, 28)
    submit_text(page, page.input_value("#text").replace("type: yes_or_no", "type: yes_no"))
    page.wait_for_url(re.compile(r"/staff/forms/testby-kommune/1\.0\.0\?saved=1$"))
    assert "Lagret som utkast" in page.locator(".ok-box").inner_text()


def _preview(page, server) -> None:
    from playwright.sync_api import expect

    frame = page.frame_locator("iframe.phone")
    assert "FORHÅNDSVISNING" in frame.locator(".preview-banner").inner_text()
    for _ in range(20):  # next page, until the page with the local question
        if frame.get_by_text(LOCAL_LABEL).count():
            break
        progress = frame.locator(".progress").inner_text()
        frame.locator(".preview-banner a[rel=next]").click()
        expect(frame.locator(".progress")).not_to_have_text(progress)  # the next page, not the old one
    assert frame.get_by_text(LOCAL_LABEL).is_visible()
    assert frame.locator("h1").inner_text()  # the relative's real section page
    frame.get_by_text(LOCAL_LABEL).scroll_into_view_if_needed()
    assert frame.locator(".preview-banner").is_visible()  # sticky: the banner stays in view
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(SHOTS / "admin-preview.png"))
    href = page.locator("a:has-text('Sammendrag med eksempelsvar (PDF)')").get_attribute("href")
    pdf = page.request.get(server.url + href)
    assert (
        pdf.status == 200 and pdf.headers["content-type"] == "application/pdf" and pdf.body()[:4] == b"%PDF"
    )


def _diff_and_publish(page) -> None:
    diff = page.locator("table.diff")
    assert "local_callback" in diff.inner_text() and "spørsmål lagt til" in diff.inner_text()
    assert "parorende-kartlegging@1.1.0" in page.locator("section[aria-labelledby=diff-title]").inner_text()
    page.check("#confirm")
    with page.expect_navigation():
        page.click("button:has-text('Publiser denne versjonen')")
    assert "Publisert" in page.locator(".ok-box").inner_text()
    assert page.locator("#confirm").count() == 0  # published: nothing to publish or delete any more
    # the next version: "create a new version" prefills the text; a too low number is warned about
    with page.expect_navigation():
        page.click("a:has-text('Lag en ny versjon')")
    text = page.input_value("#text")
    assert "version: 1.1.0" in text and "status: draft" in text
    text = text.replace("version: 1.1.0", "version: 1.0.1").replace("Testby ringer deg?", "vi ringer deg?")
    text = text.replace(
        "      - id: local_callback",
        "      - id: local_visit\n        type: yes_no\n"
        "        label: {nb: Vil du ha et hjemmebesøk?, nn: Vil du ha eit heimebesøk?, en: Would you like a home visit?}\n"
        "      - id: local_callback",
    )
    submit_text(page, text)
    page.wait_for_url(re.compile(r"/staff/forms/testby-kommune/1\.0\.1\?saved=1"))
    assert "Versjonsnummeret er for lavt" in page.locator(".warning[role=alert]").inner_text()
    assert "1.1.0" in page.locator(".warning[role=alert]").inner_text()
    page.evaluate("document.getElementById('diff-title').scrollIntoView(); window.scrollBy(0, -24)")
    page.screenshot(path=str(SHOTS / "admin-diff.png"))


def _accessibility(browser, server) -> None:
    """axe-core (WCAG 2.1 A/AA) on every authoring page type, when axe-core is installed (see test_axe.py)."""
    from .test_axe import AXE_DIR, violations

    script = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
    if not script.exists():
        return
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="nb-NO", bypass_csp=True)
    page = context.new_page()
    page.goto(server.url + "/staff/login")
    page.fill("#email", EMAIL)
    page.fill("#password", PASSWORD)
    page.click("form button[type=submit]")
    found = {}
    for name, path in (
        ("list", "/staff/forms"),
        ("new", "/staff/forms/new"),
        ("version", "/staff/forms/testby-kommune/1.0.0"),
        ("preview", "/staff/forms/testby-kommune/1.0.0/preview/support"),
    ):
        page.goto(server.url + path)
        found[name] = violations(page, script)
    page.goto(server.url + "/staff/forms/new")
    submit_text(page, BROKEN_VARIANT)
    found["errors"] = violations(page, script)
    context.close()
    assert not any(found.values()), found
