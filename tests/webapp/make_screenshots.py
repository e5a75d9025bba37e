"""Write screenshots of every page type at 390×844 to docs/screenshots/ (relative-NN-name.png).

Run from the repository root: ``python3 -m tests.webapp.make_screenshots``.
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from .browserkit import ROOT, Server, launch, new_context, page_tour

ORDER = ["start", "consent", "choose", "section", "section-repeat", "section-errors", "review", "pause", "contact",
         "receipt", "copy", "resume-code", "resume-code-error", "error-404"]


def main(out: Path = ROOT / "docs" / "screenshots", lang: str = "nb") -> list[Path]:
    import formengine
    from playwright.sync_api import sync_playwright

    defn = formengine.load_registry(ROOT / "forms").latest_active("parorende-kartlegging")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        server = Server(Path(tmp) / "shots.sqlite3").start()
        browser = launch(p)
        try:
            page = new_context(browser, lang=lang).new_page()
            for name, current in page_tour(page, server, defn, lang):
                path = out / f"relative-{ORDER.index(name) + 1:02d}-{name}.png"
                if name not in ("section-repeat",):
                    current.evaluate("window.scrollTo(0, 0)")
                current.screenshot(path=str(path))
                written.append(path)
        finally:
            browser.close()
            server.stop()
    return written


if __name__ == "__main__":
    for path in main(lang=sys.argv[1] if len(sys.argv) > 1 else "nb"):
        print(path.relative_to(ROOT))
