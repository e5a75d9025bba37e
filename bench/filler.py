"""A simulated relative: fills a form over HTTP like a browser without JavaScript would.

It reads each section page's HTML, answers every question on it (first or a random option,
short texts), posts the page with its CSRF token and fingerprints, and follows the redirects.
Used by ``bench/run.py`` (50 fillers at once) and ``tests/reliability``.
"""

from __future__ import annotations

import gzip
import http.client
import random
import re
import time
import zlib
from dataclasses import dataclass, field
from html import unescape
from urllib.parse import urlencode, urlsplit

import brotli
import requests

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_of(page: str) -> str:
    match = CSRF.search(page)
    if not match:
        raise ValueError("no csrf token on the page")
    return match.group(1)


# The pages are our own templates' output, so a scan of the few tags that carry controls is
# enough, and about 10x cheaper than html.parser (10 ms for a task page). The bench's
# simulated phones are threads sharing the server's 2 cores: while one thread parses a page,
# a sibling's response that has arrived waits for the interpreter lock before it is timed, so
# an expensive client inflates the latency it reports.
# tests/reliability/test_filler_scan.py checks this scan against html.parser on every page.
_TAG = re.compile(r"<(/?)(form|input|textarea|select|option)\b([^>]*)>", re.IGNORECASE)
_ATTR = re.compile(r'([^\s"\'=<>/]+)(?:\s*=\s*(?:"([^"]*)"|\'([^\']*)\'|([^\s>]+)))?')


def _attrs(text: str) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for m in _ATTR.finditer(text):
        value = m.group(2) if m.group(2) is not None else m.group(3) if m.group(3) is not None else m.group(4)
        out.setdefault(m.group(1).lower(), unescape(value) if value is not None else None)
    return out


@dataclass
class PageControls:
    """The named controls of ``<form id="answers">`` on a page."""

    hidden: dict = field(default_factory=dict)
    radios: dict = field(default_factory=dict)
    checks: dict = field(default_factory=dict)
    texts: dict = field(default_factory=dict)
    selects: dict = field(default_factory=dict)


def controls_of(page: str) -> PageControls:
    found = PageControls()
    inside = False
    select: str | None = None
    for m in _TAG.finditer(page):
        closing, tag = m.group(1), m.group(2).lower()
        if tag == "form":
            if closing:
                inside = False
            elif _attrs(m.group(3)).get("id") == "answers":
                inside = True
            continue
        if not inside:
            continue
        if closing:
            if tag == "select":
                select = None
            continue
        a = _attrs(m.group(3))
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type") or "text"
            if kind == "hidden":
                found.hidden[name] = a.get("value") or ""
            elif kind == "radio":
                found.radios.setdefault(name, []).append(a.get("value") or "")
            elif kind == "checkbox":
                found.checks.setdefault(name, []).append(a.get("value") or "")
            elif kind not in ("submit", "button"):
                found.texts[name] = a
        elif tag == "textarea" and name:
            found.texts[name] = {**a, "type": "textarea"}
        elif tag == "select" and name:
            select = name
            found.selects[name] = []
        elif tag == "option" and select:
            value = a.get("value")
            if value:
                found.selects[select].append(value)
    return found


def answers_for(page: str, rng: random.Random, text: str = "Litt tekst") -> dict:
    """Form data answering every control on a section page (hidden fields included)."""
    parser = controls_of(page)
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
    lean: bool = False  # the bench's many fillers: LeanHttp instead of requests (see there)
    http: requests.Session = field(default_factory=lambda: _session())
    rid: str | None = None
    saves: list = field(default_factory=list)  # (seconds, status, section_id, data)
    errors: list = field(default_factory=list)

    def __post_init__(self):
        self.rng = random.Random(self.seed)
        self._lean = LeanHttp(self.base) if self.lean else None

    def get(self, path: str):
        if self.lean:
            return self._lean.request("GET", path, timeout=self.timeout)
        return self.http.get(self.base + path, timeout=self.timeout, allow_redirects=False)

    def post(self, path: str, data: dict):
        if self.lean:
            return self._lean.request("POST", path, data, timeout=self.timeout)
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
        self.pass_recipient(resp.headers["Location"])
        return self.rid

    def pass_recipient(self, location: str) -> None:
        """Past "who gets your answers" (keep them private) and the contact page, if they come next."""
        while location.endswith(("/hvem", "/kontakt")):
            page = self.get(location)
            data = {"csrf_token": csrf_of(page.text)} | (
                {"where": "private"} if location.endswith("/hvem") else {}
            )
            resp = self.post(location, data)
            if resp.status_code != 303:
                raise RuntimeError(f"{location} gave {resp.status_code}")
            location = resp.headers["Location"]

    def save_page(
        self, section_id: str, page: str | None = None, data: dict | None = None, nav: str = "next"
    ) -> requests.Response:
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
            if location.endswith(("/hvem", "/kontakt")):
                # who gets the answers (a national form): keep them private, so no contact page
                # follows; the contact page (a municipality's form): leave it empty
                data = {"csrf_token": csrf_of(resp.text)} | (
                    {"where": "private"} if location.endswith("/hvem") else {}
                )
                post = self.post(location, data)
                if post.status_code != 303:
                    self.errors.append((post.status_code, location))
                    return saved
                location = post.headers["Location"]
                continue
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


class LeanResponse:
    def __init__(self, status: int, headers, content: bytes):
        self.status_code, self.headers, self.content = status, headers, content

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")


class LeanHttp:
    """Just enough HTTP for a simulated phone: a form post, the session cookie, compressed bodies.

    `requests` costs about 6 ms of client CPU per filled page against this client's 2.6 ms
    (cookie jar, URL parsing, hooks), partly inside the timed request. Fifty simulated
    relatives share the server's two cores and interpreter locks among themselves, so the
    50-filler bench uses this instead: one connection per request (gunicorn's sync workers
    close it anyway), no redirects followed. tests/reliability/test_filler_scan.py checks that
    it stores exactly what requests would.
    """

    def __init__(self, base: str):
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, data: dict | None = None, timeout: float = 60) -> LeanResponse:
        headers = {"Accept-Encoding": "gzip, br", "Connection": "close"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers)
            resp = conn.getresponse()
            raw = resp.read()
        finally:
            conn.close()
        for cookie in resp.headers.get_all("Set-Cookie") or []:
            pair, _, attributes = cookie.partition(";")
            name, _, value = pair.partition("=")
            if "max-age=0" in attributes.lower().replace(" ", ""):
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = value.strip()
        return LeanResponse(resp.status, resp.headers, decode(raw, resp.headers.get("Content-Encoding")))


# what Chromium (and Firefox) send; the app answers with brotli, its first choice
BROWSER_ACCEPT_ENCODING = "gzip, deflate, br, zstd"


def decode(body: bytes, encoding: str | None) -> bytes:
    """A response body as sent with ``Content-Encoding: encoding``, decompressed."""
    if encoding in (None, "identity"):
        return body
    if encoding == "br":
        return brotli.decompress(body)
    if encoding == "gzip":
        return gzip.decompress(body)
    if encoding == "deflate":
        return zlib.decompress(body)
    if encoding == "zstd":
        try:
            from compression import zstd  # Python 3.14
        except ImportError:
            from backports import zstd  # installed with Flask-Compress
        return zstd.decompress(body)
    raise ValueError(f"unknown content encoding {encoding!r}")


def _session() -> requests.Session:
    """A plain HTTP session: no proxy or .netrc lookup in the environment on every request."""
    http = requests.Session()
    http.trust_env = False
    return http


def _hidden_only(page: str) -> dict:
    return dict(controls_of(page).hidden)


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1)))))
    return ordered[k]


__all__ = ["Relative", "answers_for", "csrf_of", "percentile", "unescape"]
