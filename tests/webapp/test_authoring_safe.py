"""Safe authoring: no publishing with a too-low version number or scaffold placeholders (TODO),
retiring in the browser (old responses still render), YAML errors in Norwegian with code and
location, and unknown references that list the valid values."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from webapp import db

from .authoringkit import (
    BROKEN_VARIANT,
    GOOD_VARIANT,
    MUNI,
    make_app,
    publish,
    source_row,
    staff_client,
    upload,
)
from .conftest import csrf

ADDED_ITEM = GOOD_VARIANT.replace("version: 1.0.0", "version: 1.0.1").replace(
    "      - id: local_callback",
    "      - id: local_extra\n        type: text\n        label: Noe mer?\n      - id: local_callback",
)
WITH_TODO = GOOD_VARIANT.replace("offers:\n", "# TODO: legg inn kommunens egne tilbud\noffers:\n")


@pytest.fixture
def app(tmp_path, monkeypatch):
    app = make_app(tmp_path, monkeypatch)
    yield app
    app.extensions["formengine_db"].engine.dispose()


@pytest.fixture
def author(app):
    return staff_client(app, "forms@testby.no", "form_admin")


def lock(app) -> str:
    path = Path(app.config["MUNICIPAL_FORMS"]) / "published.lock"
    return path.read_text() if path.exists() else ""


def test_publishing_a_too_low_version_number_is_refused_without_override(app, author):
    assert upload(author, GOOD_VARIANT).status_code == 303
    assert publish(author, "testby-kommune", "1.0.0").status_code == 303
    assert upload(author, ADDED_ITEM).status_code == 303  # saved as a draft, with the warning
    resp = publish(author, "testby-kommune", "1.0.1")
    page = resp.get_data(as_text=True)
    assert resp.status_code == 400
    assert "Versjonsnummeret er for lavt for disse endringene" in page
    assert "Denne versjonen er 1.0.1, men endringene krever minst 1.1.0." in page
    assert "testby-kommune@1.0.1" not in lock(app)
    saved = (Path(app.config["MUNICIPAL_FORMS"]) / "testby-kommune" / "1.0.1.yaml").read_text()
    assert "status: draft" in saved


def test_publishing_with_scaffold_placeholders_is_refused_with_their_lines(app, author):
    assert upload(author, WITH_TODO).status_code == 303
    resp = publish(author, "testby-kommune", "1.0.0")
    page = resp.get_data(as_text=True)
    assert resp.status_code == 400
    assert "plassholdere fra malen (TODO)" in page
    line = WITH_TODO.splitlines().index("# TODO: legg inn kommunens egne tilbud") + 1
    assert f"Linje {line}: # TODO: legg inn kommunens egne tilbud" in page
    assert "testby-kommune@1.0.0" not in lock(app)


def test_retire_in_the_browser_old_responses_still_render(app, author):
    from formengine.answers.samples import sample_answers
    from webapp import forms_access, responses
    from webapp.db import Response

    assert upload(author, GOOD_VARIANT).status_code == 303
    assert publish(author, "testby-kommune", "1.0.0").status_code == 303
    with app.app_context():
        defn = forms_access.registry().get("testby-kommune", "1.0.0")
        rid = responses.create_response(defn, origin="invite", municipality=MUNI, case_ref="R-1").response.id
        with db.session() as s:
            r = s.get(Response, rid)
            r.answers, r.status, r.submitted_at = sample_answers(defn, 1), "submitted", db.utcnow()
            s.commit()
    page = author.get("/staff/forms/testby-kommune/1.0.0").get_data(as_text=True)
    assert "Trekk tilbake denne versjonen" in page
    refused = author.post("/staff/forms/testby-kommune/1.0.0/retire", data={"csrf_token": csrf(page)})
    assert refused.status_code == 400 and "Kryss av" in refused.get_data(as_text=True)
    resp = author.post(
        "/staff/forms/testby-kommune/1.0.0/retire", data={"csrf_token": csrf(page), "confirm": "yes"}
    )
    assert resp.status_code == 303 and resp.headers["Location"].endswith("done=retired")
    page = author.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Trukket tilbake." in page and "Trekk tilbake denne versjonen" not in page
    with app.app_context():
        assert forms_access.registry().latest_active("testby-kommune") is None
        assert [d.id for d in forms_access.public_forms(MUNI)] != [
            "testby-kommune"
        ]  # the national form instead
    assert "testby-kommune@1.0.0" in lock(app)  # the published file and its hash are untouched
    coord = staff_client(app, "coord@testby.no", "coordinator")
    assert coord.get(f"/staff/a/{rid}").status_code == 200
    pdf = coord.get(f"/staff/a/{rid}/sammendrag.pdf")
    assert pdf.status_code == 200 and pdf.data[:4] == b"%PDF"
    again = author.post(
        "/staff/forms/testby-kommune/1.0.0/retire", data={"csrf_token": csrf(page), "confirm": "yes"}
    )
    assert again.status_code == 400


def test_a_draft_cannot_be_retired(app, author):
    assert upload(author, GOOD_VARIANT).status_code == 303
    page = author.get("/staff/forms/testby-kommune/1.0.0").get_data(as_text=True)
    resp = author.post(
        "/staff/forms/testby-kommune/1.0.0/retire", data={"csrf_token": csrf(page), "confirm": "yes"}
    )
    assert resp.status_code == 400 and "Bare en publisert versjon" in resp.get_data(as_text=True)


@pytest.mark.parametrize(
    "broken, line, words",
    [
        (
            GOOD_VARIANT.replace(
                "title:\n  nb: Kartlegging for pårørende – Testby",
                "title:\n  nb: Kartlegging: for pårørende – Testby",
            ),
            11,
            "et kolon står der det ikke kan stå",
        ),
        (GOOD_VARIANT.replace("  nn: Kartlegging", "   nn: Kartlegging"), 12, "innrykk"),
        (GOOD_VARIANT.replace('phone: "+47 00 00 00 01"', 'phone: "+47 00 00 00 01'), 0, "anførselstegn"),
    ],
)
def test_yaml_syntax_errors_are_in_norwegian_with_code_and_location(app, author, broken, line, words):
    page = upload(author, broken).get_data(as_text=True)
    assert "FE004" in page and words in page
    for english in ("mapping values", "expected", "while parsing", "found unexpected"):
        assert english not in page.split("<textarea")[0], english
    assert re.search(r"linje \d+, kolonne \d+", page)
    if line:
        assert "FE004" in source_row(page, line)


def test_an_unknown_reference_lists_the_valid_values_closest_first(app, author):
    page = upload(author, BROKEN_VARIANT).get_data(as_text=True)
    row = source_row(page, 25)
    assert "Gyldige verdier: support_contact_person" in row
    unknown_set = GOOD_VARIANT.replace(
        "        type: yes_no", "        type: single_choice\n        options: ja_nei"
    )
    page = upload(author, unknown_set).get_data(as_text=True)
    assert "FE116" in page and "Gyldige verdier:" in page and "who_now" in page
