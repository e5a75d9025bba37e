"""Compressed HTML only where BREACH has nothing to work with.

The relatives' pages are sent compressed (a task page: 68 KB raw, 8 KB sent). That is safe only
while (1) none of them echoes request input an attacker could choose, and (2) they need the
session cookie, which cross-site sub-requests do not carry. Both are checked here on every
GET route of the relatives' side, with a probe in the query string and in the path. Staff
pages echo a search query and are sent uncompressed.
"""
from __future__ import annotations

import gzip
import re

import brotli
import pytest

from webapp import create_app

from ..webapp.conftest import csrf

PROBE = "zqxjprobe"
BROWSER = {"Accept-Encoding": "gzip, deflate, br"}
RELATIVES = ("public", "resume", "fill", "relative_docs")


@pytest.fixture
def real_app(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "zip", "ACCESS_LOG": False,
                      "DATABASE_URL": f"sqlite:///{tmp_path / 'zip.sqlite3'}"})
    yield app
    app.extensions["formengine_db"].engine.dispose()


def _started(client) -> str:
    page = client.get("/").get_data(as_text=True)
    consent = client.post("/start/parorende-kartlegging", data={"csrf_token": csrf(page)}).headers["Location"]
    client.post(consent, data={"csrf_token": csrf(client.get(consent).get_data(as_text=True))})
    return consent.split("/")[2]


def body(resp) -> str:
    data = resp.get_data()
    encoding = resp.headers.get("Content-Encoding")
    if encoding == "br":
        data = brotli.decompress(data)
    elif encoding == "gzip":
        data = gzip.decompress(data)
    else:
        assert encoding is None, encoding
    return data.decode("utf-8", "replace")


def _relative_get_urls(app, rid: str) -> list[str]:
    values = {"rid": rid, "section_id": "care_tasks", "municipality_id": "0301", "token": PROBE * 3}
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint.split(".")[0] not in RELATIVES:
            continue
        args = {name: values.get(name, PROBE) for name in rule.arguments}
        urls.append(re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m: str(args[m.group(1)]), rule.rule))
    return urls


def test_relatives_pages_are_sent_compressed_and_staff_pages_are_not(real_app):
    client = real_app.test_client()
    rid = _started(client)
    page = client.get(f"/svar/{rid}/del/care_tasks", headers=BROWSER)
    assert page.headers["Content-Encoding"] == "br" and "Accept-Encoding" in page.headers["Vary"]
    text = body(page)
    assert len(page.get_data()) * 4 < len(text.encode()) and 'id="answers"' in text
    old_phone = client.get(f"/svar/{rid}/del/care_tasks", headers={"Accept-Encoding": "gzip"})
    assert old_phone.headers["Content-Encoding"] == "gzip" and 'id="answers"' in body(old_phone)
    plain = client.get(f"/svar/{rid}/del/care_tasks")
    assert "Content-Encoding" not in plain.headers and 'id="answers"' in plain.get_data(as_text=True)
    staff = client.get("/staff/login", headers=BROWSER)
    assert staff.status_code == 200 and "Content-Encoding" not in staff.headers


def test_no_relatives_page_echoes_a_query_parameter_or_path(real_app):
    client = real_app.test_client()
    rid = _started(client)
    urls = _relative_get_urls(real_app, rid)
    assert len(urls) >= 10, urls
    for url in urls + [f"/svar/{rid}/del/{PROBE}", f"/{PROBE}", f"/svar/{PROBE}/start"]:
        for query in (f"?q={PROBE}&lang={PROBE}&mer={PROBE}&copy={PROBE}", f"?{PROBE}=1"):
            resp = client.get(url + query, headers=BROWSER)
            text = body(resp)
            assert PROBE not in text.lower(), (url + query, resp.status_code)
            assert PROBE not in resp.headers.get("Location", "").lower().split("?", 1)[0] or \
                resp.headers["Location"].startswith(f"/svar/{PROBE}"), url


def test_a_request_without_the_session_cookie_gets_no_page_of_a_response(real_app):
    """What a cross-site sub-request sends under SameSite=Lax: no cookie, so no secret to compress."""
    owner = real_app.test_client()
    rid = _started(owner)
    code = re.search(r'class="code">([A-Z0-9-]+)<', body(owner.get(f"/svar/{rid}/del/care_tasks"))).group(1)
    stranger = real_app.test_client()
    for url in _relative_get_urls(real_app, rid):
        if f"/svar/{rid}/" not in url:
            continue
        resp = stranger.get(url, headers=BROWSER)
        assert resp.status_code in (302, 303, 403, 404), (url, resp.status_code)
        assert code not in body(resp) and code.replace("-", "") not in body(resp)
    assert real_app.config["SESSION_COOKIE_SAMESITE"] in ("Lax", "Strict")
