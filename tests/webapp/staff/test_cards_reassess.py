"""A re-assessment on a new major version is pre-filled through the version's ``prefill:`` mapping."""

from __future__ import annotations

import re

import pytest
from argon2 import PasswordHasher

from formengine.definition.registry import load_registry
from tests.formengine.test_cards_prefill import OLD, new_form
from webapp import create_app
from webapp.db import Response
from webapp.staff import auth

from .conftest import A, add_user, login, submitted, token


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.setattr(auth, "hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    auth._dummy_hash.cache_clear()
    forms = tmp_path / "forms"
    (forms / "kartlegging").mkdir(parents=True)
    (forms / "kartlegging" / "1.1.0.yaml").write_text(
        OLD.format(version="1.1.0").replace("id: old", "id: kartlegging")
    )
    prefill = "prefill:\n  - from: kartlegging@1\n" + new_form().split("  - from: old@1\n", 1)[1]
    (forms / "kartlegging" / "2.0.0.yaml").write_text(new_form(prefill="", form_id="kartlegging") + prefill)
    registry = load_registry(forms)
    assert registry.errors == [], [p.format() for p in registry.problems]
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "ACCESS_LOG": False,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'staff.sqlite3'}",
            "FORM_REGISTRY": registry,
        }
    )
    yield app
    app.extensions["formengine_db"].engine.dispose()


def test_a_1x_response_prefills_the_2_0_reassessment(app):
    registry = app.config["FORM_REGISTRY"]
    with app.app_context():
        old = registry.get("kartlegging", "1.1.0")
        rid = submitted(
            app,
            form_id="kartlegging",
            case_ref="RE-2",
            answers={
                "relation": "parent",
                "works": "yes",
                "work_note": "Deltid",
                "tasks_now": {"shopping": "me_and_others", "transport": "not_relevant"},
            },
            form_version=old.version,
        )
        from webapp import db

        with db.session() as s:
            s.get(Response, rid).conversation_only = ["work_note"]
            s.commit()
    add_user(app, "coord@a.no", "coordinator", A)
    coord = app.test_client()
    assert login(coord, "coord@a.no").status_code == 303
    page = coord.post(f"/staff/a/{rid}/ny-kartlegging", data={"csrf_token": token(coord)}).get_data(
        as_text=True
    )
    assert re.search(r"/r/[\w-]+</code>", page)
    with app.app_context():
        from sqlalchemy import select

        from webapp import db

        with db.session() as s:
            (new,) = s.scalars(select(Response).where(Response.previous_id == rid)).all()
            assert new.form_version == "2.0.0"
            assert new.answers == {
                "relation_new": "parent",
                "note_new": "Deltid",
                "helps_with": ["shopping"],
                "tasks": {"shopping": {"who_now": "me"}},
            }
            assert new.conversation_only == ["note_new"]


def test_answer_changes_across_versions_compare_through_the_mapping(app):
    from webapp.staff.reports import answer_changes

    registry = app.config["FORM_REGISTRY"]
    old, new = registry.get("kartlegging", "1.1.0"), registry.get("kartlegging", "2.0.0")
    before = {"relation": "parent", "tasks_now": {"shopping": "me", "medicine": "services"}}
    now = {
        "relation_new": "parent",
        "helps_with": ["shopping", "medicine"],
        "tasks": {"shopping": {"who_now": "services"}, "medicine": {"who_now": "services"}},
    }
    with app.test_request_context():
        changes = answer_changes(new, now, old, before, "nb")
    assert [(c["label"], c["before"], c["now"]) for c in changes] == [
        (
            "Oppgavene du hjelper med",
            ["Medisiner: Tjenestene", "Innkjøp: Jeg"],
            ["Medisiner: Tjenestene", "Innkjøp: Tjenestene"],
        ),
    ]
