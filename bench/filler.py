"""A simulated relative: fills a form over HTTP like a browser without JavaScript would.

It reads each section page's HTML, answers every question on it (first or a random option,
short texts), posts the page with its CSRF token and fingerprints, and follows the redirects.
Used by ``bench/run.py`` (50 fillers at once) and ``tests/reliability``.
"""
from __future__ import annotations

import random
import re
import time
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser

import requests

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_of(page: str) -> str:
    match = CSRF.search(page)
    if not match:
        raise ValueError("no csrf token on the page")
    return match.group(1)


class _PageForm(HTMLParser):
    """Collect the named controls of <form id="answers">."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.inside = False
        self.hidden: dict[str, str] = {}
        self.radios: dict[str, list[str]] = {}
        self.checks: dict[str, list[str]] = {}
        self.texts: dict[str, dict] = {}
        self.selects: dict[str, list[str]] = {}
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id") == "answers":
            self.inside = True
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
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
            value = a.get("value")
            if value:
                self.selects[self._select].append(value)

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        if tag == "select":
            self._select = None


def answers_for(page: str, rng: random.Random, text: str = "Litt tekst") -> dict:
    """Form data answering every control on a section page (hidden fields included)."""
    parser = _PageForm()
    parser.feed(page)
    data: dict = dict(parser.hidden)
    for name, values in parser.radios.items():
        data[name] = rng.choice(values) if values else ""
    for name, values in parser.checks.items():
        if name != "_co" and values:
            data[name] = [values[0]]
    for name, attrs in parser.texts.items():
        kind = attrs.get("type", "text")
        if kind == "number":
            data[name] = attrs.get("min") or "1"
        elif kind == "date":
            data[name] = "2020-01-15"
        else:
            data[name] = text[: int(attrs.get("maxlength") or 1000)]
    for name, values in parser.selects.items():
        group, rank, value = name.partition("-rank-")
        if rank:  # a priority's rank box: rank only the ticked option(s)
            ticked = data.get(group) or []
            data[name] = str(ticked.index(value) + 1) if value in ticked else ""
        else:
            data[name] = values[0] if values else ""
    return data


@dataclass
class Relative:
    """One relative with their own cookie session against a live server."""

    base: str
    form_id: str = "parorende-kartlegging"
    seed: int = 0
    timeout: float = 60
    think: tuple[float, float] | None = None  # seconds spent answering a page (uniform), None: none
    http: requests.Session = field(default_factory=requests.Session)
    rid: str | None = None
    saves: list = field(default_factory=list)  # (seconds, status, section_id, data)
    errors: list = field(default_factory=list)

    def __post_init__(self):
        self.rng = random.Random(self.seed)

    def get(self, path: str) -> requests.Response:
        return self.http.get(self.base + path, timeout=self.timeout, allow_redirects=False)

    def post(self, path: str, data: dict) -> requests.Response:
        return self.http.post(self.base + path, data=data, timeout=self.timeout, allow_redirects=False)

    def start(self) -> str:
        """Self-start a response and pass the consent page; return the response id."""
        front = self.get("/")
        resp = self.post(f"/start/{self.form_id}", {"csrf_token": csrf_of(front.text)})
        if resp.status_code != 303:
            raise RuntimeError(f"start gave {resp.status_code}")
        consent = resp.headers["Location"]
        self.rid = consent.split("/")[2]
        page = self.get(consent)
        resp = self.post(consent, {"csrf_token": csrf_of(page.text)})
        if resp.status_code != 303:
            raise RuntimeError(f"consent gave {resp.status_code}")
        return self.rid

    def save_page(self, section_id: str, page: str | None = None, data: dict | None = None,
                  nav: str = "next") -> requests.Response:
        """Answer and post one section page; the latency of the POST is recorded."""
        url = f"/svar/{self.rid}/del/{section_id}"
        if page is None:
            page = self.get(url).text
        form = answers_for(page, self.rng) if data is None else {**_hidden_only(page), **data}
        form["_nav"] = nav
        started = time.perf_counter()
        resp = self.post(url, form)
        self.saves.append((time.perf_counter() - started, resp.status_code, section_id, form))
        if resp.status_code >= 400:
            self.errors.append((resp.status_code, url))
        return resp

    def fill(self, max_pages: int = 40) -> int:
        """Walk the form from the first section to the review page; return pages saved."""
        location = f"/svar/{self.rid}/start"
        saved = 0
        while saved < max_pages:
            resp = self.get(location)
            if resp.status_code == 303:
                location = resp.headers["Location"]
                continue
            if resp.status_code != 200:
                self.errors.append((resp.status_code, location))
                return saved
            if "/del/" not in location:
                return saved  # the review page
            section_id = location.split("/del/")[1].split("?")[0].split("#")[0]
            if self.think:
                time.sleep(self.rng.uniform(*self.think))
            post = self.save_page(section_id, page=resp.text)
            saved += 1
            if post.status_code != 303:
                return saved
            location = post.headers["Location"]
        return saved

    def submit(self) -> int:
        page = self.get(f"/svar/{self.rid}/oppsummering").text
        return self.post(f"/svar/{self.rid}/send", {"csrf_token": csrf_of(page)}).status_code


def _hidden_only(page: str) -> dict:
    parser = _PageForm()
    parser.feed(page)
    return dict(parser.hidden)


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1)))))
    return ordered[k]


__all__ = ["Relative", "answers_for", "csrf_of", "percentile", "unescape"]
