"""What the usability test of session 5 found on the relative's side, on the shipped assessment:
the receipt shows the code it talks about; the «new questions» notice names only questions and
every link in it leads somewhere; «children at home: yes» without a child is handled alike with
and without JavaScript."""

from __future__ import annotations

import re

import pytest

from webapp import create_app, responses

from .conftest import csrf
from .helpers import post_page
from .test_promises import start, submit


@pytest.fixture
def real(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "t",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'r.db'}",
            "ACCESS_LOG": False,
        }
    )
    yield app
    app.extensions["formengine_db"].engine.dispose()


@pytest.mark.parametrize("where", ["eksempel", None])
def test_the_receipt_shows_the_code_it_says_opens_the_copy(real, where):
    client = real.test_client()
    rid = start(client, where)
    if where is None:  # «Bare for meg selv»
        page = client.get(f"/svar/{rid}/hvem").get_data(as_text=True)
        client.post(f"/svar/{rid}/hvem", data={"csrf_token": csrf(page), "where": "private"})
    assert submit(client, rid).headers["Location"].endswith("/kvittering")
    with real.app_context():
        code = responses.format_code(responses.get(rid).code)
    page = client.get(f"/svar/{rid}/kvittering").get_data(as_text=True)
    assert f'Koden din: <strong class="code">{code}</strong>' in page
    assert "Skriv den ned eller ta bilde av den. Ikke del den med andre." in page
    assert "Koden din åpner denne siden og kopien din fram til" in page


def _ids(page: str) -> set[str]:
    return set(re.findall(r'\sid="([^"]+)"', page))


def test_new_questions_notice_names_only_questions_and_links_to_them(real):
    client = real.test_client()
    rid = start(client)
    url = f"/svar/{rid}/del/services"
    resp = post_page(client, url, {"services_more": "yes", "_nav": "next"})
    assert resp.status_code == 303
    location = resp.headers["Location"]
    assert "/del/services?mer=" in location and "experience_note" not in location
    page = client.get(location).get_data(as_text=True)
    notice = page[page.index("Svaret ditt ga nye spørsmål") :]
    notice = notice[: notice.index("</ul>")]
    items = re.findall(r"<li>(.*?)</li>", notice, re.S)
    assert items and all(re.sub(r"<[^>]+>", "", li).strip() for li in items)  # no empty bullet
    links = re.findall(r'href="#([^"]+)"', notice)
    assert len(links) == len(items) and set(links) <= _ids(page)
    assert "Hvor enig er du?" not in notice
    # the page moves to the first question: the fragment is an element that takes focus
    fragment = location.rpartition("#")[2]
    assert fragment == links[0] == "q-exp_heard"
    assert re.search(rf'id="{fragment}"[^>]*tabindex="-1"', page)


def test_children_at_home_yes_without_a_child_comes_back_once_saying_how_to_add(real):
    """Without JavaScript: «Ja» opens the list of children; the page comes back once, says how to
    add one and that she may go on without; the second press goes on (nothing is blocked)."""
    client = real.test_client()
    rid = start(client)
    url = f"/svar/{rid}/del/about_you"
    resp = post_page(client, url, {"has_minor_children": "yes", "_nav": "next"})
    assert resp.headers["Location"].endswith("/del/about_you?mer=children#q-children")
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Vil du legge til, trykk «Legg til et barn». Har du ingen å legge til" in page
    assert re.search(r'id="q-children"[^>]*tabindex="-1"', page)
    resp = post_page(client, url, {"has_minor_children": "yes", "_nav": "next"}, page)
    assert resp.status_code == 303 and "/del/about_you" not in resp.headers["Location"]
    with real.app_context():
        assert responses.get(rid).answers["has_minor_children"] == "yes"


def test_the_add_hint_is_not_shown_once_a_child_is_added(real):
    client = real.test_client()
    rid = start(client)
    url = f"/svar/{rid}/del/about_you"
    resp = post_page(client, url, {"has_minor_children": "yes", "_add": "children"})
    page = client.get(resp.headers["Location"].replace("#children-0", "") + "?mer=children").get_data(
        as_text=True
    )
    assert "Vil du legge til" not in page and 'name="children-0-child_age"' in page
