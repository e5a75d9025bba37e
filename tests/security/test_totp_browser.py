# ruff: noqa: F811  (the axe_script fixture is imported from test_axe)
"""The two-step login journey in a real browser at 390×844: enrolment with the QR code, the
recovery codes, a wrong code, login with a code, login with a recovery code; axe-core finds no
WCAG 2.1 A/AA violations on any of these pages."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import pyotp
import pytest

from ..webapp.browserkit import CHROMIUM, Server, launch, new_context
from ..webapp.test_axe import axe_script, violations  # noqa: F401  (fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian chromium at /usr/bin/chromium"),
]
SHOTS = Path(os.environ.get("FORMENGINE_SCREENSHOTS") or tempfile.mkdtemp(prefix="formengine-totp-"))
PASSWORD = "correct horse battery staple"
EMAIL = "koordinator@eksempel.no"
ADMIN = "admin@eksempel.no"


@pytest.fixture(scope="module")
def playwright():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


def _prepare(db_path: Path) -> None:
    from webapp import create_app

    app = create_app({"DATABASE_URL": f"sqlite:///{db_path}", "SECRET_KEY": "browser-test-secret"})
    for email, role in ((EMAIL, "coordinator"), (ADMIN, "municipality_admin")):
        result = app.test_cli_runner().invoke(
            args=["create-user", email, "--role", role, "--municipality", "0301", "--password-stdin"],
            input=PASSWORD + "\n",
        )
        assert result.exit_code == 0, result.output
    app.extensions["formengine_db"].engine.dispose()


def _checked(page, script, name: str, found: dict) -> None:
    page.screenshot(path=str(SHOTS / f"totp-{name}.png"), full_page=True)
    found[name] = violations(page, script)


def _password(page, server, email: str = EMAIL) -> None:
    page.goto(server.url + "/staff/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("form button[type=submit]")


def test_enrol_and_log_in_with_two_steps_at_390x844(playwright, axe_script, tmp_path, monkeypatch):
    monkeypatch.setenv("FORMENGINE_ALLOW_PASSWORD_ONLY", "0")
    _prepare(tmp_path / "totp.sqlite3")
    server = Server(tmp_path / "totp.sqlite3").start()
    browser = launch(playwright)
    found: dict[str, list[str]] = {}
    try:
        page = new_context(browser, bypass_csp=True).new_page()
        _password(page, server)
        assert page.url.endswith("/staff/tofaktor/ny")
        assert page.locator(".qr svg").count() == 1
        _checked(page, axe_script, "enrol", found)
        secret = page.inner_text("#totp-secret").replace(" ", "")
        page.fill("#code", "000000")
        page.click("form button[type=submit]")
        assert page.locator(".error-summary").count() == 1
        _checked(page, axe_script, "enrol-error", found)
        page.fill("#code", pyotp.TOTP(secret).now())
        page.click("form button[type=submit]")
        codes = page.locator(".recovery-codes code").all_inner_texts()
        assert len(codes) == 10
        _checked(page, axe_script, "recovery-codes", found)
        page.click("text=continue") if page.locator("text=continue").count() else page.click("a.button")
        assert page.url.endswith("/staff/")
        page.goto(server.url + "/staff/konto")
        _checked(page, axe_script, "account", found)
        page.click("nav.staff-nav button")  # log out

        _password(page, server)
        assert page.url.endswith("/staff/login/kode")
        _checked(page, axe_script, "code", found)
        page.fill("#code", "111111")
        page.click("form button[type=submit]")
        _checked(page, axe_script, "code-error", found)
        page.fill("#code", pyotp.TOTP(secret).at(time.time() + 30))  # the next step: never used before
        page.click("form button[type=submit]")
        assert page.url.endswith("/staff/")
        page.click("nav.staff-nav button")

        _password(page, server)
        page.fill("#code", codes[0])
        page.click("form button[type=submit]")
        assert page.url.endswith("/staff/"), "a recovery code logs in"
        page.click("nav.staff-nav button")

        # the municipality administrator enrols too, and sees the users with their sessions
        _password(page, server, ADMIN)
        page.fill("#code", pyotp.TOTP(page.inner_text("#totp-secret").replace(" ", "")).now())
        page.click("form button[type=submit]")
        page.click("a.button")
        page.goto(server.url + "/staff/brukere")
        assert EMAIL in page.content()
        _checked(page, axe_script, "users", found)
    finally:
        browser.close()
        server.stop()
    print(f"\nscreenshots in {SHOTS}")
    assert all(not v for v in found.values()), found
