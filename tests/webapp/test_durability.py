"""SIGKILL the server mid-form, start it again, resume with the code: no saved answer is lost."""

from __future__ import annotations

import html
import http.cookiejar
import importlib.util
import json
import re
import sqlite3
import urllib.parse
import urllib.request

from .browserkit import ROOT, Server


class Browser:
    """A tiny cookie-keeping HTTP client (no JavaScript, like the simplest phone browser)."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        self.url = ""

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=60) as resp:
            self.url = resp.geturl()
            return resp.read().decode("utf-8")

    def post(self, path: str, fields: dict) -> str:
        data = urllib.parse.urlencode(fields, doseq=True).encode()
        with self.opener.open(self.base + path, data=data, timeout=60) as resp:
            self.url = resp.geturl()
            return resp.read().decode("utf-8")


def field(page: str, name: str) -> str:
    return html.unescape(re.search(rf'name="{name}"[^>]*value="([^"]*)"', page).group(1))


def csrf(page: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def post_section(client: Browser, path: str, answers: dict) -> str:
    page = client.get(path)
    fields = {
        "csrf_token": csrf(page),
        "_base": field(page, "_base"),
        "_shown": field(page, "_shown"),
        "_nav": "next",
    }
    fields.update(answers)
    return client.post(path, fields)


def planned_answers(sections: int) -> dict[str, dict]:
    """Answers for the first few sections of the national assessment, whatever its content."""
    import formengine
    from formengine.render.wtforms_builder import CHOICE_TYPES, options_for

    defn = formengine.load_registry(ROOT / "forms").latest_active("parorende-kartlegging")
    plan: dict[str, dict] = {}
    for section in defn.sections[:sections]:
        answers: dict = {}
        for item in section.items:
            if item.show_if is not None:
                continue
            if item.type in CHOICE_TYPES:
                answers[item.id] = options_for(item)[-1].value
            elif item.type == "multi_choice":
                answers[item.id] = [o.value for o in item.options[:2]]
            elif item.type in ("text", "long_text"):
                answers[item.id] = f"Varig svar {item.id}"
        plan[section.id] = answers
    return plan


def test_sigkill_mid_form_loses_no_saved_answer(tmp_path):
    db = tmp_path / "durable.sqlite3"
    server = Server(db).start()
    try:
        client = Browser(server.url)
        page = client.get("/")
        page = client.post("/start/parorende-kartlegging", {"csrf_token": csrf(page)})
        code = re.search(r"[A-Z0-9]{4}-[A-Z0-9]{4}", page).group(0)
        rid = client.url.split("/")[-2]
        client.post(f"/svar/{rid}/om", {"csrf_token": csrf(page)})
        saved = planned_answers(sections=3)
        for section, answers in saved.items():
            post_section(client, f"/svar/{rid}/del/{section}", answers)
        server.kill()  # no shutdown, no flush: the process just dies
        assert server.proc.returncode == -9
    finally:
        server.stop()

    server = Server(db).start()  # same database, a new process on a new port
    try:
        client = Browser(server.url)
        page = client.get("/fortsett")
        client.post("/fortsett", {"csrf_token": csrf(page), "code": code})
        assert f"/svar/{rid}/" in client.url
        review = client.get(f"/svar/{rid}/oppsummering")
    finally:
        server.stop()
    with sqlite3.connect(db) as conn:
        assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
        stored = json.loads(conn.execute("select answers from responses where id = ?", (rid,)).fetchone()[0])
    expected = {k: v for answers in saved.values() for k, v in answers.items()}
    assert stored == expected
    assert "Varig svar" in review and review.count("Ikke besvart") > 0


def test_page_weight_is_within_budget():
    spec = importlib.util.spec_from_file_location("page_weight", ROOT / "bench" / "page_weight.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    rows = module.measure()
    assert max(total for *_rest, total in rows) <= module.BUDGET
    assert all(sent < raw / 3 for _section, raw, sent, _total in rows)  # the app compresses its HTML
