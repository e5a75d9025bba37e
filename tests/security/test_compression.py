"""Compressed HTML only where BREACH has nothing to work with (docs/operations.md).

The relatives' pages hold secrets (the resume code, the CSRF token, answers) and are sent
compressed (the 2.0.0 "how you are" page: 34 KB raw, 7 KB sent). That is safe only while an attacker cannot put
text of their choice into the same compressed page. So: every relatives' GET route is probed
for echoes of the query string and the path, on an open and on a submitted response; replies to
POSTs, anything a staff session loads, and partial content are never compressed.
"""

from __future__ import annotations

import gzip
import re

import brotli

from ..webapp.conftest import csrf
from ..webapp.staff.conftest import add_user, login
from .conftest import started

PROBE = "zqxjprobe"
BROWSER = {"Accept-Encoding": "gzip, deflate, br, zstd"}
RELATIVES = ("public", "resume", "fill", "relative_docs")
SECTION = "how_you_are"  # the longest section of the newest core assessment (2.0.0)


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


def _municipality(app) -> str:
    registry = app.config["FORM_REGISTRY"]
    return next(d.municipality.id for d in registry.all() if d.municipality)


def _relative_get_urls(app, rid: str) -> list[str]:
    values = {
        "rid": rid,
        "section_id": SECTION,
        "municipality_id": _municipality(app),
        "token": PROBE * 3,
    }
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint.split(".")[0] not in RELATIVES:
            continue
        args = {name: values.get(name, PROBE) for name in rule.arguments}
        urls.append(re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m, args=args: str(args[m.group(1)]), rule.rule))
    return urls


def _probe_all(client, urls: list[str]) -> set[int]:
    """GET every url with probes in the query and assert no body echoes them; return the statuses."""
    statuses = set()
    for url in urls:
        for query in (f"?q={PROBE}&lang={PROBE}&mer={PROBE}&copy={PROBE}", f"?{PROBE}=1"):
            resp = client.get(url + query, headers=BROWSER)
            assert PROBE not in body(resp).lower(), (url + query, resp.status_code)
            statuses.add((url, resp.status_code))
    return statuses


def test_relatives_pages_are_sent_compressed_brotli_first(real_app):
    client = real_app.test_client()
    rid = started(client)
    page = client.get(f"/svar/{rid}/del/{SECTION}", headers=BROWSER)
    assert page.headers["Content-Encoding"] == "br" and "Accept-Encoding" in page.headers["Vary"]
    text = body(page)
    assert len(page.get_data()) * 4 < len(text.encode()) and 'id="answers"' in text
    old_phone = client.get(f"/svar/{rid}/del/{SECTION}", headers={"Accept-Encoding": "gzip"})
    assert old_phone.headers["Content-Encoding"] == "gzip" and 'id="answers"' in body(old_phone)
    plain = client.get(f"/svar/{rid}/del/{SECTION}")
    assert "Content-Encoding" not in plain.headers and 'id="answers"' in plain.get_data(as_text=True)


def test_no_relatives_page_echoes_a_query_parameter_or_path(real_app):
    client = real_app.test_client()
    rid = started(client)
    urls = _relative_get_urls(real_app, rid)
    assert len(urls) >= 10, urls
    extra = [f"/svar/{rid}/del/{PROBE}", f"/{PROBE}", f"/svar/{PROBE}/start"]
    seen = _probe_all(client, urls + extra)
    rendered = {url for url, status in seen if status == 200}
    assert f"/kommune/{_municipality(real_app)}" in rendered  # a real page, not its 404
    review = client.get(f"/svar/{rid}/oppsummering").get_data(as_text=True)
    assert client.post(f"/svar/{rid}/send", data={"csrf_token": csrf(review)}).status_code == 303
    seen = _probe_all(client, urls)  # and once submitted: the receipt and the copy
    rendered = {url for url, status in seen if status == 200}
    assert {f"/svar/{rid}/kvittering", f"/svar/{rid}/kopi"} <= rendered, sorted(rendered)


def test_replies_to_posts_staff_sessions_and_ranges_are_never_compressed(real_app):
    @real_app.post("/__echo")
    def echo():  # a 200 HTML reply to a POST that shows the posted text, as an error page would
        from flask import request
        from markupsafe import escape

        return f"<!doctype html><p>{escape(request.form.get('text', ''))}</p>" + "<p>padding</p>" * 200

    real_app.config["WTF_CSRF_ENABLED"] = False
    client = real_app.test_client()
    reply = client.post("/__echo", data={"text": PROBE}, headers=BROWSER)
    assert reply.status_code == 200 and "Content-Encoding" not in reply.headers
    real_app.config["WTF_CSRF_ENABLED"] = True

    add_user(real_app, "coord@zip.no", "coordinator", _municipality(real_app))
    staff = real_app.test_client()
    assert login(staff, "coord@zip.no").status_code == 303
    for url in ("/", "/fortsett", "/staff/", "/staff/login"):
        resp = staff.get(url, headers=BROWSER)
        assert resp.status_code in (200, 303) and "Content-Encoding" not in resp.headers, url
    anonymous = real_app.test_client()
    assert anonymous.get("/staff/login", headers=BROWSER).headers.get("Content-Encoding") is None

    part = anonymous.get("/static/app.js", headers={**BROWSER, "Range": "bytes=10-99"})
    assert part.status_code == 206 and "Content-Encoding" not in part.headers and len(part.get_data()) == 90
    part.close()
    whole = anonymous.get("/static/app.js", headers=BROWSER)
    assert whole.headers["Content-Encoding"] == "br"
    whole.close()


def test_a_request_without_the_session_cookie_gets_no_page_of_a_response(real_app):
    """What a cross-site sub-request sends under SameSite=Lax: no cookie, so no page and no code."""
    owner = real_app.test_client()
    rid = started(owner)
    code = re.search(r'class="code">([A-Z0-9-]+)<', body(owner.get(f"/svar/{rid}/del/{SECTION}"))).group(1)
    stranger = real_app.test_client()
    checked = 0
    for url in _relative_get_urls(real_app, rid):
        if f"/svar/{rid}/" not in url:
            continue
        resp = stranger.get(url, headers=BROWSER)
        assert resp.status_code in (302, 303, 403, 404), (url, resp.status_code)
        assert code not in body(resp) and code.replace("-", "") not in body(resp)
        checked += 1
    assert checked >= 5
