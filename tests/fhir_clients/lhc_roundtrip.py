"""Round trip through LHC-Forms (npm ``lforms``) in headless Chromium.

Our Questionnaire and QuestionnaireResponse go in (``convertFHIRQuestionnaireToLForms``,
``mergeFHIRDataIntoLForms``, ``addFormToPage``); LHC-Forms' own response comes out
(``getFormFHIRData('QuestionnaireResponse', 'R4')``). The bundle is fetched with
``npm pack lforms@VERSION`` into ``.cache/`` and served to the page through Playwright routes.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tarfile
from pathlib import Path
from typing import Any

LFORMS_VERSION = "40.1.3"
FILES = [
    "webcomponent/assets/lib/zone.min.js",
    "webcomponent/runtime.js",
    "webcomponent/polyfills.js",
    "webcomponent/main.js",
    "fhir/R4/lformsFHIR.min.js",
]
ORIGIN = "http://lforms.test"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def lforms_dist(cache: Path) -> Path:
    """The ``dist/lforms`` folder of the pinned lforms package (fetched once with npm pack)."""
    target = cache / f"lforms-{LFORMS_VERSION}"
    dist = target / "package" / "dist" / "lforms"
    if not (dist / FILES[-1]).exists():
        target.mkdir(parents=True, exist_ok=True)
        npm = shutil.which("npm")
        if npm is None:
            raise RuntimeError("npm is needed to fetch lforms")
        subprocess.run(
            [npm, "pack", f"lforms@{LFORMS_VERSION}", "--silent"], cwd=target, check=True, timeout=300
        )
        with tarfile.open(target / f"lforms-{LFORMS_VERSION}.tgz") as tar:
            tar.extractall(target, filter="data")
    return dist


def page_html() -> str:
    scripts = "".join(f'<script src="{ORIGIN}/{name}"></script>' for name in FILES)
    return (
        f'<!doctype html><html><head><meta charset="utf-8">'
        f'<link rel="stylesheet" href="{ORIGIN}/webcomponent/styles.css"></head>'
        f'<body><div id="form"></div>{scripts}</body></html>'
    )


def round_trip(
    dist: Path,
    questionnaire: dict[str, Any],
    response: dict[str, Any],
    screenshot: Path | None = None,
    viewport: tuple[int, int] = (1280, 900),
) -> dict[str, Any]:
    """Load ``questionnaire`` pre-filled with ``response`` into LHC-Forms; return its response."""
    from playwright.sync_api import Route, sync_playwright

    def serve(route: Route) -> None:
        path = route.request.url.removeprefix(ORIGIN + "/").split("?")[0]
        if path in ("", "index.html"):
            route.fulfill(body=page_html(), content_type="text/html")
            return
        file = dist / path
        kind = "text/css" if path.endswith(".css") else "application/javascript"
        route.fulfill(body=file.read_bytes(), content_type=kind) if file.is_file() else route.fulfill(
            status=404
        )

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        try:
            page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
            page.route(f"{ORIGIN}/**", serve)
            page.goto(f"{ORIGIN}/index.html")
            page.wait_for_function("() => !!(window.LForms && LForms.Util && LForms.FHIR)", timeout=60_000)
            result = page.evaluate(
                """async ([q, qr]) => {
                    const form = LForms.Util.convertFHIRQuestionnaireToLForms(q, 'R4');
                    const filled = LForms.Util.mergeFHIRDataIntoLForms('QuestionnaireResponse', qr, form, 'R4');
                    await LForms.Util.addFormToPage(filled, 'form');
                    return LForms.Util.getFormFHIRData('QuestionnaireResponse', 'R4', document.getElementById('form'));
                }""",
                [questionnaire, response],
            )
            if screenshot is not None:
                page.screenshot(path=str(screenshot), full_page=False)
        finally:
            browser.close()
    return json.loads(json.dumps(result))
