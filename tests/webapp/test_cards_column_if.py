"""A card column asked only when its condition holds (``show_if`` on a column), on the relative's
page without JavaScript (the test client): the rule for the browser script, the cell dropped on
save, and a question that opens keeps the relative on the page with focus on it."""

from __future__ import annotations

import re

import pytest

from tests.formengine.cards_form import EXPECTS_IF

from .cardsfixtures import cards_registry
from .helpers import make_app, start_response
from .test_cards_page import answers, post


@pytest.fixture
def app(tmp_path):
    app = make_app(tmp_path, cards_registry(tmp_path / "forms", expects_if=EXPECTS_IF))
    yield app
    app.extensions["formengine_db"].engine.dispose()


@pytest.fixture
def rid(client):
    return start_response(client, "kort")


def expects_fieldset(page: str, row: str) -> str:
    found = re.search(rf'<fieldset class="taskcard__q" id="q-tasks-{row}-expects"[^>]*>', page)
    assert found, f"no expects question on the {row} card"
    return found.group(0)


def cards_page(client, rid, ticked=("medicine",)):
    page = client.get(f"/svar/{rid}/del/what").get_data(as_text=True)
    assert post(client, rid, "what", page, helps_with=list(ticked)).status_code == 303
    return client.get(f"/svar/{rid}/del/cards").get_data(as_text=True)


def test_the_column_carries_its_condition_for_the_browser_and_starts_hidden(client, rid):
    page = cards_page(client, rid)
    tag = expects_fieldset(page, "medicine")
    # the card's own names, with the "not applicable" rule of the earlier column before it
    rule = re.search(r'data-show-if="([^"]*)"', tag).group(1).replace("&#39;", "'")
    assert rule == (
        "tasks.medicine.who_now != 'not_applicable' and "
        "(tasks.medicine.from_now in ['less', 'stop'] or tasks.medicine.who_now == 'services')"
    )
    assert tag.endswith(" hidden>"), "not asked before from_now or who_now is answered"
    assert not expects_fieldset(page, "medicine").count("tabindex")
    assert "tasks.medicine.expects" not in re.search(r'name="_shown" value="([^"]*)"', page).group(1)


def test_without_javascript_the_cell_is_dropped_on_save_when_its_condition_fails(app, client, rid):
    page = cards_page(client, rid)
    resp = post(
        client,
        rid,
        "cards",
        page,
        tasks__medicine__who_now="me",
        tasks__medicine__from_now="same",
        tasks__medicine__expects="help",
    )
    assert resp.status_code == 303 and "mer=" not in resp.headers["Location"]
    assert answers(app, rid)["tasks"] == {"medicine": {"who_now": "me", "from_now": "same"}}


def test_without_javascript_an_opened_question_keeps_the_relative_on_the_page_with_focus(app, client, rid):
    page = cards_page(client, rid)
    resp = post(client, rid, "cards", page, tasks__medicine__who_now="me", tasks__medicine__from_now="less")
    assert resp.headers["Location"].endswith("/del/cards?mer=tasks.medicine.expects#q-tasks-medicine-expects")
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    notice = re.search(r'<div class="notice" role="status">(.*?)</div>', page, re.S).group(1)
    assert "Svaret ditt ga et nytt spørsmål på denne siden:" in notice
    assert '<a href="#q-tasks-medicine-expects">Medisiner: Hva venter du av tjenestene?</a>' in notice
    tag = expects_fieldset(page, "medicine")
    assert 'tabindex="-1"' in tag and " hidden" not in tag
    # answering it moves on
    resp = post(
        client,
        rid,
        "cards",
        page,
        tasks__medicine__who_now="me",
        tasks__medicine__from_now="less",
        tasks__medicine__expects="take_over",
    )
    assert resp.status_code == 303 and "mer=" not in resp.headers["Location"]
    assert answers(app, rid)["tasks"]["medicine"] == {
        "who_now": "me",
        "from_now": "less",
        "expects": "take_over",
    }


def test_the_review_shows_only_the_cells_asked(app, client, rid):
    page = cards_page(client, rid, ("medicine", "shopping"))
    post(
        client,
        rid,
        "cards",
        page,
        tasks__medicine__who_now="me",
        tasks__medicine__from_now="same",
        tasks__medicine__expects="help",
        tasks__shopping__who_now="services",
        tasks__shopping__from_now="same",
    )
    review = client.get(f"/svar/{rid}/oppsummering").get_data(as_text=True)
    assert "Hjelp" not in review  # medicine's expects was not asked, and dropped
    assert "Tjenestene" in review


def test_the_authoring_preview_has_the_question_and_its_condition(tmp_path, monkeypatch):
    from tests.formengine.cards_form import cards_form

    from .authoringkit import MUNI, make_app, staff_client, upload

    app = make_app(tmp_path, monkeypatch)
    try:
        author = staff_client(app, "forms@testby.no", "form_admin")
        text = cards_form("testby-kort", expects_if=EXPECTS_IF).replace(
            "languages: [nb, nn, en]",
            f'municipality: {{id: "{MUNI}", name: Testby kommune}}\nlanguages: [nb, nn, en]',
        )
        resp = upload(author, file=text.encode())
        assert resp.status_code == 303, resp.get_data(as_text=True)[-2000:]
        page = author.get("/staff/forms/testby-kort/1.0.0/preview/cards").get_data(as_text=True)
        # every card's question is there (not hidden by the server); the script asks it as a relative would
        tag = expects_fieldset(page, "hygiene")
        assert " hidden" not in tag and "tasks.hygiene.from_now in [" in tag.replace("&#39;", "'")
    finally:
        app.extensions["formengine_db"].engine.dispose()
