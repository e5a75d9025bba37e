"""Shared steps: a marked save (a unique text per save) and reading what the database holds."""

from __future__ import annotations

from sqlalchemy import create_engine, select

from bench.filler import Relative, answers_for
from webapp.db import Response

PAGE = "strain_time_health"
TEXT_ITEM = "strain_time_text"


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
