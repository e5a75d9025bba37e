"""Write screenshots of every page type at 390×844 to docs/screenshots/ (relative-NN-name.png).

Run from the repository root: ``python3 -m tests.webapp.make_screenshots``.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from .browserkit import ROOT, Server, launch, new_context, page_tour, relative_tour

ORDER = [
    "start",
    "consent",
    "choose",
    "section",
    "section-repeat",
    "section-errors",
    "review",
    "pause",
    "contact",
    "receipt",
    "copy",
    "resume-code",
    "resume-code-error",
    "error-404",
    # issue 11: length, ranking, text limits, removing, new questions (JS off where marked)
    "municipality",
    "section-priority",
    "section-priority-error",
    "section-text-over",
    "section-remove-confirm",
    "section-branch",
    "section-cards",
    "section-scale",
]
NO_JS_ONLY = {"section-priority-error", "section-branch"}
SCROLLED = {
    "section-repeat",
    "section-priority",
    "section-remove-confirm",
    "section-branch",
    "section-cards",
    "section-scale",
}


def main(out: Path = ROOT / "docs" / "screenshots", lang: str = "nb") -> list[Path]:
    from playwright.sync_api import sync_playwright

    import formengine

    defn = formengine.load_registry(ROOT / "forms").latest_active("parorende-kartlegging")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        server = Server(Path(tmp) / "shots.sqlite3").start()
        browser = launch(p)
        try:
            page = new_context(browser, lang=lang).new_page()
            for name, current in page_tour(page, server, defn, lang):
                written.append(_shot(out, name, current))
            for name, current in relative_tour(page, server, defn, js=True):
                written.append(_shot(out, name, current))
            quiet = new_context(browser, lang=lang, js=False).new_page()
            for name, current in relative_tour(quiet, server, defn, js=False):
                if name in NO_JS_ONLY:
                    written.append(_shot(out, name, current))
        finally:
            browser.close()
            server.stop()
    return written


def _shot(out: Path, name: str, page) -> Path:
    path = out / f"relative-{ORDER.index(name) + 1:02d}-{name}.png"
    if name not in SCROLLED:
        page.keyboard.press("Home") if name in NO_JS_ONLY else page.evaluate("window.scrollTo(0, 0)")
    elif name in ("section-remove-confirm", "section-branch"):  # show a little above the focused box
        page.mouse.wheel(0, -260)
        page.wait_for_timeout(300)
    page.screenshot(path=str(path))
    return path


if __name__ == "__main__":
    for path in main(lang=sys.argv[1] if len(sys.argv) > 1 else "nb"):
        print(path.relative_to(ROOT))
