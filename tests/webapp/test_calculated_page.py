"""Calculated and read-only items on the relative's page, without JavaScript (the test client)."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from formengine.definition.registry import load_registry
from webapp import responses

from .conftest import csrf
from .helpers import make_app, start_response
from .test_axe import axe_script  # noqa: F401 - the fixture that fetches axe-core

SHOTS = Path(__file__).resolve().parents[2] / ".cache"

FORM = """\
id: kalk
version: 1.0.0
status: active
title: Beregning
languages: [nb]
default_language: nb
sections:
  - id: body
    title: Kropp
    items:
      - id: weight
        type: number
        integer: false
        label: Vekt (kg)
      - id: height
        type: number
        label: Høyde (cm)
      - id: bmi
        type: number
        integer: false
        label: Kroppsmasseindeks
        calculated: round(weight / ((height / 100) * (height / 100)), 1)
      - id: heavy
        type: yes_no
        label: Vil du snakke om vekt?
        show_if: bmi > 25
      - id: mood
        type: single_choice
        label: Humør
        options:
          - {value: good, label: Godt, score: 0}
          - {value: bad, label: Dårlig, score: 3}
      - id: total
        type: number
        label: Sum
        calculated:
          fhirpath: "%resource.repeat(item).where(linkId='mood').answer.value.weight().sum()"
      - id: case_no
        type: text
        label: Saksnummer
        read_only: true
  - id: end
    title: Slutt
    items:
      - id: note
        type: long_text
        label: Noe mer?
      - id: place
        type: text
        label: Hvor bor du?
        initial: Hjemme
"""


@pytest.fixture
def app(tmp_path):
    path = tmp_path / "forms" / "kalk" / "1.0.0.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(textwrap.dedent(FORM), "utf-8")
    registry = load_registry(tmp_path / "forms")
    assert not registry.problems, [p.format() for p in registry.problems]
    app = make_app(tmp_path, registry)
    yield app
    app.extensions["formengine_db"].engine.dispose()


@pytest.fixture
def rid(client):
    return start_response(client, "kalk")


def post(client, rid, page, **data):
    shown = re.search(r'name="_shown" value="([^"]*)"', page).group(1)
    form = {"csrf_token": csrf(page), "_shown": shown, "_nav": "next", **data}
    return client.post(f"/svar/{rid}/del/body", data=form)


def stored(app, rid):
    with app.app_context():
        return responses.get(rid).answers


def test_calculated_items_are_shown_read_only_and_computed_on_save(app, client, rid):
    page = client.get(f"/svar/{rid}/del/body").get_data(as_text=True)
    # no input for a read-only or calculated item: an <output> with the value and what it is
    enabled = re.findall(r'<input(?![^>]*\bdisabled\b)[^>]*name="([a-z_]+)"', page)
    assert {"bmi", "total", "case_no"}.isdisjoint(enabled) and "weight" in enabled
    assert 'name="bmi" data-mirror="bmi" value="" hidden disabled' in page  # for show_if, never sent
    assert "calc.js" in page
    assert '<output class="readonly" id="bmi"' in page
    assert 'data-calc="round(weight / ((height / 100) * (height / 100)), 1)"' in page  # live with JS
    assert "data-calc" not in page.split('id="total"', 1)[1].split("</output>")[0]  # FHIRPath: server only
    assert "Regnes ut fra svarene dine når du lagrer" in page
    # a page that sends values for them (a tampered post) changes nothing
    resp = post(client, rid, page, weight="70", height="175", mood="bad", bmi="5", total="99", case_no="X")
    assert resp.status_code == 303
    assert stored(app, rid) == {
        "weight": 70,
        "height": 175,
        "mood": "bad",
        "bmi": 22.9,
        "total": 3,
        "place": "Hjemme",  # the initial value a new response starts with
    }
    page = client.get(f"/svar/{rid}/del/body").get_data(as_text=True)
    value = page.split('<output class="readonly" id="bmi"', 1)[1].split("</output>")[0]
    assert value.rsplit(">", 1)[1].strip() == "22,9"
    total = page.split('<output class="readonly" id="total"', 1)[1].split("</output>")[0]
    assert total.rsplit(">", 1)[1].strip() == "3"
    # the answer it depends on goes: so does the calculated value
    page = client.get(f"/svar/{rid}/del/body").get_data(as_text=True)
    post(client, rid, page, weight="70", height="", mood="bad")
    assert "bmi" not in stored(app, rid)


def test_a_new_response_starts_with_the_initial_values(app, client, rid):
    # the sum of no answers' weights is 0 in FHIRPath, so the FHIRPath total starts at 0
    assert stored(app, rid) == {"place": "Hjemme", "total": 0}
    page = client.get(f"/svar/{rid}/del/end").get_data(as_text=True)
    assert 'name="place" type="text" value="Hjemme"' in page or 'value="Hjemme"' in page


def test_review_shows_the_calculated_value(app, client, rid):
    page = client.get(f"/svar/{rid}/del/body").get_data(as_text=True)
    post(client, rid, page, weight="80", height="200", mood="good")
    review = client.get(f"/svar/{rid}/oppsummering").get_data(as_text=True)
    assert "Kroppsmasseindeks" in review and "20" in review.split("Kroppsmasseindeks", 1)[1][:200]


@pytest.mark.browser
def test_calculated_value_follows_the_answers_live_with_javascript(app, axe_script):  # noqa: F811
    """With JavaScript the BMI follows what is typed; the FHIRPath total says it comes on save."""
    import threading

    from playwright.sync_api import sync_playwright
    from werkzeug.serving import make_server

    from .browserkit import choose_recipient, launch, new_context
    from .test_axe import violations

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}"
    try:
        with sync_playwright() as p:
            browser = launch(p)
            page = new_context(browser, bypass_csp=True).new_page()  # bypass_csp: axe is injected
            page.goto(url + "/")
            page.click("form[action='/start/kalk'] button")
            page.click("main form button[type=submit]")  # consent
            choose_recipient(page)
            page.fill("#weight", "70")
            page.fill("#height", "175")
            assert page.text_content("#bmi").strip() == "22,9"
            assert "mens du fyller ut" in page.text_content("#bmi-note")
            assert "når du lagrer" in page.text_content("#total-note")
            page.fill("#height", "")
            assert page.text_content("#bmi").strip() == "Ikke regnet ut ennå"
            assert page.is_hidden("#q-heavy")
            page.fill("#height", "160")  # 27.3: a question that depends on the BMI opens, live
            assert page.is_visible("#q-heavy")
            page.fill("#height", "180")
            assert page.is_hidden("#q-heavy")
            assert page.text_content("#bmi").strip() == "21,6"  # 21.604…, rounded as the server does
            page.screenshot(path=str(SHOTS / "calculated.png"), full_page=True)
            assert violations(page, axe_script) == []  # WCAG 2.1 A/AA
            browser.close()
    finally:
        server.shutdown()
