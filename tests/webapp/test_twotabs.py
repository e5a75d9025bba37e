"""Two tabs on one page of the shipped assessment: nothing the other tab saved is lost.

Tab 1 and tab 2 show «Deg og den du hjelper» at the same time; each changes its own questions
and one question both. The second save lists only the question both changed, shows every answer
the other tab saved, and keeping the page erases none of them (usability test s5, finding 1).
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from werkzeug.datastructures import MultiDict

from webapp import create_app, responses

from .conftest import csrf
from .helpers import post_page
from .test_promises import start

TEXT = "condition_own_words"


class _FormState(HTMLParser):
    """What a browser would post for the answers form as the page shows it (no button pressed)."""

    def __init__(self) -> None:
        super().__init__()
        self.pairs: list[tuple[str, str]] = []
        self._inside = False
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id") == "answers":
            self._inside = True
        if not self._inside or "name" not in a or "disabled" in a:
            return
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("radio", "checkbox"):
                if "checked" in a:
                    self.pairs.append((a["name"], a.get("value") or "on"))
            elif kind not in ("submit", "button"):
                self.pairs.append((a["name"], a.get("value") or ""))
        elif tag == "textarea":
            self._textarea, self._text = a["name"], ""

    def handle_data(self, data):
        if self._textarea is not None:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            self.pairs.append((self._textarea, self._text.removeprefix("\r\n").removeprefix("\n")))
            self._textarea = None
        elif tag == "form":
            self._inside = False


def as_shown(page: str) -> list[tuple[str, str]]:
    parser = _FormState()
    parser.feed(page)
    assert parser.pairs, "no answers form on the page"
    return parser.pairs


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


def _answers(app, rid):
    with app.app_context():
        return responses.get(rid).answers


def _two_tabs(app):
    client = app.test_client()
    rid = start(client)
    url = f"/svar/{rid}/del/about_you"
    return client, rid, url, client.get(url).get_data(as_text=True), client.get(url).get_data(as_text=True)


def _keep(client, url, page):
    """Press «Lagre og gå videre» on the conflict page, changing nothing."""
    assert csrf(page)
    return client.post(url, data=MultiDict([*as_shown(page), ("_nav", "next")]))


def _conflict_list(page: str) -> str:
    start = page.index("Svarene dine ble endret et annet sted")
    return page[start : page.index("</ul>", start)]


@pytest.mark.parametrize("first", ["tab1", "tab2"])
def test_keeping_the_conflict_page_keeps_what_only_the_other_tab_saved(real, first):
    client, rid, url, page1, page2 = _two_tabs(real)
    tab1 = {"relation": "partner", TEXT: "Tab 1 tekst", "_nav": "next"}
    tab2 = {"lives_together": "together", TEXT: "Tab 2 tekst", "_nav": "next"}
    (a, a_page), (b, b_page) = ((tab1, page1), (tab2, page2))[:: 1 if first == "tab1" else -1]
    assert post_page(client, url, a, a_page).status_code == 303
    resp = post_page(client, url, b, b_page)  # the stale tab
    page = resp.get_data(as_text=True)
    assert resp.status_code == 409
    listed = _conflict_list(page)
    assert "Hva strever den du hjelper med?" in listed  # the one question both changed
    assert "Hva er du for den du hjelper?" not in listed and "Bor dere sammen?" not in listed
    shown = dict(as_shown(page))
    # the other tab's answer is shown, this tab's answers too, and its text where both wrote one
    assert shown["relation"] == "partner" and shown["lives_together"] == "together"
    assert shown[TEXT] == b[TEXT]
    assert _answers(real, rid)[TEXT] == a[TEXT]  # nothing overwritten yet
    assert _keep(client, url, page).status_code == 303
    saved = _answers(real, rid)
    assert saved["relation"] == "partner" and saved["lives_together"] == "together"
    assert saved[TEXT] == b[TEXT]


def test_a_choice_both_tabs_changed_is_listed_and_the_other_answers_kept(real):
    client, rid, url, page1, page2 = _two_tabs(real)
    post_page(client, url, {"relation": "partner", TEXT: "Tab 1 tekst"}, page1)
    resp = post_page(client, url, {"relation": "parent", "lives_together": "far"}, page2)
    page = resp.get_data(as_text=True)
    assert resp.status_code == 409
    listed = _conflict_list(page)
    assert "Hva er du for den du hjelper?" in listed and "Hva strever" not in listed
    shown = dict(as_shown(page))
    assert shown["relation"] == "parent" and shown[TEXT] == "Tab 1 tekst"
    # she takes the other tab's answer for the conflict and saves: both tabs' answers stay
    data = [(k, v) for k, v in as_shown(page) if k != "relation"] + [("relation", "partner")]
    assert client.post(url, data=MultiDict([*data, ("_nav", "next")])).status_code == 303
    saved = _answers(real, rid)
    assert saved["relation"] == "partner" and saved["lives_together"] == "far"
    assert saved[TEXT] == "Tab 1 tekst"


def test_a_person_added_in_the_other_tab_survives_the_conflict_page(real):
    client, rid, url, page1, page2 = _two_tabs(real)
    added = post_page(client, url, {"_add": "people_helped"}, page1)
    page = client.get(added.headers["Location"]).get_data(as_text=True)
    entry = {
        "people_helped-0-E": "1",
        "people_helped-0-person_relation": "other",
        "people_helped-0-person_condition": "Barnebarnet",
        TEXT: "Tab 1 tekst",
    }
    assert post_page(client, url, entry, page).status_code == 303
    resp = post_page(client, url, {"lives_together": "together", TEXT: "Tab 2 tekst"}, page2)
    page = resp.get_data(as_text=True)
    assert resp.status_code == 409 and "Legg dem til her" not in _conflict_list(page)
    assert dict(as_shown(page))["people_helped-0-person_condition"] == "Barnebarnet"
    assert _keep(client, url, page).status_code == 303
    saved = _answers(real, rid)
    assert saved["people_helped"] == [{"person_relation": "other", "person_condition": "Barnebarnet"}]
    assert saved["lives_together"] == "together" and saved[TEXT] == "Tab 2 tekst"


def _marks(app, rid):
    """The marks on relation and lives_together (other items start marked by default)."""
    with app.app_context():
        return sorted(set(responses.get(rid).conversation_only) & {"relation", "lives_together"})


def test_a_for_the_conversation_only_mark_from_the_other_tab_is_kept(real):
    """«Bare til samtalen» ticked in tab 1 stays ticked when the stale tab 2 saves (no conflict)."""
    client, rid, url, page1, page2 = _two_tabs(real)
    post_page(client, url, {"relation": "partner", "_co": "relation"}, page1)
    assert (
        post_page(client, url, {"lives_together": "together", "_co": "lives_together"}, page2).status_code
        == 303
    )
    assert _marks(real, rid) == ["lives_together", "relation"]
    # and a tab that unticks its own mark removes only that one
    page = client.get(url).get_data(as_text=True)
    post_page(
        client, url, {"relation": "partner", "lives_together": "together", "_co": "lives_together"}, page
    )
    assert _marks(real, rid) == ["lives_together"]


def test_the_conflict_page_shows_and_keeps_both_tabs_marks(real):
    client, rid, url, page1, page2 = _two_tabs(real)
    post_page(client, url, {"relation": "partner", TEXT: "Tab 1 tekst", "_co": "relation"}, page1)
    resp = post_page(
        client, url, {TEXT: "Tab 2 tekst", "lives_together": "far", "_co": "lives_together"}, page2
    )
    page = resp.get_data(as_text=True)
    assert resp.status_code == 409
    assert ("_co", "relation") in as_shown(page) and ("_co", "lives_together") in as_shown(page)
    assert _keep(client, url, page).status_code == 303
    assert _marks(real, rid) == ["lives_together", "relation"]
