"""The relative's page for nested groups without JavaScript (issue #15): a group is a fieldset with
its heading as legend, a hidden group hides all it holds, answers that open a group keep the
relative on the page, and entries of a repeat inside a repeat are added and removed (asking first)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from formengine.definition.registry import load_registry
from webapp import responses

from .conftest import csrf
from .helpers import make_app, start_response

FORMS = Path(__file__).resolve().parents[1] / "data" / "forms"


@pytest.fixture
def app(tmp_path):
    registry = load_registry(FORMS)
    assert not registry.problems, [p.format() for p in registry.problems]
    app = make_app(tmp_path, registry)
    yield app
    app.extensions["formengine_db"].engine.dispose()


@pytest.fixture
def rid(client):
    return start_response(client, "nested-groups")


def shown(page: str) -> str:
    return re.search(r'name="_shown" value="([^"]*)"', page).group(1)


def post(client, rid, page, **data):
    form = {"csrf_token": csrf(page), "_shown": shown(page), "_nav": "next"}
    form.update({k.replace("__", "-"): v for k, v in data.items()})
    return client.post(f"/svar/{rid}/del/home", data=form)


def stored(app, rid):
    with app.app_context():
        return responses.get(rid).answers


def open_(client, url):
    return client.get(url).get_data(as_text=True)


def group_tag(page: str, ident: str) -> str:
    return re.search(rf'<(?:fieldset|div) class="group" id="g-{ident}"[^>]*>', page).group(0)


def test_a_group_is_a_fieldset_with_its_heading_and_hidden_until_opened(client, app, rid):
    page = open_(client, f"/svar/{rid}/del/home")
    tag = group_tag(page, "household")
    assert (
        tag.startswith("<fieldset")
        and " hidden" in tag
        and 'data-show-if="lives_with == &#39;yes&#39;"' in tag
    )
    assert re.search(r'id="g-household"[^>]*>\s*<legend class="group__title">Husstanden</legend>', page)
    assert group_tag(page, "nights").startswith("<div")  # no heading: no fieldset without a legend
    # the answer opens the group: the relative stays on the page and is told what opened
    resp = post(client, rid, page, lives_with="yes")
    assert (
        resp.status_code == 303
        and "mer=" in resp.headers["Location"]
        and "/del/home" in resp.headers["Location"]
    )
    page = open_(client, resp.headers["Location"])
    assert " hidden" not in group_tag(page, "household")
    assert "Hvor mange rom har boligen?" in page.split('role="status"')[1].split("</div>")[0]


def test_entries_of_a_nested_repeat_are_added_and_removed_without_javascript(client, app, rid):
    page = open_(client, f"/svar/{rid}/del/home")
    resp = post(client, rid, page, lives_with="yes", _add="people")
    assert resp.headers["Location"].endswith("#people-0")
    page = open_(client, resp.headers["Location"])
    assert 'data-entry="people-0-"' in page and 'name="people-0-person_name"' in page
    # the group inside the entry is hidden until "gets help" is yes (this entry only)
    assert " hidden" in group_tag(page, "people-0-person_help")
    resp = post(
        client,
        rid,
        page,
        lives_with="yes",
        people__0__E="1",
        people__0__person_name="Ola",
        people__0__gets_help="yes",
        _add="people-0-services",
    )
    assert resp.headers["Location"].endswith("#people-0-services-0")
    assert stored(app, rid)["people"] == [{"person_name": "Ola", "gets_help": "yes", "services": [{}]}]
    page = open_(client, resp.headers["Location"])
    assert " hidden" not in group_tag(page, "people-0-person_help")
    assert 'name="people-0-services-0-service_kind"' in page
    data = dict(
        lives_with="yes",
        people__0__E="1",
        people__0__person_name="Ola",
        people__0__gets_help="yes",
        people__0__services__0__E="1",
        people__0__services__0__service_kind="practical",
    )
    resp = post(client, rid, page, **data, _add="people-0-services")
    page = open_(client, resp.headers["Location"])
    data.update(
        people__0__services__1__E="1",
        people__0__services__1__service_kind="day_centre",
        people__0__services__1__service_ok="no",
    )
    post(client, rid, page, **data)
    services = stored(app, rid)["people"][0]["services"]
    assert services == [{"service_kind": "practical"}, {"service_kind": "day_centre", "service_ok": "no"}]
    # removing asks first; the entry stays until confirmed
    page = open_(client, f"/svar/{rid}/del/home")
    assert 'value="people-0-services:0"' in page
    resp = post(client, rid, page, **data, _remove="people-0-services:0")
    assert "fjern=people-0-services:0" in resp.headers["Location"].replace("%3A", ":")
    assert len(stored(app, rid)["people"][0]["services"]) == 2
    page = open_(client, resp.headers["Location"])
    assert 'id="people-0-services-0-confirm"' in page
    resp = post(client, rid, page, **data, _remove_confirmed="people-0-services:0")
    assert stored(app, rid)["people"][0]["services"] == [{"service_kind": "day_centre", "service_ok": "no"}]


def test_a_hidden_group_hides_its_answers_on_save(client, app, rid):
    page = open_(client, f"/svar/{rid}/del/home")
    post(client, rid, page, lives_with="yes", rooms="3", sleep="often")
    page = open_(client, f"/svar/{rid}/del/home")
    assert 'value="3"' in page
    review = open_(client, f"/svar/{rid}/oppsummering")
    assert re.search(
        r'<h3 class="group-heading">Husstanden</h3><dl>\s*<dt>Hvor mange rom har boligen\?</dt>', review
    )
    assert "Hvor ofte blir søvnen din avbrutt?" in review  # in the group without a heading
    post(client, rid, page, lives_with="no", rooms="3", sleep="often")
    page = open_(client, f"/svar/{rid}/del/home")
    assert " hidden" in group_tag(page, "household")
    review = open_(client, f"/svar/{rid}/oppsummering")
    assert "Hvor mange rom" not in review
