"""Benchmark: load and validate the shipped forms, and score the full core assessment.

Run ``python bench/core.py`` from the repository root. Prints one small table; targets are
load < 0.3 s (median of 5 cold runs) and > 5,000 reports per second on one core. The
baseline is ``json.dumps`` of the same answers, measured in the same run, so the ratio
stays meaningful on a slower or busier machine.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from formengine import clear_scorer_cache, load_registry, score  # noqa: E402

ANSWERS = ROOT / "tests" / "data" / "answers" / "core_full_realistic.json"


def load_seconds(runs: int = 5) -> float:
    """Return the median time of ``runs`` cold loads of every shipped form."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        load_registry(ROOT / "forms")
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def per_second(func, seconds: float = 1.0) -> float:
    """Call ``func`` repeatedly for about ``seconds``; return calls per second (best of 3 rounds)."""
    best = 0.0
    for _ in range(3):
        count, start = 0, time.perf_counter()
        while (elapsed := time.perf_counter() - start) < seconds / 3:
            for _ in range(100):
                func()
            count += 100
        best = max(best, count / elapsed)
    return best


def main() -> int:
    """Print the table; exit 1 if a target is missed."""
    load = load_seconds()
    case = json.loads(ANSWERS.read_text("utf-8"))
    defn = load_registry(ROOT / "forms").get(case["form"], case["version"])
    answers = case["answers"]
    clear_scorer_cache()
    start = time.perf_counter()
    score(defn, answers, "nb")  # the first call compiles the scorer
    first = time.perf_counter() - start
    reports = per_second(lambda: score(defn, answers, "nb"))
    with_json = per_second(lambda: json.dumps(score(defn, answers, "nb").as_json(), sort_keys=True))
    baseline = per_second(lambda: json.dumps(answers, sort_keys=True))
    rows = [
        ("load + validate all shipped forms (median of 5)", f"{load * 1000:.0f} ms", "< 300 ms", load < 0.3),
        ("first score (compiles the scorer)", f"{first * 1000:.1f} ms", "", True),
        ("score(), full core form, complete answers", f"{reports:,.0f} /s", "> 5,000 /s", reports > 5000),
        ("score() + as_json() + json.dumps", f"{with_json:,.0f} /s", "", True),
        ("baseline: json.dumps(answers)", f"{baseline:,.0f} /s", "", True),
        ("scoring cost / baseline cost", f"{baseline / reports:.1f} x", "", True),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'result':>14}  {'target':>11}")
    for name, result, target, ok in rows:
        mark = "" if ok else "  MISSED"
        print(f"{name:<{width}}  {result:>14}  {target:>11}{mark}")
    return 0 if all(r[3] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
