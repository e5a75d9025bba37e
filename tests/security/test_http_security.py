"""CSRF on every POST route, code-guessing lock-out, and security headers on every response."""

from __future__ import annotations

import re

from ..webapp.conftest import csrf
from .conftest import started


def _post_urls(app, rid: str) -> list[str]:
    values = {
        "rid": rid,
        "section_id": "about_you",
        "form_id": "parorende-kartlegging",
        "token": "x" * 32,
        "municipality_id": "0301",
    }
    urls = []
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods:
            continue
        args = {name: values.get(name, "x") for name in rule.arguments}
        urls.append(re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m, args=args: str(args[m.group(1)]), rule.rule))
    return urls


def test_every_post_route_refuses_a_request_without_csrf_token(real_app):
    client = real_app.test_client()
    rid = started(client)
    urls = _post_urls(real_app, rid)
    assert len(urls) >= 5, urls
    for url in urls:
        for data in ({}, {"csrf_token": "forged"}, {"csrf_token": ""}):
            resp = client.post(url, data={**data, "_nav": "next", "code": "ABCD-EFGH"})
            assert resp.status_code == 400, (url, data, resp.status_code)
    # and nothing was stored by those posts
    from webapp import responses

    with real_app.app_context():
        assert responses.get(rid).revision == 0


def test_a_token_from_another_session_is_refused(real_app):
    one, two = real_app.test_client(), real_app.test_client()
    rid = started(one)
    foreign = csrf(two.get("/").get_data(as_text=True))
    resp = one.post(f"/svar/{rid}/del/about_you", data={"csrf_token": foreign, "_nav": "next"})
    assert resp.status_code == 400


def test_guessing_codes_is_locked_out_even_with_forged_forwarded_for(real_app):
    client = real_app.test_client()
    rid = started(client)
    from webapp.db import Response

    with real_app.app_context():
        from webapp import db

        with db.session() as s:
            right = s.get(Response, rid).code
    guesser = real_app.test_client()
    attempts = real_app.config["CODE_MAX_ATTEMPTS"]
    statuses = []
    for n in range(attempts + 3):
        page = guesser.get("/fortsett").get_data(as_text=True)
        statuses.append(
            guesser.post(
                "/fortsett",
                data={"csrf_token": csrf(page), "code": "AAAA-AAAA"},
                headers={"X-Forwarded-For": f"10.0.0.{n}"},
            ).status_code
        )
    assert 429 in statuses and statuses[-1] == 429, statuses
    page = guesser.get("/fortsett").get_data(as_text=True)
    resp = guesser.post("/fortsett", data={"csrf_token": csrf(page), "code": right})
    assert resp.status_code == 429, "the right code must not work from a locked-out address"
    # a new browser session from the same address is locked out too
    fresh = real_app.test_client()
    page = fresh.get("/fortsett").get_data(as_text=True)
    assert fresh.post("/fortsett", data={"csrf_token": csrf(page), "code": right}).status_code == 429


def test_guessing_from_many_addresses_closes_the_code_door_for_everyone(real_app, caplog):
    """Spread over many addresses, each under its own limit: the global limit stops it, and logs once."""
    real_app.config["CODE_GLOBAL_MAX_FAILURES"] = 6
    owner = real_app.test_client()
    rid = started(owner)
    from webapp import db, responses
    from webapp.db import CodeAttempt, Response
    from webapp.lockout import LockoutCounter

    with real_app.app_context(), db.session() as s:
        right = s.get(Response, rid).code
    with real_app.test_request_context():
        link = responses.create_response(
            real_app.config["FORM_REGISTRY"].latest_active("parorende-kartlegging"), with_token=True
        ).token

    def attempt(address: str, code: str):
        client = real_app.test_client()
        page = client.get("/fortsett").get_data(as_text=True)
        return client.post(
            "/fortsett", data={"csrf_token": csrf(page), "code": code}, environ_base={"REMOTE_ADDR": address}
        )

    assert attempt("10.1.0.1", right).status_code == 303  # the door is open for a right code
    with caplog.at_level("WARNING", logger="webapp.security"):
        # 3 addresses x 2 wrong codes, each far under its own limit of 5; the 6th closes the door
        statuses = [attempt(f"10.2.0.{n % 3}", "AAAA-AAAA").status_code for n in range(6)]
        closed = attempt("10.3.0.1", right)  # a new address, with the right code
        again = attempt("10.3.0.2", "AAAA-AAAA")
    assert statuses == [400] * 5 + [429], statuses
    assert closed.status_code == 429 and again.status_code == 429
    assert "Fortsette med kode er satt på pause" in closed.get_data(as_text=True)
    alarms = [r for r in caplog.records if "many addresses" in r.getMessage()]
    assert len(alarms) == 1, "one alarm when the door closes, not one per refused try"
    assert real_app.test_client().get(f"/r/{link}").status_code == 303  # links still work
    with real_app.app_context(), db.session() as s:  # the window passes
        for row in s.query(CodeAttempt).all():
            row.created_at = row.created_at.replace(year=row.created_at.year - 1)
        for counter in s.query(LockoutCounter).all():
            counter.window_start = counter.window_start.replace(year=counter.window_start.year - 1)
        s.commit()
    assert attempt("10.3.0.1", right).status_code == 303
    real_app.config["CODE_GLOBAL_MAX_FAILURES"] = 0  # switched off: only the per-address limit
    assert [attempt(f"10.4.0.{n}", "AAAA-AAAA").status_code for n in range(8)] == [400] * 8


def _headers_ok(resp, where: str) -> None:
    h = resp.headers
    csp = h.get("Content-Security-Policy", "")
    directives = dict((d.strip().split(" ", 1) + [""])[:2] for d in csp.split(";") if d.strip())
    scripts = directives.get("script-src", directives.get("default-src", ""))
    assert scripts and "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts, (where, csp)
    assert "frame-ancestors" in directives, (where, csp)
    assert h.get("X-Content-Type-Options") == "nosniff", where
    assert h.get("Referrer-Policy"), where


def test_security_headers_on_every_kind_of_response(real_app):
    real_app.config["PROPAGATE_EXCEPTIONS"] = False

    @real_app.get("/__boom")
    def boom():
        raise RuntimeError("boom")

    client = real_app.test_client()
    rid = started(client)
    cases = {
        "front": client.get("/"),
        "section": client.get(f"/svar/{rid}/del/about_you"),
        "review": client.get(f"/svar/{rid}/oppsummering"),
        "redirect": client.get(f"/svar/{rid}/start"),
        "static css": client.get("/static/app.css"),
        "static js": client.get("/static/app.js"),
        "missing static": client.get("/static/nope.js"),
        "404": client.get("/nope"),
        "403": real_app.test_client().get(f"/svar/{rid}/oppsummering"),
        "405": client.put("/"),
        "400 csrf": client.post("/fortsett", data={}),
        "413": client.post("/fortsett", data={"code": "x" * 300_000}),
        "500": client.get("/__boom"),
    }
    for where, resp in cases.items():
        _headers_ok(resp, f"{where} ({resp.status_code})")
        assert "Traceback" not in resp.get_data(as_text=True), where
    for resp in cases.values():
        resp.close()  # static files are streamed from open files
    assert cases["500"].status_code == 500 and cases["413"].status_code == 413
