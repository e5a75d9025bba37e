"""Print how many bytes a relative's phone downloads for the heaviest form page, gzip-compressed.

Counts the HTML of every section page of the national assessment plus the CSS and JavaScript
it loads (each gzip-compressed, level 6 like a typical web server), and prints the largest
total. Budget: 30 KB. Usage: ``python3 bench/page_weight.py [FORM_ID]``.
"""
from __future__ import annotations

import gzip
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BUDGET = 30 * 1024


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def _fetch(client, path: str) -> bytes:
    response = client.get(path)
    try:
        return response.get_data()
    finally:
        response.close()  # static files are streamed from an open file


def measure(form_id: str = "parorende-kartlegging") -> list[tuple[str, int, int, int]]:
    """Return (section id, html bytes, compressed html bytes, compressed total) for every section."""
    from webapp import create_app

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"TESTING": True, "SECRET_KEY": "bench", "ACCESS_LOG": False,
                          "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3"})
        client = app.test_client()
        defn = app.config["FORM_REGISTRY"].latest_active(form_id)
        page = client.get("/").get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        rid = client.post(f"/start/{form_id}", data={"csrf_token": token}).headers["Location"].split("/")[2]
        page = client.get(f"/svar/{rid}/om").get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        client.post(f"/svar/{rid}/om", data={"csrf_token": token})
        rows = []
        for section in defn.sections:
            html = client.get(f"/svar/{rid}/del/{section.id}").get_data()
            assets = re.findall(rb'(?:href|src)="(/static/[^"]+)"', html)
            total = gz(html) + sum(gz(_fetch(client, a.decode())) for a in assets)
            rows.append((section.id, len(html), gz(html), total))
        app.extensions["formengine_db"].engine.dispose()
        return rows


def main() -> int:
    rows = measure(*sys.argv[1:2])
    for sid, raw, html, total in rows:
        print(f"{sid:28} html {raw / 1024:6.1f} KB raw, {html / 1024:5.1f} KB gz; with CSS+JS {total / 1024:5.1f} KB gz")
    heaviest = max(rows, key=lambda r: r[3])
    print(f"heaviest page: {heaviest[0]} {heaviest[3] / 1024:.1f} KB gzip (budget {BUDGET // 1024} KB)")
    return 0 if heaviest[3] <= BUDGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
