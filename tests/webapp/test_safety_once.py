"""The safety box once per answer: shown live with JavaScript, on the next page without it.

The safety question's page carries a hidden ``_safety_seen`` field. ``app.js`` sets it to 1
while the live box shows; a browser without JavaScript posts it empty, so the next page shows
the box (``?trygg=1``). The browser side is in ``test_promises_browser.py``.
"""

from __future__ import annotations

import re

from .helpers import hidden, post_page
from .test_promises import real_app, rows, section_of, smtp, start, submit  # noqa: F401 (fixtures)

NEXT_PAGE_BOX = re.compile(r'<main[^>]*>.*?<section class="safety"', re.S)


def _save_yes(client, rid: str, sec: str, seen: str | None) -> str:
    """Answer the safety question "yes" on its page and save; return where the app sends us."""
    url = f"/svar/{rid}/del/{sec}"
    page = client.get(url).get_data(as_text=True)
    assert hidden(page, "_safety_seen") == ""  # empty until the script sees the live box
    data = {"safety_worry": "yes", "_safety_seen": hidden(page, "_safety_seen") if seen is None else seen}
    resp = post_page(client, url, data, page)
    assert resp.status_code == 303
    return resp.headers["Location"]


def test_without_javascript_the_next_page_shows_the_box(real_app):  # noqa: F811
    client = real_app.test_client()
    rid = start(client)
    target = _save_yes(client, rid, section_of(real_app, "safety_worry"), None)  # posted as it came
    assert "trygg=1" in target
    page = client.get(target).get_data(as_text=True)
    assert NEXT_PAGE_BOX.search(page) and 'href="tel:113"' in page and "116 117" in page


def test_with_the_live_box_seen_the_next_page_does_not_repeat_it(real_app, smtp):  # noqa: F811
    from webapp.promises import StaffAlert

    client = real_app.test_client()
    rid = start(client)
    target = _save_yes(client, rid, section_of(real_app, "safety_worry"), "1")
    assert "trygg" not in target and "/del/" in target
    page = client.get(target).get_data(as_text=True)
    assert 'class="safety"' not in page and "tel:113" not in page
    # the review and the receipt still show what to do, and the staff are still alerted
    assert "tel:113" in client.get(f"/svar/{rid}/oppsummering").get_data(as_text=True)
    submit(client, rid)
    receipt = client.get(f"/svar/{rid}/kvittering").get_data(as_text=True)
    assert "113" in receipt and "116 117" in receipt and "116 123" in receipt
    assert "harm_worry" in [a.flag_id for a in rows(real_app, StaffAlert)]
