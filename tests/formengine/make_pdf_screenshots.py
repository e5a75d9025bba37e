"""Write a PNG of every page of each printed document to docs/screenshots/ (pdf-<kind>-N.png).

Kinds: summary (the meeting copy), record (the Journalkopi), relative (the relative's own copy)
and agreement. Run from the repository root: ``python3 -m tests.formengine.make_pdf_screenshots``.
Needs ``pdftoppm`` (poppler-utils).
"""

from __future__ import annotations

import datetime as dt
import subprocess
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
META = {
    "municipality": "Eksempel kommune",
    "case_ref": "2026/0042",
    "submitted_at": dt.datetime(2026, 11, 20, 14, 5),
    "conversation_only": ["hard_to_say"],
}


def main(out: Path = ROOT / "docs" / "screenshots") -> list[Path]:
    from formengine import sample_answers
    from formengine.definition.registry import load_registry
    from formengine.summary import render_agreement_pdf, render_summary_pdf

    registry = load_registry(ROOT / "forms")
    core = registry.latest_active("parorende-kartlegging")
    agreement = registry.latest_active("samarbeidsavtale")
    answers = sample_answers(core)
    docs = {
        kind: render_summary_pdf(core, answers, copy=copy, meta=META)
        for kind, copy in (("summary", "meeting"), ("record", "record"), ("relative", "relative"))
    }
    handling = [
        {
            "severity_label": "Viktig",
            "message": "Det bor barn under 18 år i hjemmet.",
            "how": "Tiltak 1: Tilby samtale med barna og informasjon om barn som pårørende",
        },
        {
            "severity_label": "Følg opp",
            "message": "Den pårørende vet ikke hvem de skal ringe i en krise.",
            "how": "Kriseplanen er laget i møtet",
        },
    ]
    docs["agreement"] = render_agreement_pdf(
        agreement, sample_answers(agreement), meta={**META, "flag_handling": handling}
    )
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        for kind, data in docs.items():
            for old in out.glob(f"pdf-{kind}-*.png"):
                old.unlink()
            source = Path(tmp) / f"{kind}.pdf"
            source.write_bytes(data)
            subprocess.run(
                ["pdftoppm", "-png", "-r", "60", str(source), str(out / f"pdf-{kind}")], check=True
            )
            written += sorted(out.glob(f"pdf-{kind}-*.png"))
    return written


if __name__ == "__main__":
    for path in main():
        print(path.relative_to(ROOT))
