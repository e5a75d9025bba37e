"""Shared set-up for the staff tests: a registry with an agreement form, users, submitted responses.

The fixtures ``app`` (a staff registry, light Argon2) and ``users`` replace, for every test in
this folder, the relatives' ``app`` of tests/webapp/conftest.py. The helpers are imported from
here by the staff tests, the authoring tests and the compression test.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from argon2 import PasswordHasher

from formengine.definition.model import Flag, FormDefinition, Item, Municipality, Scoring, Section
from formengine.expressions.parser import parse
from webapp import create_app, db, responses
from webapp.db import Response, utcnow
from webapp.staff import auth
from webapp.staff.auth import hash_password
from webapp.staff.models import StaffUser

from ..conftest import csrf
from ..formfixtures import StubRegistry, sample_form, t

A, B = "0301", "4601"
PASSWORD = "correct horse battery staple"
SECRET_TEXT = "Hemmelig fritekst om naboen"


def scored(defn: FormDefinition) -> FormDefinition:
    flag = Flag(
        "minor_children",
        parse("has_children == 'yes'"),
        "high",
        t("Barn under 18 bor i hjemmet", "Children under 18 at home"),
        t("Snakk om barna som pårørende", "Talk about the children as relatives"),
    )
    return dataclasses.replace(defn, scoring=Scoring(flags=(flag,), priorities="what_matters"))


def agreement_form() -> FormDefinition:
    items = (
        Item("agreed", "long_text", t("Hva ble avtalt?", "What was agreed?")),
        Item("next_review_date", "date", t("Neste gjennomgang", "Next review")),
    )
    return FormDefinition(
        id="testavtale",
        version="1.0.0",
        status="active",
        kind="agreement",
        title=t("Samarbeidsavtale", "Agreement"),
        languages=("nb", "nn", "en"),
        default_language="nb",
        sections=(Section("review", t("Avtale", "Agreement"), items),),
        hash="sha256:agreement",
    )


def staff_registry() -> StubRegistry:
    return StubRegistry(
        scored(sample_form()),
        scored(sample_form("testkommune-skjema", municipality=Municipality(A, "Testkommune"))),
        agreement_form(),
    )


@pytest.fixture
def app(tmp_path, monkeypatch):
    # Argon2 with the library's defaults costs ~0.5 s a hash here; tests use light parameters.
    monkeypatch.setattr(auth, "hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    auth._dummy_hash.cache_clear()
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "ACCESS_LOG": False,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'staff.sqlite3'}",
            "FORM_REGISTRY": staff_registry(),
        }
    )
    yield app
    app.extensions["formengine_db"].engine.dispose()


def add_user(app, email: str, role: str, municipality: str) -> None:
    with app.app_context(), db.session() as s:
        s.add(
            StaffUser(
                email=email,
                password_hash=hash_password(PASSWORD),
                role=role,
                municipality=municipality,
                active=True,
            )
        )
        s.commit()


@pytest.fixture
def users(app):
    people = {
        "coord_a": ("coord@a.no", "coordinator", A),
        "coord_b": ("coord@b.no", "coordinator", B),
        "formadmin_a": ("forms@a.no", "form_admin", A),
        "admin_a": ("admin@a.no", "municipality_admin", A),
    }
    for email, role, municipality in people.values():
        add_user(app, email, role, municipality)
    return {key: value[0] for key, value in people.items()}


def submitted(
    app,
    *,
    municipality: str = A,
    case_ref: str | None = "2024/17",
    answers: dict | None = None,
    form_id: str = "testskjema",
    when: dt.datetime | None = None,
    **extra,
) -> str:
    """Store a submitted assessment directly; returns its id."""
    with app.app_context():
        defn = app.config["FORM_REGISTRY"].latest_active(form_id)
        created = responses.create_response(
            defn, origin="invite", municipality=municipality, case_ref=case_ref, with_token=True
        )
        with db.session() as s:
            r = s.get(Response, created.response.id)
            r.answers = (
                answers
                if answers is not None
                else {
                    "relation": "parent",
                    "has_children": "yes",
                    "what_matters": ["rest", "info"],
                    "strain": SECRET_TEXT,
                }
            )
            r.conversation_only = ["strain"]
            r.status, r.consent_at = "submitted", utcnow()
            r.submitted_at = when or utcnow()
            for key, value in extra.items():
                setattr(r, key, value)
            s.commit()
        return created.response.id


def login(client, email: str, password: str = PASSWORD):
    page = client.get("/staff/login").get_data(as_text=True)
    return client.post("/staff/login", data={"csrf_token": csrf(page), "email": email, "password": password})


def token(client) -> str:
    """A CSRF token valid for this client's session (any page with a form will do)."""
    return csrf(client.get("/fortsett").get_data(as_text=True))
