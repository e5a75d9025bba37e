"""Safe authoring in a real browser (1280×800): the editor's line numbers and "go to line", a
placeholder file and a too-low version number refused at publishing, the preview's page list,
retiring a published version, and an answer given in the retired version still opening and
printing. Screenshots admin-*.png go to FORMENGINE_SCREENSHOTS, else to a temporary folder.
Run with ``pytest -m browser``."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import pytest

from .authoringkit import BROKEN_VARIANT, GOOD_VARIANT, MUNI
from .browserkit import CHROMIUM, CHROMIUM_ARGS, Server
from .test_authoring_safe import ADDED_ITEM, WITH_TODO

pytestmark = [pytest.mark.browser]
ROOT = Path(__file__).resolve().parents[2]
SHOTS = Path(os.environ.get("FORMENGINE_SCREENSHOTS") or tempfile.mkdtemp(prefix="formengine-shots-"))
PASSWORD = "correct horse battery staple"
AUTHOR, COORD = "skjema@testby.kommune.no", "koordinator@testby.kommune.no"


def make(db_path: Path):
    from webapp import create_app

    return create_app({"DATABASE_URL": f"sqlite:///{db_path}", "SECRET_KEY": "browser-test-secret"})


def prepare(db_path: Path) -> None:
    app = make(db_path)
    for email, role in ((AUTHOR, "form_admin"), (COORD, "coordinator")):
        result = app.test_cli_runner().invoke(
            args=["create-user", email, "--role", role, "--municipality", MUNI, "--password-stdin"],
            input=PASSWORD + "\n",
        )
        assert result.exit_code == 0, result.output
    app.extensions["formengine_db"].engine.dispose()


def answer_in(db_path: Path, form_id: str, version: str) -> str:
    """A relative's submitted answers in this version (as if given before it was retired)."""
    from formengine.answers.samples import sample_answers
    from webapp import db, forms_access, responses
    from webapp.db import Response, utcnow

    app = make(db_path)
    with app.app_context():
        defn = forms_access.registry().get(form_id, version)
        rid = responses.create_response(
            defn, origin="invite", municipality=MUNI, case_ref="2026/900"
        ).response.id
        with db.session() as s:
            r = s.get(Response, rid)
            r.answers, r.status, r.consent_at, r.submitted_at = (
                sample_answers(defn, 1),
                "submitted",
                utcnow(),
                utcnow(),
            )
            s.commit()
    app.extensions["formengine_db"].engine.dispose()
    return rid


def log_in(page, server, email: str, path: str) -> None:
    page.goto(server.url + path)
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(re.compile(re.escape(path) + "$"))


def submit_text(page, text: str) -> None:
    page.fill("#text", text)
    with page.expect_navigation():
        page.click("button:has-text('Sjekk og lagre som utkast')")


def publish(page) -> None:
    page.check("#confirm")
    with page.expect_navigation():
        page.click("button:has-text('Publiser denne versjonen')")


def test_refusals_retire_editor_and_preview(tmp_path, monkeypatch):
    from playwright.sync_api import sync_playwright

    db_path = tmp_path / "safe.sqlite3"
    monkeypatch.setenv("FORMENGINE_MUNICIPAL_FORMS", str(tmp_path / "municipal"))
    monkeypatch.setenv("FORMENGINE_FORMS", str(ROOT / "forms"))
    prepare(db_path)
    server = Server(db_path).start()
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(
                viewport={"width": 1280, "height": 800},
                locale="nb-NO",
                extra_http_headers={"Accept-Language": "nb-NO"},
            ).new_page()
            log_in(page, server, AUTHOR, "/staff/forms/new")
            # the editor: line numbers, and a problem's link puts the cursor on its line
            submit_text(page, BROKEN_VARIANT)
            assert page.locator("#editor-gutter").inner_text().split()[:3] == ["1", "2", "3"]
            page.click("a.jump[data-line='25']")
            assert page.evaluate("document.activeElement.id") == "text"
            start = page.evaluate("document.getElementById('text').selectionStart")
            assert page.evaluate("document.getElementById('text').value").count("\n", 0, start) == 24
            assert "suport_contact_person" in page.evaluate(
                "(() => { const t = document.getElementById('text'); return t.value.slice(t.selectionStart, t.selectionEnd); })()"
            )
            page.screenshot(path=str(SHOTS / "admin-editor-jump.png"))
            # placeholders left from the template: refused at publishing
            submit_text(page, WITH_TODO)
            page.wait_for_url(re.compile(r"/testby-kommune/1\.0\.0\?saved=1$"))
            publish(page)
            summary = page.locator(".error-summary").inner_text()
            assert "plassholdere fra malen (TODO)" in summary and "# TODO" in summary
            page.locator(".error-summary").screenshot(path=str(SHOTS / "admin-publish-refused-todo.png"))
            with page.expect_navigation():
                page.click("button:has-text('Slett dette utkastet')")
            page.goto(server.url + "/staff/forms/new")
            submit_text(page, GOOD_VARIANT)
            publish(page)
            assert "Publisert" in page.locator(".ok-box").inner_text()
            # the preview can jump to any page
            page.goto(server.url + "/staff/forms/testby-kommune/1.0.0/preview")
            page.click(".preview-pages summary")
            links = page.locator(".preview-pages a")
            assert links.count() >= 5
            target = links.nth(4)
            title = target.inner_text()
            with page.expect_navigation():
                target.click()
            assert page.locator(".preview-pages a[aria-current=page]").text_content() == title
            assert "Del 5 av" in page.locator("main").inner_text()
            # a version number too low for the changes: refused at publishing, no override
            page.goto(server.url + "/staff/forms/new")
            submit_text(page, ADDED_ITEM)
            page.wait_for_url(re.compile(r"/testby-kommune/1\.0\.1\?saved=1$"))
            publish(page)
            summary = page.locator(".error-summary").inner_text()
            assert "Versjonsnummeret er for lavt" in summary and "minst 1.1.0" in summary
            page.locator(".error-summary").screenshot(path=str(SHOTS / "admin-publish-refused-low.png"))
            # retire the published version; an answer given in it still opens and prints
            rid = answer_in(db_path, "testby-kommune", "1.0.0")
            page.goto(server.url + "/staff/forms/testby-kommune/1.0.0")
            page.check("#confirm-retire")
            with page.expect_navigation():
                page.click("button:has-text('Trekk tilbake denne versjonen')")
            assert "Trukket tilbake" in page.locator(".ok-box").inner_text()
            page.screenshot(path=str(SHOTS / "admin-retired.png"))
            relative = browser.new_context(viewport={"width": 390, "height": 844}, locale="nb-NO").new_page()
            relative.goto(f"{server.url}/kommune/{MUNI}")
            assert "Testby" not in relative.locator("main").inner_text()  # no longer offered
            coord = browser.new_context(viewport={"width": 1280, "height": 800}, locale="nb-NO").new_page()
            log_in(coord, server, COORD, f"/staff/a/{rid}")
            assert "2026/900" in coord.locator("h1").inner_text()
            pdf = coord.request.get(f"{server.url}/staff/a/{rid}/sammendrag.pdf")
            assert pdf.status == 200 and pdf.body()[:4] == b"%PDF"
        finally:
            browser.close()
            server.stop()
