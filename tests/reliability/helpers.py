"""Shared steps: a marked save (a unique text per save) and reading what the database holds."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from sqlalchemy import create_engine, select

from bench.filler import Relative, answers_for
from webapp.db import Response

PAGE = "strain_time_health"
TEXT_ITEM = "strain_time_text"
SHIPPED_FORMS = Path(__file__).resolve().parents[2] / "forms"
LOCK = "published.lock"


def marked_save(rel: Relative, marker: str, base: str | None = None):
    """Fetch the page (fresh fingerprints), answer it and post it with ``marker`` as the free text."""
    url = f"/svar/{rel.rid}/del/{PAGE}"
    page = rel.http.get((base or rel.base) + url, timeout=30).text
    data = answers_for(page, rel.rng)
    data[TEXT_ITEM] = marker
    data["_nav"] = "next"
    return rel.http.post((base or rel.base) + url, data=data, timeout=30, allow_redirects=False)


def stored_answers(db_url: str) -> dict[str, dict]:
    """Every response's answers as the database holds them now, by response id."""
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            return {row.id: row.answers for row in conn.execute(select(Response.id, Response.answers))}
    finally:
        engine.dispose()


def pinned_forms(target: Path) -> Path:
    """The shipped forms with parorende-kartlegging pinned to 1.1.0 (2.0.0 left out); return the folder.

    The reliability tests are about mechanics (concurrent saves, crashes, outages), not content:
    they save known items of 1.1.0 (PAGE, TEXT_ITEM, strain_time_1/2), so they run on that version.
    """
    if not (target / LOCK).exists():
        shutil.copytree(
            SHIPPED_FORMS, target, ignore=shutil.ignore_patterns("2.0.0.yaml", LOCK), dirs_exist_ok=True
        )
        for leftover in SHIPPED_FORMS.glob("*/2.0.0.yaml"):  # keep every other form's 2.0.0
            if leftover.parent.name != "parorende-kartlegging":
                shutil.copy(leftover, target / leftover.parent.name / leftover.name)
        lock = json.loads((SHIPPED_FORMS / LOCK).read_text())
        lock.pop("parorende-kartlegging@2.0.0", None)
        (target / LOCK).write_text(json.dumps(lock, indent=2) + "\n")
    return target
