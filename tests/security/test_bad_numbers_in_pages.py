"""One bad number in a published definition must not break a municipality (issue #14, defect 1).

The definition below could be published before non-finite numbers were refused at load
(`score: 1e999` passed `formengine check`): it is built in code here, past the validator, like a
version already in the database. One relative's answers to it give one case that cannot be
scored: that case shows a notice, and every page (overview, detail, both PDFs, exports,
statistics, the relative's copy) keeps working, for that case and for the others.
"""

# ruff: noqa: F811  (pytest fixtures imported from tests/webapp/staff/conftest.py)
from __future__ import annotations

import dataclasses

import pytest
from argon2 import PasswordHasher

from formengine.definition.model import Band, Item, Option, Scale, Scoring, Section
from webapp import create_app, db
from webapp.db import Response
from webapp.staff import auth

from ..webapp.formfixtures import StubRegistry, sample_form, t
from ..webapp.staff.conftest import A, add_user, login, staff_registry, submitted

BAD = "bad-score"


def _bad_form():
    options = (Option("lite", t("Lite", "Little"), float("inf")), Option("mye", t("Mye", "Much"), 2))
    item = Item("load", "single_choice", t("Hvor mye?", "How much?"), options=options)
    base = sample_form(BAD)
    sections = base.sections + (Section("load_section", t("Belastning", "Load"), (item,)),)
    scale = Scale(
        "load_scale",
        t("Belastning", "Load"),
        ("load",),
        bands=(Band("low", t("Lav", "Low"), 5.0), Band("high", t("Høy", "High"), None)),
    )
    return dataclasses.replace(base, sections=sections, scoring=Scoring(scales=(scale,)), hash="sha256:bad")


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.setattr(auth, "hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    auth._dummy_hash.cache_clear()
    registry = StubRegistry(
        *staff_registry().defs.values(), _bad_form()
    )  # the staff tests' forms, same hashes
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "ACCESS_LOG": False,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'bad.sqlite3'}",
            "FORM_REGISTRY": registry,
        }
    )
    yield app
    app.extensions["formengine_db"].engine.dispose()


def test_one_unscorable_case_shows_a_notice_and_every_page_keeps_working(app):
    add_user(app, "admin@a.no", "municipality_admin", A)
    good = submitted(app, case_ref="GOOD-1")
    bad = submitted(
        app,
        form_id=BAD,
        case_ref="BAD-1",
        answers={
            "relation": "parent",
            "has_children": "no",
            "load": "lite",
            "hours": 10**28,
            "what_matters": ["rest"],
        },
    )
    staff = app.test_client()
    assert login(staff, "admin@a.no").status_code == 303
    overview = staff.get("/staff/")
    assert overview.status_code == 200
    assert "GOOD-1" in overview.get_data(as_text=True) and "BAD-1" in overview.get_data(as_text=True)
    for path in (
        f"/staff/a/{good}",
        f"/staff/a/{bad}",
        f"/staff/a/{good}/sammendrag.pdf",
        f"/staff/a/{bad}/sammendrag.pdf",
        f"/staff/a/{bad}/sammendrag.pdf?copy=record",
        "/staff/export.csv",
        "/staff/export.json",
        "/staff/statistikk",
    ):
        resp = staff.get(path)
        assert resp.status_code == 200, (path, resp.status_code)
    detail = staff.get(f"/staff/a/{bad}").get_data(as_text=True)
    assert 'class="notice notice--scoring"' in detail
    assert 'class="notice notice--scoring"' not in staff.get(f"/staff/a/{good}").get_data(as_text=True)
    # the relative's own copy
    relative = app.test_client()
    with app.app_context(), db.session() as s:
        code = s.get(Response, bad).code
    from ..webapp.staff.conftest import token

    relative.post("/fortsett", data={"csrf_token": token(relative), "code": code})
    for path in (f"/svar/{bad}/kopi.pdf", f"/svar/{bad}/kopi", f"/svar/{bad}/kvittering"):
        resp = relative.get(path)
        assert resp.status_code == 200, (path, resp.status_code)
