"""Check that an HTML page carries no active content an attacker could have injected."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

# The app's own stylesheet is inlined into <head> (allowed by its CSP hash); it is the only
# <style> a page may carry, and only with exactly that content.
OWN_CSS = (Path(__file__).resolve().parents[2] / "webapp" / "static" / "app.css").read_text("utf-8")

PAYLOADS = [
    line
    for line in (Path(__file__).parent / "xss_payloads.txt").read_text("utf-8").splitlines()
    if line.strip() and not line.startswith("# ")
]

FORBIDDEN_TAGS = {
    "iframe",
    "object",
    "embed",
    "base",
    "svg",
    "math",
    "style",
    "frame",
    "frameset",
    "applet",
    "details",
    "noscript",
    "template",
}
URL_ATTRS = {"href", "src", "action", "formaction", "data", "xlink:href", "poster", "background"}
BAD_SCHEME = re.compile(r"^(javascript|data|vbscript):", re.I)


class _Inert(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.in_script = False
        self.in_head = False
        self.style: list[str] | None = None  # text of a <style> being read
        self.own_styles = 0

    def handle_starttag(self, tag, attrs):
        attrs_d = dict(attrs)
        if tag == "head":
            self.in_head = True
        if tag == "style" and self.in_head and not attrs and self.own_styles == 0:
            self.style = []  # judged at </style>: must be exactly the app's own stylesheet
        elif tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}> element")
        if tag == "script":
            self.in_script = True
            if not (attrs_d.get("src") or "").startswith("/static/"):
                self.problems.append(f"<script> without a /static/ src: {attrs_d}")
        if tag == "link" and not (attrs_d.get("href") or "").startswith("/static/"):
            self.problems.append(f"<link> to {attrs_d.get('href')!r}")
        if tag == "img" and not (attrs_d.get("src") or "").startswith("/static/"):
            self.problems.append(f"<img src={attrs_d.get('src')!r}>")
        if tag == "meta" and "http-equiv" in attrs_d:
            self.problems.append(f"<meta http-equiv> {attrs_d}")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler {name}= on <{tag}>")
            if name == "style":
                self.problems.append(f"style= on <{tag}>")
            if name in URL_ATTRS and value:
                cleaned = re.sub(r"[\x00-\x20]", "", value)
                if BAD_SCHEME.match(cleaned):
                    self.problems.append(f"{name}={value!r} on <{tag}>")

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = False
        if tag == "head":
            self.in_head = False
        if tag == "style" and self.style is not None:
            if "".join(self.style) != OWN_CSS:
                self.problems.append("<style> element other than the app's own stylesheet")
            self.own_styles += 1
            self.style = None

    def handle_data(self, data):
        if self.style is not None:
            self.style.append(data)
            return
        if self.in_script and data.strip():
            self.problems.append(f"inline script {data[:60]!r}")


def problems(page: str) -> list[str]:
    parser = _Inert()
    parser.feed(page)
    return parser.problems
