"""The simulated relatives' cheap tag scan reads every page exactly as html.parser does.

The bench and the reliability tests fill pages with ``bench.filler.controls_of``, a regex scan
chosen because it costs a tenth of html.parser. Here it is checked against a reference built on
html.parser: on every section page of both public forms in every language, empty and again
after saving answers whose text has quotes, angle brackets and entities; and on hand-written
awkward markup.
"""

from __future__ import annotations

import random
import re
from html.parser import HTMLParser

import pytest

from bench.filler import answers_for, controls_of
from webapp import create_app

LANGS = ["nb", "nn", "en"]


class Reference(HTMLParser):
    """The named controls of <form id="answers">, by the standard library's parser."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.inside = False
        self.hidden, self.radios, self.checks, self.texts, self.selects = {}, {}, {}, {}, {}
        self._select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id") == "answers":
            self.inside = True
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type") or "text"
            if kind == "hidden":
                self.hidden[name] = a.get("value") or ""
            elif kind == "radio":
                self.radios.setdefault(name, []).append(a.get("value") or "")
            elif kind == "checkbox":
                self.checks.setdefault(name, []).append(a.get("value") or "")
            elif kind not in ("submit", "button"):
                self.texts[name] = a
        elif tag == "textarea" and name:
            self.texts[name] = {**a, "type": "textarea"}
        elif tag == "select" and name:
            self._select = name
            self.selects[name] = []
        elif tag == "option" and self._select:
            if a.get("value"):
                self.selects[self._select].append(a["value"])

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        if tag == "select":
            self._select = None


def reference(page: str) -> dict:
    parser = Reference()
    parser.feed(page)
    return {
        "hidden": parser.hidden,
        "radios": parser.radios,
        "checks": parser.checks,
        "texts": parser.texts,
        "selects": parser.selects,
    }


def scanned(page: str) -> dict:
    found = controls_of(page)
    return {
        "hidden": found.hidden,
        "radios": found.radios,
        "checks": found.checks,
        "texts": found.texts,
        "selects": found.selects,
    }


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


@pytest.fixture(scope="module")
def shipped_app(tmp_path_factory):
    folder = tmp_path_factory.mktemp("scan")
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "scan",
            "ACCESS_LOG": False,
            "DATABASE_URL": f"sqlite:///{folder / 'scan.sqlite3'}",
        }
    )
    yield app
    app.extensions["formengine_db"].engine.dispose()


HOSTILE = 'It\'s "quoted" <b>bold</b> & &amp; > done'


def _pages(app, form_id: str, lang: str):
    """(section id, page when empty, page after saving hostile answers) for every section."""
    client = app.test_client()
    front = client.get(f"/?lang={lang}", follow_redirects=True).get_data(as_text=True)
    consent = client.post(f"/start/{form_id}", data={"csrf_token": _csrf(front)}).headers["Location"]
    location = client.post(
        consent, data={"csrf_token": _csrf(client.get(consent).get_data(as_text=True))}
    ).headers["Location"]
    while location.endswith(("/hvem", "/kontakt")):  # who gets the answers: keep them private
        data = {"csrf_token": _csrf(client.get(location).get_data(as_text=True))}
        location = client.post(location, data=data | {"where": "private"}).headers["Location"]
    rid = consent.split("/")[2]
    defn = app.config["FORM_REGISTRY"].latest_active(form_id)
    for section in defn.sections:
        url = f"/svar/{rid}/del/{section.id}"
        empty = client.get(url).get_data(as_text=True)
        data = {**answers_for(empty, random.Random(7), text=HOSTILE), "_nav": "next"}
        assert client.post(url, data=data).status_code in (303, 400)
        yield section.id, empty, client.get(url).get_data(as_text=True)


@pytest.mark.parametrize("lang", LANGS)
def test_scan_matches_html_parser_on_every_shipped_page(shipped_app, lang):
    registry = shipped_app.config["FORM_REGISTRY"]
    public = ("parorende-kartlegging", "parorende-oppfolging")
    missing = [f for f in public if registry.latest_active(f) is None]
    assert not missing, f"shipped forms without an active version, or that do not load: {missing}"
    seen = echoed = 0
    for form_id in public:
        for section_id, empty, filled in _pages(shipped_app, form_id, lang):
            assert scanned(empty) == reference(empty), (form_id, section_id)
            assert scanned(filled) == reference(filled), (form_id, section_id)
            echoed += HOSTILE in str(scanned(filled)["texts"]) or "&lt;b&gt;" in filled
            seen += 1
    # every section of both forms was scanned (an exact count: the forms' versions change, the
    # check does not), and the saved hostile text really is on the re-read pages
    assert seen == sum(len(registry.latest_active(f).sections) for f in public) and seen >= 10, seen
    assert echoed >= 5, echoed


def test_scan_handles_quotes_entities_and_controls_outside_the_form():
    page = """<form id="other"><input name="outside" value="x"></form>
    <form method=post id='answers'>
      <input type=hidden name="_base" value="{&#34;a&#34;:&#34;1&gt;2&#34;}">
      <input type="radio" name="r" value='it&#39;s'><input type="radio" name="r" value="b" checked>
      <input type="checkbox" name="c" value="x">
      <input type="number" name="n" min="0" max="10">
      <textarea name="t" maxlength="5">Hei &amp; hå</textarea>
      <select name="s"><option value="">–</option><option value="one">1</option></select>
      <input type="submit" name="_nav" value="next">
    </form><input name="after" value="y">"""
    assert scanned(page) == reference(page)
    assert scanned(page)["hidden"] == {"_base": '{"a":"1>2"}'}
    assert scanned(page)["radios"] == {"r": ["it's", "b"]}


def test_the_lean_http_client_fills_a_form_exactly_like_requests(live_server, tmp_path):
    """The 50-filler bench's simulated phones use LeanHttp; it must store what requests would."""
    import sqlite3

    from bench.filler import Relative

    url = f"sqlite:///{tmp_path / 'lean.sqlite3'}"
    server = live_server(url, workers=1)
    stored = {}
    for lean in (False, True):
        rel = Relative(server.url, seed=11, lean=lean)
        rel.start()
        pages = rel.fill()
        assert rel.submit() == 303 and not rel.errors and pages >= 13
        assert [status for _s, status, *_ in rel.saves] == [303] * pages
        stored[lean] = rel.rid
    with sqlite3.connect(tmp_path / "lean.sqlite3") as db:
        rows = {
            rid: db.execute("select answers, status from responses where id = ?", (rid,)).fetchone()
            for rid in stored.values()
        }
    assert rows[stored[True]] == rows[stored[False]] and rows[stored[True]][1] == "submitted"
