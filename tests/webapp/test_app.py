"""App factory, settings, security headers, error pages, i18n plumbing."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest

from webapp import create_app
from webapp.markup import render_markup
from webapp.settings import SETTINGS, load_settings

from .formfixtures import sample_registry

ROOT = Path(__file__).resolve().parents[2]


def test_every_setting_is_documented():
    docs = "".join(
        p.read_text(encoding="utf-8")
        for p in [ROOT / "webapp" / "README.md", *ROOT.glob("README.md"), *ROOT.glob("docs/*.md")]
    )
    missing = [s.env for s in SETTINGS if s.env not in docs]
    assert not missing


def test_every_setting_has_help_and_unique_name():
    assert len({s.name for s in SETTINGS}) == len(SETTINGS)
    assert all(len(s.help) > 20 for s in SETTINGS)


def test_settings_precedence(tmp_path):
    (tmp_path / "config.py").write_text("CODE_MAX_ATTEMPTS = 7\nBASE_URL = 'https://a'\n")
    config: dict = {}
    load_settings(config, str(tmp_path), {"FORMENGINE_CODE_MAX_ATTEMPTS": "9", "FORMENGINE_HTTPS": "yes"})
    assert config["CODE_MAX_ATTEMPTS"] == 9
    assert config["BASE_URL"] == "https://a"
    assert config["HTTPS"] is True
    assert config["CODE_WINDOW_MINUTES"] == 15


def test_dev_secret_key_is_generated_into_instance(tmp_path, monkeypatch):
    monkeypatch.delenv("FORMENGINE_SECRET_KEY", raising=False)
    cfg = {"DATABASE_URL": f"sqlite:///{tmp_path / 'a.db'}", "FORM_REGISTRY": sample_registry()}
    app = create_app(cfg)
    key = Path(app.instance_path, "secret_key")
    assert app.config["SECRET_KEY"] == key.read_text().strip()
    assert create_app(cfg).config["SECRET_KEY"] == app.config["SECRET_KEY"]


def test_database_is_migrated_on_start(app):
    from sqlalchemy import inspect

    engine = app.extensions["formengine_db"].engine
    names = set(inspect(engine).get_table_names())
    assert {"responses", "code_attempts", "alembic_version"} <= names


def test_security_headers(client):
    resp = client.get("/")
    csp = resp.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Referrer-Policy"] == "no-referrer"
    assert "Strict-Transport-Security" not in resp.headers


def test_https_settings_give_hsts_and_secure_cookies(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "HTTPS": True,
            "FORM_REGISTRY": sample_registry(),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'a.db'}",
        }
    )
    client = app.test_client()
    resp = client.get("/?lang=en")
    assert "Strict-Transport-Security" in resp.headers
    cookie = resp.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_no_inline_script_and_the_one_inline_stylesheet_is_allowed_by_its_hash(client, started):
    import base64
    import hashlib

    for url in ("/", f"/svar/{started}/del/relation", "/fortsett", "/nope"):
        response = client.get(url)
        page = response.get_data(as_text=True)
        csp = response.headers["Content-Security-Policy"]
        assert " style=" not in page and "unsafe-inline" not in csp
        assert not re.search(r"<script(?![^>]*\bsrc=)", page)
        styles = re.findall(r"<style>(.*?)</style>", page, re.S)
        assert len(styles) == 1
        digest = base64.b64encode(hashlib.sha256(styles[0].encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp


@pytest.mark.parametrize(
    "lang,title",
    [("nb", "Vi fant ikke siden"), ("nn", "Vi fann ikkje sida"), ("en", "We could not find the page")],
)
def test_404_in_the_users_language(client, lang, title):
    resp = client.get("/finnes-ikke", headers={"Accept-Language": lang})
    assert resp.status_code == 404
    page = resp.get_data(as_text=True)
    assert title in page and f'<html lang="{lang}">' in page


def test_500_never_shows_a_stack_trace(app, client, caplog):
    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internals")

    with caplog.at_level(logging.ERROR):
        resp = client.get("/boom")
    assert resp.status_code == 500
    page = resp.get_data(as_text=True)
    assert "secret internals" not in page and "Traceback" not in page
    assert "Noe gikk galt hos oss" in page


def test_csrf_failure_is_a_friendly_page(client):
    resp = client.post("/start/testskjema", data={})
    assert resp.status_code == 400
    assert "Siden var utløpt" in resp.get_data(as_text=True)


def test_403_for_someone_elses_response(client, started, app):
    other = app.test_client()
    resp = other.get(f"/svar/{started}/del/relation")
    assert resp.status_code == 403
    assert "Du har ikke tilgang" in resp.get_data(as_text=True)


def test_accept_language_and_switch(client):
    assert '<html lang="en">' in client.get("/", headers={"Accept-Language": "en-GB,en;q=0.8"}).get_data(
        as_text=True
    )
    assert '<html lang="nb">' in client.get("/", headers={"Accept-Language": "no"}).get_data(as_text=True)
    resp = client.get("/?lang=nn")
    assert resp.status_code == 303 and resp.headers["Location"] == "/"
    assert '<html lang="nn">' in client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)


def test_access_log_has_no_tokens_or_answers(tmp_path, caplog):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "FORM_REGISTRY": sample_registry(),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'a.db'}",
            "ACCESS_LOG": True,
        }
    )
    with caplog.at_level(logging.INFO, logger="webapp.access"):
        app.test_client().get("/r/SECRET-TOKEN-123")
        app.test_client().get("/")
    lines = [r.getMessage() for r in caplog.records if r.name == "webapp.access"]
    assert len(lines) == 2
    assert all("SECRET-TOKEN" not in line for line in lines)
    assert "GET /r/<token> 404" in lines[0]


@pytest.mark.parametrize(
    "source,expected",
    [
        ("**fet** og *kursiv*", "<strong>fet</strong> og <em>kursiv</em>"),
        (
            "[Helsenorge](https://www.helsenorge.no)",
            '<a href="https://www.helsenorge.no" rel="noopener noreferrer">Helsenorge</a>',
        ),
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("[x](javascript:alert(1))", "[x](javascript:alert(1))"),
        ("2 * 3 * 4", "2 * 3 * 4"),
    ],
)
def test_markup_is_converted_then_sanitised(source, expected):
    assert str(render_markup(source)) == expected


def test_markup_cannot_break_out_of_an_attribute():
    html = str(render_markup('[x](https://a.no" onmouseover="alert(1))'))
    assert "<a" not in html  # the quote ends the URL match: no link, just text


def test_public_pages(client):
    page = client.get("/").get_data(as_text=True)
    assert "/start/testskjema" in page and "/start/testkommune-skjema" not in page
    page = client.get("/kommune/0301").get_data(as_text=True)
    assert "/start/testkommune-skjema" in page
    assert client.get("/kommune/9999").status_code == 404


def test_javascript_budget():
    script = ROOT / "webapp" / "static" / "app.js"
    assert script.stat().st_size <= 10 * 1024


def test_front_page_offers_continue_with_a_code_once(client):
    """The front page has its own "Have you already started?" block; the footer does not repeat it."""
    client.get("/?lang=en")
    page = client.get("/").get_data(as_text=True)
    assert page.count("Continue with a code") == 1
    other = client.get("/fortsett").get_data(as_text=True)
    assert "Continue with a code" in other
