"""The relative's page for a cards item and grouped options, without JavaScript (the test client)."""

from __future__ import annotations

import re

import pytest

from webapp import create_app, responses

from .cardsfixtures import cards_registry
from .conftest import csrf
from .helpers import make_app, start_response


@pytest.fixture
def app(tmp_path):
    app = make_app(tmp_path, cards_registry(tmp_path / "forms"))
    yield app
    app.extensions["formengine_db"].engine.dispose()


@pytest.fixture
def rid(client):
    return start_response(client, "kort")


def shown(page: str) -> str:
    return re.search(r'name="_shown" value="([^"]*)"', page).group(1)


def post(client, rid, section, page, **data):
    form = {"csrf_token": csrf(page), "_shown": shown(page), "_nav": "next"}
    form.update({k.replace("__", "-"): v for k, v in data.items()})
    return client.post(f"/svar/{rid}/del/{section}", data=form)


def answers(app, rid):
    with app.app_context():
        return responses.get(rid).answers


def test_grouped_options_render_as_fieldsets_with_headings(client, rid):
    page = client.get(f"/svar/{rid}/del/what").get_data(as_text=True)
    groups = re.findall(
        r'<fieldset class="option-group">\s*<legend class="option-group__title">([^<]+)</legend>', page
    )
    assert groups == ["Personlig stell", "Praktiske oppgaver"]
    # ids keep the options' positions, so error links and labels still point at the right box
    assert 'id="helps_with-2" name="helps_with" value="shopping"' in page


def test_one_card_per_ticked_option_with_a_radio_group_per_column(app, client, rid):
    page = client.get(f"/svar/{rid}/del/what").get_data(as_text=True)
    post(client, rid, "what", page, helps_with=["shopping", "medicine"])
    page = client.get(f"/svar/{rid}/del/cards").get_data(as_text=True)
    legends = re.findall(r'<fieldset class="taskcard"[^>]*>\s*<legend class="taskcard__title">([^<]+)<', page)
    assert legends == ["Medisiner", "Innkjøp", "Søvn", "Arbeid"]  # option order, then the fixed rows
    assert 'data-item="tasks.hygiene"' not in page, "a card for an option not ticked is not sent at all"
    card = page.split('data-item="tasks.shopping"', 1)[1].split('class="taskcard"', 1)[0]
    assert re.findall(r"<legend>([^<]+)</legend>", card) == [
        "Hvem gjør dette nå?",
        "Hvor mye vil du gjøre fra nå av?",
        "Hva venter du av tjenestene?",
    ]
    assert 'name="tasks-shopping-who_now" value="me"' in card
    # the browser script hides later questions live after "Ikke aktuelt"
    assert 'data-show-if="tasks.shopping.who_now != &#39;not_applicable&#39;"' in card


def test_without_javascript_a_not_applicable_answer_ends_the_card_on_save(app, client, rid):
    page = client.get(f"/svar/{rid}/del/what").get_data(as_text=True)
    post(client, rid, "what", page, helps_with=["medicine"])
    page = client.get(f"/svar/{rid}/del/cards").get_data(as_text=True)
    resp = post(
        client,
        rid,
        "cards",
        page,
        tasks__medicine__who_now="not_applicable",
        tasks__medicine__from_now="less",
        tasks__medicine__expects="help",
    )
    assert resp.status_code == 303 and resp.headers["Location"].endswith("/oppsummering")
    assert answers(app, rid)["tasks"] == {"medicine": {"who_now": "not_applicable"}}
    page = client.get(f"/svar/{rid}/del/cards").get_data(as_text=True)
    assert re.search(
        r'<fieldset class="taskcard__q" id="q-tasks-medicine-from_now" data-item="tasks.medicine.from_now"[^>]* hidden>',
        page,
    )
    assert re.search(
        r'<fieldset class="taskcard__q" id="q-tasks-medicine-who_now" data-item="tasks.medicine.who_now"\s*>',
        page,
    )


def test_without_javascript_questions_that_open_again_are_shown_before_moving_on(app, client, rid):
    page = client.get(f"/svar/{rid}/del/what").get_data(as_text=True)
    post(client, rid, "what", page, helps_with=["medicine"])
    page = client.get(f"/svar/{rid}/del/cards").get_data(as_text=True)
    post(client, rid, "cards", page, tasks__medicine__who_now="not_applicable")
    page = client.get(f"/svar/{rid}/del/cards").get_data(as_text=True)
    resp = post(client, rid, "cards", page, tasks__medicine__who_now="me")
    # the page names the card's questions that opened again and moves focus to the first
    assert resp.headers["Location"].endswith(
        "/del/cards?mer=tasks.medicine.from_now,tasks.medicine.expects#q-tasks-medicine-from_now"
    )
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert re.search(r'<fieldset class="taskcard__q" id="q-tasks-medicine-from_now"[^>]*tabindex="-1"', page)
    assert re.search(r'<a href="#q-tasks-medicine-from_now">[^<]+: ', page)
    assert re.search(r'data-item="tasks.medicine.from_now" tabindex="-1" data-show-if="[^"]*">', page), (
        "shown"
    )


def test_cards_for_options_no_longer_ticked_are_not_shown_or_scored(app, client, rid):
    page = client.get(f"/svar/{rid}/del/what").get_data(as_text=True)
    post(client, rid, "what", page, helps_with=["medicine", "shopping"])
    page = client.get(f"/svar/{rid}/del/cards").get_data(as_text=True)
    post(client, rid, "cards", page, tasks__medicine__who_now="me", tasks__shopping__who_now="me")
    page = client.get(f"/svar/{rid}/del/what").get_data(as_text=True)
    post(client, rid, "what", page, helps_with=["shopping"])
    page = client.get(f"/svar/{rid}/del/cards").get_data(as_text=True)
    assert 'data-item="tasks.medicine"' not in page
    review = client.get(f"/svar/{rid}/oppsummering").get_data(as_text=True)
    assert "Innkjøp: Jeg" in review and "Medisiner: Jeg" not in review


def test_an_invalid_cell_value_is_refused_and_the_stored_answer_kept(app, client, rid):
    page = client.get(f"/svar/{rid}/del/what").get_data(as_text=True)
    post(client, rid, "what", page, helps_with=["medicine"])
    page = client.get(f"/svar/{rid}/del/cards").get_data(as_text=True)
    post(client, rid, "cards", page, tasks__medicine__who_now="me")
    page = client.get(f"/svar/{rid}/del/cards").get_data(as_text=True)
    resp = post(client, rid, "cards", page, tasks__medicine__who_now="everyone")
    assert resp.status_code == 400
    page = resp.get_data(as_text=True)
    assert '<a href="#tasks-medicine-who_now-0">Velg ett av alternativene.</a>' in page
    assert 'id="tasks-medicine-who_now-error"' in page
    assert answers(app, rid)["tasks"] == {"medicine": {"who_now": "me"}}


def test_the_authoring_preview_shows_every_card_a_relative_could_get(tmp_path, monkeypatch):
    from tests.formengine.cards_form import cards_form

    from .authoringkit import MUNI, make_app, staff_client, upload

    app = make_app(tmp_path, monkeypatch)
    try:
        author = staff_client(app, "forms@testby.no", "form_admin")
        text = cards_form("testby-kort").replace(
            "languages: [nb, nn, en]",
            f'municipality: {{id: "{MUNI}", name: Testby kommune}}\nlanguages: [nb, nn, en]',
        )
        resp = upload(author, file=text.encode())
        assert resp.status_code == 303, resp.get_data(as_text=True)[-2000:]
        page = author.get("/staff/forms/testby-kort/1.0.0/preview/cards").get_data(as_text=True)
        legends = re.findall(r'<legend class="taskcard__title">([^<]+)<', page)
        assert legends == ["Vask og stell", "Medisiner", "Innkjøp", "Transport", "Søvn", "Arbeid"]
        assert not re.search(r'class="taskcard[^"]*"[^>]* hidden>', page), "no card or question is hidden"
    finally:
        app.extensions["formengine_db"].engine.dispose()


PRIORITY = """\
      - id: matters
        type: priority
        label: {nb: Hva er viktigst, nn: Kva er viktigast, en: What matters}
        max_choices: 2
        groups:
          - {id: a, label: {nb: Gruppe A, nn: Gruppe A, en: Group A}}
          - {id: b, label: {nb: Gruppe B, nn: Gruppe B, en: Group B}}
        options:
          - {value: rest, group: a, label: {nb: Hvile, nn: Kvile, en: Rest}}
          - {value: info, group: b, label: {nb: Info, nn: Info, en: Info}}
          - {value: work, group: a, label: {nb: Jobb, nn: Jobb, en: Work}}
"""


def test_a_grouped_priority_keeps_its_ranking(tmp_path):
    from formengine.definition.registry import load_registry
    from tests.formengine.cards_form import cards_form

    (tmp_path / "forms" / "kort").mkdir(parents=True)
    text = cards_form().replace("  - id: cards\n", PRIORITY + "  - id: cards\n", 1)
    (tmp_path / "forms" / "kort" / "1.0.0.yaml").write_text(text, "utf-8")
    registry = load_registry(tmp_path / "forms")
    assert registry.errors == []
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "t",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "FORM_REGISTRY": registry,
            "ACCESS_LOG": False,
        }
    )
    try:
        client = app.test_client()
        page = client.get("/").get_data(as_text=True)
        url = client.post("/start/kort", data={"csrf_token": csrf(page)}).headers["Location"]
        page = client.get(url).get_data(as_text=True)
        client.post(url, data={"csrf_token": csrf(page)})
        rid = url.split("/")[2]
        page = client.get(f"/svar/{rid}/del/what").get_data(as_text=True)
        block = page.split('id="q-matters"', 1)[1]
        assert re.findall(r'class="option-group__title">([^<]+)<', block) == ["Gruppe A", "Gruppe B"]
        assert block.index('value="work"') < block.index('value="info"')  # under its heading
        post(
            client,
            rid,
            "what",
            page,
            matters=["work", "info"],
            **{"matters__rank__work": "1", "matters__rank__info": "2"},
        )
        assert answers(app, rid)["matters"] == ["work", "info"]  # tap order kept, not option order
    finally:
        app.extensions["formengine_db"].engine.dispose()


def test_short_options_are_laid_out_in_rows_on_a_phone(client, rid):
    """Issue 11 (compact choices): the class comes from the definition (choice_layout): short
    options two to a row, a short scored scale in one row; grouped and long-label groups one per line."""
    page = client.get(f"/svar/{rid}/del/what").get_data(as_text=True)
    # the grouped checklist ("Vask og stell", "Medisiner" under headings): one per line
    assert re.findall(r'<div class="choices([^"]*)">', page) == ["", ""]
    post(client, rid, "what", page, helps_with=["shopping"])
    page = client.get(f"/svar/{rid}/del/cards").get_data(as_text=True)
    card = page.split('data-item="tasks.shopping"', 1)[1].split('class="taskcard"', 1)[0]
    grids = re.findall(r'<div class="choices([^"]*)">', card)
    # who now ("Han/hun selv", 12): two to a row; from now (scored, "Vil slutte"): one row;
    # expects ("At de tar over", 14): two to a row
    assert grids == [" choices--two", " choices--scale", " choices--two"]
    # the strain card: scored "Lite", "Mye" and "Ikke aktuelt": two points are no scale, two to a row
    strain = page.split('data-item="burden.sleep"', 1)[1].split('class="taskcard"', 1)[0]
    assert re.findall(r'<div class="choices([^"]*)">', strain) == [" choices--two"]
    assert strain.count('class="choice choice--apart"') == 1  # "Ikke aktuelt" is marked
    # in English "They do it themselves" (21) is too long for half a row: one per line
    client.get(f"/svar/{rid}/del/cards?lang=en")  # sets the language, then redirects
    page = client.get(f"/svar/{rid}/del/cards").get_data(as_text=True)
    card = page.split('data-item="tasks.shopping"', 1)[1].split('class="taskcard"', 1)[0]
    assert re.findall(r'<div class="choices([^"]*)">', card)[0] == ""
