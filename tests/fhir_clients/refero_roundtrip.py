"""Helsenorge Refero (npm ``@helsenorge/refero``) in headless Chromium.

The test page lives in ``tests/fhir_clients/refero/`` (package.json and package-lock.json with exact
versions, an ``index.jsx`` around ``<Refero>``); ``build.sh`` installs it with ``npm ci`` and bundles it
with esbuild into ``.cache/refero/dist``. This module builds it when needed, serves it on a private
port and drives it through the hooks the page puts on ``window`` (see index.jsx).
"""

from __future__ import annotations

import functools
import http.server
import json
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent / "refero"
ROOT = HERE.parents[2]
DIST = ROOT / ".cache" / "refero" / "dist"
REFERO_VERSION = json.loads((HERE / "package.json").read_text())["dependencies"]["@helsenorge/refero"]
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def build() -> Path:
    """The built test page (``npm ci`` + esbuild through build.sh; a no-op when up to date)."""
    subprocess.run(["bash", str(HERE / "build.sh")], check=True, timeout=900)
    return DIST


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass


@contextmanager
def serve(dist: Path) -> Iterator[str]:
    """Serve ``dist`` on 127.0.0.1 (a free port) for as long as the block runs; yield its URL."""
    handler = functools.partial(_Quiet, directory=str(dist))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/index.html"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def refero_page(dist: Path, viewport: tuple[int, int] = (1280, 900)) -> Iterator[Any]:
    """A Playwright page with the Refero test page loaded (hooks ready)."""
    from playwright.sync_api import sync_playwright

    with serve(dist) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        try:
            page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
            page.goto(url)
            page.wait_for_function("() => window.referoReady === true", timeout=60_000)
            yield page
        finally:
            browser.close()


def load(page: Any, questionnaire: dict[str, Any], response: dict[str, Any] | None = None) -> None:
    """Render ``questionnaire`` in Refero (optionally pre-filled with ``response``)."""
    page.evaluate("([q, qr]) => window.referoLoad(q, qr)", [questionnaire, response])


def current_response(page: Any) -> dict[str, Any]:
    """The QuestionnaireResponse Refero holds now."""
    result = page.evaluate("() => window.referoResponse()")
    return json.loads(json.dumps(result))


def scores(page: Any) -> dict[str, dict[str, Any]]:
    """Refero's score items: ``{linkId: {formula, response, shown}}``."""
    return dict(page.evaluate("() => window.referoScores()"))


def field_name(link_id: str, instance: int = 0) -> str:
    """The ``name`` Refero gives an item's input: the linkId with dots as ``%2E``; in the k-th
    (k >= 1) instance of a repeating group ``-k^k`` is appended."""
    name = link_id.replace("%", "%25").replace(".", "%2E")
    return f"{name}-{instance}^{instance}" if instance else name


def _danish_date(value: str) -> str:  # Refero's date picker reads dd.mm.yyyy
    year, month, day = value.split("-")
    return f"{day}.{month}.{year}"


class Filler:
    """Types a QuestionnaireResponse's answers into Refero as a user would (clicks, typing).

    Items whose group Refero shows as a read-only table (``itemControl`` table/gtable) cannot be
    answered there; their linkIds are collected in ``unanswerable`` instead."""

    def __init__(self, page: Any, questionnaire: dict[str, Any]):
        self.page = page
        self.items: dict[str, dict[str, Any]] = {}
        self.read_only: set[str] = set()
        self.unanswerable: list[str] = []
        self.answered = 0
        self._index(questionnaire.get("item", []), in_table=False)

    def _index(self, items: list[dict[str, Any]], in_table: bool) -> None:
        for item in items:
            self.items[item["linkId"]] = item
            if in_table:
                self.read_only.add(item["linkId"])
            table = any(
                c.get("code") in ("table", "gtable", "htable")
                for e in item.get("extension", [])
                if e.get("url", "").endswith("questionnaire-itemControl")
                for c in e.get("valueCodeableConcept", {}).get("coding", [])
            )
            self._index(item.get("item", []), in_table or table)

    def fill(self, response: dict[str, Any]) -> None:
        self._items(response.get("item", []), instance=0)

    def _items(self, items: list[dict[str, Any]], instance: int) -> None:
        seen: dict[str, int] = {}
        for entry in items:
            link = entry["linkId"]
            definition = self.items[link]
            if definition["type"] == "group":
                k = seen.get(link, 0)
                seen[link] = k + 1
                if definition.get("repeats") and k > 0:
                    self.page.locator(f'[data-testid="{link}-repeat-button"]').click()
                self._items(entry.get("item", []), instance=k if definition.get("repeats") else instance)
                continue
            if entry.get("answer"):
                self._answer(definition, entry["answer"], instance)

    def _answer(self, item: dict[str, Any], answers: list[dict[str, Any]], instance: int) -> None:
        link = item["linkId"]
        if item.get("readOnly"):  # a score Refero computes itself
            return
        if link in self.read_only:
            self.unanswerable.append(link)
            return
        name = field_name(link, instance)
        field = self.page.locator(f'[name="{name}"], [name="{name}^0"]').first
        field.wait_for(state="attached", timeout=10_000)
        tag, kind = field.evaluate("e => [e.tagName.toLowerCase(), e.type]")
        exact = field.evaluate("e => e.name")
        for answer in answers:
            if "valueCoding" in answer:
                code = answer["valueCoding"]["code"]
                if tag == "select":
                    field.select_option(value=code)
                else:  # radio or checkbox
                    self._tick(self.page.locator(f'[name="{exact}"][value="{code}"]'))
            elif "valueDate" in answer:
                field.fill(_danish_date(answer["valueDate"]))
                field.press("Tab")
            elif "valueInteger" in answer or "valueDecimal" in answer:
                field.fill(str(answer.get("valueInteger", answer.get("valueDecimal"))))
                field.press("Tab")
            elif "valueString" in answer:
                field.fill(answer["valueString"])
                field.press("Tab")
            elif "valueBoolean" in answer:
                field.set_checked(bool(answer["valueBoolean"]))
            else:
                raise ValueError(f"{link}: no way to type {sorted(answer)} into Refero ({tag} {kind})")
            self.answered += 1

    def _tick(self, box: Any) -> None:
        """Click the option's label, as a user does (the input itself sits under a styled span)."""
        if box.is_checked():
            return
        box.locator("xpath=ancestor::label[1]").click()
        if not box.is_checked():
            raise AssertionError(f"clicking the label of {box.get_attribute('id')} did not tick it")


def settled_response(page: Any) -> dict[str, Any]:
    """Refero's response once its store has stopped changing (typing is applied on blur)."""
    page.wait_for_function(
        """() => new Promise(done => {
            const first = JSON.stringify(window.referoResponse());
            setTimeout(() => done(first === JSON.stringify(window.referoResponse())), 300);
        })""",
        timeout=30_000,
    )
    return current_response(page)


def drop_help_placeholders(response: dict[str, Any]) -> int:
    """Remove, in place, the answers without a value that Refero adds to carry a question's help
    (``display``) children; return how many there were. FHIR wants a value in every answer."""
    dropped = 0

    def walk(items: list[dict[str, Any]]) -> None:
        nonlocal dropped
        for item in items:
            kept = []
            for answer in item.get("answer", []):
                if not any(key.startswith("value") for key in answer):
                    children = answer.get("item", [])
                    if all(not child.get("answer") for child in children):
                        dropped += 1
                        continue
                kept.append(answer)
                walk(answer.get("item", []))
            if "answer" in item:
                if kept:
                    item["answer"] = kept
                else:
                    del item["answer"]
            walk(item.get("item", []))

    walk(response.get("item", []))
    return dropped


def submit(page: Any) -> dict[str, Any]:
    """Press Refero's "Send inn" and return the QuestionnaireResponse it hands to ``onSubmit``
    (Refero validates the form first: an invalid form never reaches ``onSubmit``)."""
    settled_response(page)
    page.locator('[data-testid="refero-submit-button"]').click()
    page.wait_for_function("() => window.referoSubmitted !== null", timeout=30_000)
    # through JSON as a host would send it: Refero leaves keys set to undefined (answer: undefined)
    return dict(page.evaluate("() => JSON.parse(JSON.stringify(window.referoSubmitted))"))
