"""Benchmark: warm time to render a full meeting summary, against plain text of the same length.

    python bench/pdf.py [--runs 5]

Prints the median of ``--runs`` timed renders after one warm-up, for (a) the full summary of a
typical complete response (HTML → PDF, scoring included) and (b) WeasyPrint rendering the
summary's own extracted text as plain paragraphs of the same length, in the same run, and
their ratio. Target: (a) under 0.5 s.
"""

from __future__ import annotations

import argparse
import html
import io
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pypdf import PdfReader  # noqa: E402

from formengine import load_registry, sample_answers  # noqa: E402
from formengine.summary import html_to_pdf, render_summary_pdf  # noqa: E402


def timed(fn, runs: int) -> tuple[float, object]:
    """Run ``fn`` once to warm up, then ``runs`` times; return the median seconds and the last result."""
    result = fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    defn = load_registry(ROOT / "forms").get("parorende-kartlegging", "1.1.0")
    answers = sample_answers(defn, text_every=3)  # most relatives write in some free-text fields
    meta = {"municipality": "Eksempel kommune", "case_ref": "2026/0042"}
    summary_s, pdf = timed(lambda: render_summary_pdf(defn, answers, meta=meta), args.runs)
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    plain = (
        "<!DOCTYPE html><html lang='nb'><body>"
        + "".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines())
        + "</body></html>"
    )
    plain_s, plain_pdf = timed(lambda: html_to_pdf(plain), args.runs)
    plain_pages = len(PdfReader(io.BytesIO(plain_pdf)).pages)
    print(
        f"summary:    {summary_s * 1000:7.1f} ms  ({len(reader.pages)} pages, {len(text)} characters, "
        f"median of {args.runs} after 1 warm-up; target < 500 ms)"
    )
    print(f"plain text: {plain_s * 1000:7.1f} ms  ({plain_pages} pages, same text as paragraphs)")
    print(f"ratio:      {summary_s / plain_s:7.2f} x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
