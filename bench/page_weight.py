"""Print how many bytes a relative's phone downloads for the heaviest form page.

Counts, for every section page of the national assessment, the bytes the app itself sends for
the HTML and for the CSS and JavaScript it loads, asked with a browser's Accept-Encoding, and
prints the largest total. Budget: 30 KB. Usage: ``python3 bench/page_weight.py [FORM_ID]``.
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.filler import BROWSER_ACCEPT_ENCODING, decode  # noqa: E402

BUDGET = 30 * 1024


ACCEPT = {"Accept-Encoding": BROWSER_ACCEPT_ENCODING}


def _fetch(client, path: str) -> tuple[int, int]:
    """(bytes sent, bytes decoded) for one GET with a browser's Accept-Encoding."""
    response = client.get(path.replace("&amp;", "&"), headers=ACCEPT)
    try:
        sent = response.get_data()
        encoding = response.headers.get("Content-Encoding")
    finally:
        response.close()  # static files are streamed from an open file
    return len(sent), len(decode(sent, encoding))


def measure(form_id: str = "parorende-kartlegging") -> list[tuple[str, int, int, int]]:
    """Return (section id, html bytes, html bytes sent, total bytes sent) for every section."""
    from webapp import create_app

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "bench",
                "ACCESS_LOG": False,
                "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
            }
        )
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
            path = f"/svar/{rid}/del/{section.id}"
            html_sent, html_raw = _fetch(client, path)
            html = client.get(path).get_data()
            assets = re.findall(rb'(?:href|src)="(/static/[^"]+)"', html)
            total = html_sent + sum(_fetch(client, a.decode())[0] for a in assets)
            rows.append((section.id, html_raw, html_sent, total))
        app.extensions["formengine_db"].engine.dispose()
        return rows


def main() -> int:
    rows = measure(*sys.argv[1:2])
    for sid, raw, html, total in rows:
        print(
            f"{sid:28} html {raw / 1024:6.1f} KB raw, {html / 1024:5.1f} KB sent; with CSS+JS {total / 1024:5.1f} KB sent"
        )
    heaviest = max(rows, key=lambda r: r[3])
    print(f"heaviest page: {heaviest[0]} {heaviest[3] / 1024:.1f} KB sent (budget {BUDGET // 1024} KB)")
    return 0 if heaviest[3] <= BUDGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
