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
from collections.abc import Iterator
from contextlib import contextmanager
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


# LHC-Forms shows rendering-xhtml only with this template option (off by default in lforms 40);
# a host that embeds LHC-Forms must set it too, or it shows the plain ``text`` fallback
TEMPLATE_OPTIONS = {"allowHTML": True}

LOAD = """async ([q, qr, options]) => {
    const form = LForms.Util.convertFHIRQuestionnaireToLForms(q, 'R4');
    const filled = qr ? LForms.Util.mergeFHIRDataIntoLForms('QuestionnaireResponse', qr, form, 'R4') : form;
    await LForms.Util.addFormToPage(filled, 'form', options);
}"""

# what the page shows of our markup: bold, paragraphs, and anything that should never be there
FORMATTING = """() => {
    const form = document.getElementById('form');
    return {
        strong: form.querySelectorAll('strong').length,
        paragraphs: form.querySelectorAll('p').length,
        script: form.querySelectorAll('script, img, iframe').length,
        bold_text: [...form.querySelectorAll('strong')].map(e => e.textContent).slice(0, 5),
        text: form.innerText,
        title: document.title,
    };
}"""


@contextmanager
def lhc_page(dist: Path, viewport: tuple[int, int] = (1280, 900)) -> Iterator[Any]:
    """A Chromium page with LHC-Forms loaded (served from ``dist`` through Playwright routes)."""
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
            yield page
        finally:
            browser.close()


def round_trip(
    dist: Path,
    questionnaire: dict[str, Any],
    response: dict[str, Any],
    screenshot: Path | None = None,
    viewport: tuple[int, int] = (1280, 900),
) -> dict[str, Any]:
    """Load ``questionnaire`` pre-filled with ``response`` into LHC-Forms; return its response."""
    with lhc_page(dist, viewport) as page:
        page.evaluate(LOAD, [questionnaire, response, TEMPLATE_OPTIONS])
        result = page.evaluate(
            "() => LForms.Util.getFormFHIRData('QuestionnaireResponse', 'R4', document.getElementById('form'))"
        )
        if screenshot is not None:
            page.screenshot(path=str(screenshot), full_page=False)
    return json.loads(json.dumps(result))


def formatting(
    dist: Path,
    questionnaire: dict[str, Any],
    screenshot: Path | None = None,
    viewport: tuple[int, int] = (1280, 900),
) -> dict[str, Any]:
    """Render ``questionnaire`` (empty) in LHC-Forms; return what shows of our markup (FORMATTING)."""
    with lhc_page(dist, viewport) as page:
        page.evaluate(LOAD, [questionnaire, None, TEMPLATE_OPTIONS])
        facts = page.evaluate(FORMATTING)
        if screenshot is not None:
            page.screenshot(path=str(screenshot), full_page=False)
    return dict(facts)


def make_screenshots(root: Path) -> list[Path]:
    """docs/screenshots/fhir-lhc-forms-{1280,390}.png: the core assessment 1.1.0 (a bold, five-paragraph intro)."""
    from formengine.definition.registry import load_registry
    from formengine.fhir.export import export_questionnaire

    defn = load_registry(root / "forms").get("parorende-kartlegging", "1.1.0")
    questionnaire = export_questionnaire(defn)
    dist = lforms_dist(root / ".cache")
    out = []
    for width, height in ((1280, 900), (390, 844)):
        target = root / "docs" / "screenshots" / f"fhir-lhc-forms-{width}.png"
        formatting(dist, questionnaire, target, (width, height))
        out.append(target)
    return out


if __name__ == "__main__":  # python3 -m tests.fhir_clients.lhc_roundtrip
    for made in make_screenshots(Path(__file__).resolve().parents[2]):
        print(made)
