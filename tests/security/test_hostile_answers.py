"""Answers that used to break pages or the stored JSON (issue #14, defect 6).

A number item without ``max`` accepted 1e308 and 29-digit integers (which broke the review,
the copy and the staff pages), ``nan`` and ``Infinity`` were stored as non-standard JSON, and
``_remove=children:<5000 digits>`` answered 500.
"""

from __future__ import annotations

import dataclasses
import json

import pytest

from formengine.answers.check import check_value, read_answers_file
from formengine.definition.model import Item, Section
from formengine.errors.problems import AnswerError
from webapp import create_app, db
from webapp.db import Response

from ..webapp.conftest import csrf
from ..webapp.formfixtures import StubRegistry, sample_form, t
from ..webapp.helpers import post_page, section_url

FREE = Item("count_free", "number", t("Hvor mange?", "How many?"))  # no min, no max


@pytest.fixture
def app(tmp_path):
    base = sample_form()
    form = dataclasses.replace(base, sections=base.sections + (Section("free", t("Fritt", "Free"), (FREE,)),))
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "t",
            "ACCESS_LOG": False,
            "FORM_REGISTRY": StubRegistry(form),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'a.sqlite3'}",
        }
    )
    yield app
    app.extensions["formengine_db"].engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def rid(client):
    page = client.get("/").get_data(as_text=True)
    consent = client.post("/start/testskjema", data={"csrf_token": csrf(page)}).headers["Location"]
    client.post(consent, data={"csrf_token": csrf(client.get(consent).get_data(as_text=True))})
    return consent.split("/")[2]


def _stored(app, rid: str) -> dict:
    with app.app_context(), db.session() as s:
        return dict(s.get(Response, rid).answers or {})


@pytest.mark.parametrize(
    "typed",
    [
        "1e308",
        "99999999999999999999999999999",
        "nan",
        "NaN",
        "Infinity",
        "-inf",
        "1e999",
        "9" * 5000,
        "1000000001",
    ],
)
def test_absurd_numbers_are_refused_with_a_message_and_never_stored(app, client, rid, typed):
    url = section_url(rid, "free")
    resp = post_page(client, url, {"count_free": typed, "_nav": "next"})
    assert resp.status_code == 400, resp.status_code
    assert 'class="error-message"' in resp.get_data(as_text=True) or "error" in resp.get_data(as_text=True)
    assert "count_free" not in _stored(app, rid)
    for page in (f"/svar/{rid}/oppsummering", url):
        assert client.get(page).status_code == 200


def test_an_ordinary_number_is_still_saved(app, client, rid):
    resp = post_page(client, section_url(rid, "free"), {"count_free": "1 000 000", "_nav": "next"})
    assert resp.status_code == 303
    assert _stored(app, rid)["count_free"] == 1_000_000


def test_removing_a_repeat_entry_with_thousands_of_digits_is_not_a_server_error(app, client, rid):
    url = section_url(rid, "relation")
    post_page(client, url, {"relation": "parent", "has_children": "yes", "_add": "children"})
    for index in ("9" * 5000, "²", "-1", "0x1"):
        resp = post_page(
            client, url, {"relation": "parent", "has_children": "yes", "_remove": f"children:{index}"}
        )
        assert resp.status_code in (200, 303), (index[:10], resp.status_code)


def test_the_database_refuses_to_store_nan_or_infinity(app):
    from sqlalchemy.exc import StatementError

    from webapp import responses

    with app.app_context():
        created = responses.create_response(app.config["FORM_REGISTRY"].latest_active("testskjema"))
        with pytest.raises(StatementError, match="not JSON compliant"):
            responses.save(created.response.id, 0, {"count_free": float("nan")}, [])
    with app.app_context(), db.session() as s:
        assert s.get(Response, created.response.id).answers == {}


@pytest.mark.parametrize("value", [1e308, float("inf"), float("nan"), 10**28, -(10**40)])
def test_answer_check_refuses_absurd_numbers(value):
    assert [p.code for p in check_value(FREE, value)] in (["FE503"], ["FE504"])


def test_answers_file_with_nan_is_a_coded_error(tmp_path):
    path = tmp_path / "answers.json"
    path.write_text('{"form": "x", "version": "1.0.0", "answers": {"count_free": NaN}}', "utf-8")
    with pytest.raises(AnswerError) as caught:
        read_answers_file(path)
    assert [p.code for p in caught.value.problems] == ["FE507"]
    assert json.loads('{"a": 1}') == {"a": 1}
