"""An independent walk of the relatives' assessment: "first option, three boxes per group".

Written apart from ``bench/burden.py`` (nothing imported or copied from it) to re-measure issue
#11's acceptance: a relative who answers every question with its first option and ticks three
boxes per group reaches the review within ≤ 15 estimated minutes, ≤ 30 phone screens for the
form pages and ≤ 8 phone screens of review.

How it walks (Chromium, 390×844, JavaScript on, bokmål):

- The newest active version is started the way a relative starts it without an invitation: the
  "Start" button on the front page (the time shown there is recorded). Other versions (``--version``,
  default also 1.1.0) are opened from an invitation link created in the app (``--link`` with ``--url``).
- Pages before the form (the intro, "who should get your answers", contact details) get the first
  option of each radio group, empty text fields, and their main button. They are listed, not
  counted in the form figures.
- On every form page (``/del/<id>``), in repeated passes until a pass changes nothing (the page's
  script reveals questions live): each visible radio group (inputs sharing a name, task-card
  columns included) without an answer gets its first visible option; each visible check-box
  group without a tick gets its first three visible boxes, counted per ``fieldset.option-group``
  where the question shows groups (a priority question: its first three, in that order); a
  required, empty number or date field gets its minimum or today; text fields stay empty;
  "for the conversation only" boxes and "Add" buttons of repeats are left alone. Then
  "Save and continue"; if the server shows the same page again (questions opened without
  script, or an error) it answers again, up to four times, and records any error message.

What it counts on each page, measured after the last pass, just before saving:

- screens: ``document.documentElement.scrollHeight / 844``;
- answers shown: visible questions: one per radio-group name, one per check-box-group name, one
  per text, text area, number, date or other typed input, one per select that is not a priority's
  rank select (a task-card column is a radio group, so it counts 1);
- words: whitespace-separated tokens of ``main.innerText`` (the browser skips display:none and
  ``hidden`` elements; visually-hidden screen-reader text is included).

Estimated minutes = form-page words / 200 + form-page answers × 6 s / 60. The review page's
screens and words are reported separately; "whole journey" minutes add the words of the intro,
the other pages before the form, and the review.

Usage::

    PYTHONPATH=$PWD python3 bench/independent_walk.py                 # starts its own server
    PYTHONPATH=$PWD python3 bench/independent_walk.py --url http://127.0.0.1:5000
    ... --url URL --version 1.1.0 --link http://127.0.0.1:5000/r/TOKEN
    ... --shots DIR                                                     # a PNG of every page
"""

from __future__ import annotations

import argparse
import datetime
import json
import re
import sys
import tempfile
import threading
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: the repository root is importable
    sys.path.insert(0, str(ROOT))

from bench.walk_scripts import ANSWER_PASS, MEASURE, OTHER_PAGE  # noqa: E402

FORM_ID = "parorende-kartlegging"
SCREEN_H = 844
VIEWPORT = {"width": 390, "height": SCREEN_H}
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
LIMITS = {"minutes": 15.0, "screens": 30.0, "review_screens": 8.0}


@dataclass
class PageFigures:
    path: str
    kind: str  # "form", "review", "other"
    title: str
    screens: float
    answers: int
    words: int
    progress: str = ""
    saves: int = 1
    errors: list[str] = field(default_factory=list)


@dataclass
class Walk:
    label: str
    form: str = ""
    front_time: str = ""
    intro_time: str = ""
    pages: list[PageFigures] = field(default_factory=list)
    reached_review: bool = False

    def form_pages(self) -> list[PageFigures]:
        return [p for p in self.pages if p.kind == "form"]

    def review(self) -> PageFigures | None:
        return next((p for p in self.pages if p.kind == "review"), None)

    def totals(self) -> dict:
        fp = self.form_pages()
        words = sum(p.words for p in fp)
        answers = sum(p.answers for p in fp)
        review = self.review()
        other_words = sum(p.words for p in self.pages if p.kind != "form")
        return {
            "pages": len(fp),
            "answers": answers,
            "screens": round(sum(p.screens for p in fp), 1),
            "words": words,
            "minutes": round(words / 200 + answers * 6 / 60, 1),
            "review_screens": round(review.screens, 1) if review else None,
            "review_words": review.words if review else None,
            "journey_minutes": round((words + other_words) / 200 + answers * 6 / 60, 1),
        }

    def verdict(self) -> dict:
        """PASS/FAIL on the unrounded figures (7.99 review screens pass, 8.04 do not)."""
        fp = self.form_pages()
        words, answers = sum(p.words for p in fp), sum(p.answers for p in fp)
        review = self.review()
        return {
            "minutes": words / 200 + answers * 6 / 60 <= LIMITS["minutes"],
            "screens": sum(p.screens for p in fp) <= LIMITS["screens"],
            "review_screens": self.reached_review
            and review is not None
            and review.screens <= LIMITS["review_screens"],
            "reached_review": self.reached_review,
        }


def _measure(page, kind: str) -> PageFigures:
    m = page.evaluate(MEASURE)
    return PageFigures(
        path=urlparse(page.url).path,
        kind=kind,
        title=m["title"],
        screens=m["height"] / SCREEN_H,
        answers=m["answers"],
        words=m["words"],
        progress=m["progress"],
        errors=m["errors"],
    )


def _shot(page, shots: Path | None, walk: Walk, n: int, name: str) -> None:
    if shots is not None:
        shots.mkdir(parents=True, exist_ok=True)
        safe = re.sub(r"[^a-z0-9]+", "-", f"{walk.label}-{n:02d}-{name}".lower()).strip("-")
        page.screenshot(path=str(shots / f"{safe}.png"), full_page=True)


def _answer_page(page) -> int:
    passes = 0
    while passes < 30 and page.evaluate(ANSWER_PASS):
        passes += 1
    return passes


def walk(browser, *, label: str, base: str, link: str | None, shots: Path | None = None) -> Walk:
    """Walk one journey: from the front page's Start button (link None) or an invitation link."""
    result = Walk(label=label)
    context = browser.new_context(viewport=VIEWPORT, locale="nb-NO", java_script_enabled=True)
    page = context.new_page()
    try:
        if link is None:
            page.goto(base + "/")
            card = page.locator(f'li.card:has(form[action$="/start/{FORM_ID}"])')
            result.front_time = card.locator(".duration").inner_text().strip()
            result.pages.append(_measure(page, "other"))
            with page.expect_navigation():
                card.locator('button[type="submit"]').click()
        else:
            page.goto(link)
        for step in range(80):
            path = urlparse(page.url).path
            if path.endswith("/oppsummering"):
                figures = _measure(page, "review")
                # the review only if it can send (an error page at this address is not a review)
                result.reached_review = page.locator('main form[action$="/send"]').count() == 1
                if not result.reached_review:
                    figures.errors.append(f"not the review page: {figures.title}")
                result.pages.append(figures)
                _shot(page, shots, result, step, "review")
                break
            if "/del/" in path:
                figures = None
                for attempt in range(4):
                    _answer_page(page)
                    figures = _measure(page, "form")
                    figures.saves = attempt + 1
                    if attempt == 0:
                        _shot(page, shots, result, step, path.rsplit("/", 1)[-1])
                    with page.expect_navigation():
                        page.click('button[name="_nav"][value="next"]')
                    if urlparse(page.url).path != path:
                        break
                    figures.errors = page.evaluate(MEASURE)["errors"] or figures.errors
                assert figures is not None
                result.pages.append(figures)
                continue
            figures = _measure(page, "other")
            if path.endswith("/om"):
                duration = page.locator("main .duration")
                result.intro_time = duration.first.inner_text().strip() if duration.count() else ""
                result.form = page.locator("main .eyebrow").first.inner_text().strip()
            result.pages.append(figures)
            _shot(page, shots, result, step, path.rsplit("/", 1)[-1] or "front")
            if not page.evaluate(OTHER_PAGE):
                raise RuntimeError(f"stuck on {path}: no form to send")
            with page.expect_navigation():
                # the page's main button: the last submit button that does not go back
                page.locator('main form[method=post] button[type=submit]:not([value="back"])').last.click()
            if urlparse(page.url).path == path:
                raise RuntimeError(f"stuck on {path}: {page.evaluate(MEASURE)['errors']}")
    finally:
        context.close()
    return result


@contextmanager
def local_server():
    """The web app (shipped forms, SQLite in a temporary folder) served from a thread."""
    from werkzeug.serving import WSGIRequestHandler, make_server

    from webapp import create_app

    with tempfile.TemporaryDirectory(prefix="walk-") as tmp:
        app = create_app(
            {
                "SECRET_KEY": "independent-walk",
                "DATABASE_URL": f"sqlite:///{Path(tmp) / 'walk.sqlite3'}",
                "ACCESS_LOG": False,
                "SELF_START_PER_ADDRESS": 1000,
                "SELF_START_GLOBAL": 0,
            }
        )

        class Quiet(WSGIRequestHandler):
            def log_request(self, *args, **kwargs) -> None:  # the walk prints its own table
                pass

        server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=Quiet)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield app, f"http://127.0.0.1:{server.server_port}"
        finally:
            server.shutdown()
            app.extensions["formengine_db"].engine.dispose()


def invitation(app, base: str, version: str) -> str:
    """An invitation link to ``FORM_ID`` at ``version`` (what `flask invite` makes for the newest)."""
    from webapp import forms_access, responses

    with app.app_context():
        defn = forms_access.registry().get(FORM_ID, version)
        created = responses.create_response(defn, origin="invite", lang="nb", with_token=True)
        return f"{base}/r/{created.token}"


def table(w: Walk) -> str:
    t = w.totals()
    v = w.verdict()
    rows = [f"== {w.label}: {w.form}", f"front page says: {w.front_time or '–'}"]
    rows.append(f"intro says:      {w.intro_time or '–'}")
    rows.append(f"{'page':32} {'screens':>7} {'answers':>7} {'words':>6}  progress / errors")
    for p in w.pages:
        name = f"[{p.kind}] {p.title}"[:32]
        extra = p.progress + (f"  saved {p.saves}×" if p.saves > 1 else "")
        extra += ("  ERRORS: " + "; ".join(p.errors)) if p.errors else ""
        rows.append(f"{name:32} {p.screens:7.1f} {p.answers:7d} {p.words:6d}  {extra}")
    rows.append(
        f"form: {t['pages']} pages, {t['answers']} answers, {t['screens']} screens, {t['words']} words, "
        f"{t['minutes']} estimated minutes; review {t['review_screens']} screens, {t['review_words']} words; "
        f"whole journey {t['journey_minutes']} min"
    )
    mark = {True: "PASS", False: "FAIL"}
    rows.append(
        f"limits: minutes ≤ 15 {mark[v['minutes']]} · screens ≤ 30 {mark[v['screens']]} · "
        f"review ≤ 8 {mark[v['review_screens']]} · reached review {mark[v['reached_review']]}"
    )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="walk a server that is already running (else start one)")
    parser.add_argument(
        "--version",
        action="append",
        help="older version to walk after the newest (repeatable; default 1.1.0; 'none' for none)",
    )
    parser.add_argument(
        "--link", action="append", default=[], help="with --url: invitation link per --version"
    )
    parser.add_argument("--shots", type=Path, help="folder for a full-page PNG of every page")
    parser.add_argument("--json", type=Path, help="write the figures as JSON here")
    args = parser.parse_args(argv)
    versions = [v for v in (args.version or ["1.1.0"]) if v != "none"]
    if args.url and len(args.link) != len(versions):
        if args.version:
            parser.error("with --url, give one --link (an invitation link) per --version")
        versions = []

    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        walks: list[Walk] = []
        try:
            if args.url:
                base = args.url.rstrip("/")
                walks.append(walk(browser, label="newest", base=base, link=None, shots=args.shots))
                for version, link in zip(versions, args.link, strict=True):
                    walks.append(walk(browser, label=version, base=base, link=link, shots=args.shots))
            else:
                with local_server() as (app, base):
                    walks.append(walk(browser, label="newest", base=base, link=None, shots=args.shots))
                    for version in versions:
                        link = invitation(app, base, version)
                        walks.append(walk(browser, label=version, base=base, link=link, shots=args.shots))
        finally:
            browser.close()
    for w in walks:
        print(table(w))
        print()
    if args.json:
        args.json.write_text(
            json.dumps(
                [{**asdict(w), "totals": w.totals(), "verdict": w.verdict()} for w in walks],
                ensure_ascii=False,
                indent=1,
            )
        )
    newest = walks[0].verdict()
    print(
        "first-option walk of the newest version:",
        "PASS" if all(newest.values()) else "FAIL",
        f"({datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC)",
    )
    return 0 if all(newest.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
