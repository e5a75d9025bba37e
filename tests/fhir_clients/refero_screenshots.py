"""Screenshots of Helsenorge Refero rendering our core assessment (docs/screenshots/fhir-refero-*.png).

Usage: PYTHONPATH=. python3 -m tests.fhir_clients.refero_screenshots [version]
"""

from __future__ import annotations

import sys

from formengine.definition.registry import load_registry
from formengine.fhir.export import export_questionnaire
from tests.fhir_clients import refero_roundtrip as refero

SIZES = {"1280": (1280, 900), "390": (390, 844)}


def main(version: str = "2.0.0") -> None:
    defn = load_registry(refero.ROOT / "forms").get("parorende-kartlegging", version)
    questionnaire = export_questionnaire(defn)
    dist = refero.build()
    for name, size in SIZES.items():
        with refero.refero_page(dist, viewport=size) as page:
            refero.load(page, questionnaire)
            page.evaluate("document.fonts.ready")
            target = refero.ROOT / "docs" / "screenshots" / f"fhir-refero-{name}.png"
            page.screenshot(path=str(target))
            print(target)


if __name__ == "__main__":
    main(*sys.argv[1:])
