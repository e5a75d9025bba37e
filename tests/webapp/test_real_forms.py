"""The shipped forms (forms/) render on every page type, in every UI language."""

from __future__ import annotations

import re

import pytest

from webapp import create_app

from .conftest import csrf

FORMS = ["parorende-kartlegging", "parorende-oppfolging", "eksempel-kommune"]


@pytest.fixture
def real_app(tmp_path):
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


@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
@pytest.mark.parametrize("form_id", FORMS)
def test_every_section_renders(real_app, form_id, lang):
    client = real_app.test_client()
    client.get(f"/?lang={lang}")
    defn = real_app.config["FORM_REGISTRY"].latest_active(form_id)
    assert defn is not None, f"the shipped form {form_id} has no active version, or does not load"
    page = client.get("/").get_data(as_text=True)
    rid = client.post(f"/start/{form_id}", data={"csrf_token": csrf(page)}).headers["Location"].split("/")[2]
    page = client.get(f"/svar/{rid}/om").get_data(as_text=True)
    client.post(f"/svar/{rid}/om", data={"csrf_token": csrf(page)})
    for section in defn.sections:
        resp = client.get(f"/svar/{rid}/del/{section.id}")
        assert resp.status_code == 200, section.id
        html = resp.get_data(as_text=True)
        assert f'<html lang="{lang}">' in html
        assert section.title.get(lang if lang in defn.languages else defn.default_language) in html.replace(
            "&#39;", "'"
        )
    assert client.get(f"/svar/{rid}/oppsummering").status_code == 200


def test_municipality_page_lists_its_variant(real_app):
    client = real_app.test_client()
    page = client.get("/").get_data(as_text=True)
    assert "/start/parorende-kartlegging" in page and "/start/samarbeidsavtale" not in page
    muni = [d.municipality for d in real_app.config["FORM_REGISTRY"].active_forms() if d.municipality]
    if muni:
        page = client.get(f"/kommune/{muni[0].id}").get_data(as_text=True)
        assert "/start/" in page


def test_the_time_shown_says_it_grows_with_the_tasks(real_app, client):
    """Issue 11, honest about length: a form with task cards takes longer for one who helps with a
    lot; the front page says so after the range. A form without cards does not."""
    page = real_app.test_client().get("/").get_data(as_text=True)
    assert "Det tar lengre tid hvis du hjelper med mye." in page
    assert "Tar omtrent" in client.get("/").get_data(as_text=True)  # the test form: no cards
    assert "Det tar lengre tid hvis du hjelper med mye." not in client.get("/").get_data(as_text=True)


def test_the_mark_under_the_task_cards_says_it_covers_every_card(real_app):
    """A usability walk read the one «Bare til samtalen» box under the last card as that card's."""
    client = real_app.test_client()
    page = client.get("/").get_data(as_text=True)
    rid = (
        client.post("/start/parorende-kartlegging", data={"csrf_token": csrf(page)})
        .headers["Location"]
        .split("/")[2]
    )
    page = client.get(f"/svar/{rid}/om").get_data(as_text=True)
    client.post(f"/svar/{rid}/om", data={"csrf_token": csrf(page)})
    page = client.get(f"/svar/{rid}/del/tasks_checklist").get_data(as_text=True)
    data = {"csrf_token": csrf(page), "_nav": "next", "helps_with": ["shopping", "washing"]}
    data["_shown"] = re.search(r'name="_shown" value="([^"]*)"', page).group(1)
    client.post(f"/svar/{rid}/del/tasks_checklist", data=data)
    page = client.get(f"/svar/{rid}/del/task_cards").get_data(as_text=True)
    assert page.count("Bare til samtalen (gjelder alle svarene over)") == 1
    assert page.count(">Bare til samtalen</label>") == 3  # the three questions after the cards
