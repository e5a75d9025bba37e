"""Statistics and exports with small-cell suppression (fewer than 5 relatives: «færre enn 5»),
per relative (a re-assessment is not a new person), a period filter, municipality admins only;
the export for Norwegian Excel: CSV with ';', BOM and decimal commas, XLSX with the same rows."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import pytest
from argon2 import PasswordHasher
from openpyxl import load_workbook

from formengine import sample_answers
from webapp import create_app, db, responses
from webapp.db import Response
from webapp.staff import auth
from webapp.staff.auth import hash_password
from webapp.staff.models import StaffUser

from .conftest import csrf

PASSWORD = "correct horse battery staple"
WHEN = dt.datetime(2026, 3, 10, 12, 0)
FREE_TEXT = "Naboen Per Hansen på Solveien 3"


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.setattr(auth, "hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    auth._dummy_hash.cache_clear()
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "ACCESS_LOG": False,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'stats.sqlite3'}",
        }
    )
    with app.app_context(), db.session() as s:
        for email, role in (
            ("admin@e.no", "municipality_admin"),
            ("k@e.no", "coordinator"),
            ("f@e.no", "form_admin"),
        ):
            s.add(
                StaffUser(
                    email=email,
                    password_hash=hash_password(PASSWORD),
                    role=role,
                    municipality="0301",
                    active=True,
                )
            )
        s.commit()
    yield app
    app.extensions["formengine_db"].engine.dispose()


def client_for(app, email: str):
    client = app.test_client()
    page = client.get("/staff/login").get_data(as_text=True)
    assert (
        client.post(
            "/staff/login", data={"csrf_token": csrf(page), "email": email, "password": PASSWORD}
        ).status_code
        == 303
    )
    return client


def add(
    app,
    case_ref: str,
    *,
    when: dt.datetime = WHEN,
    previous: str | None = None,
    form_id: str = "parorende-kartlegging",
    municipality: str = "0301",
    children: str = "yes",
) -> str:
    registry = app.config["FORM_REGISTRY"]
    defn = (
        registry.get(form_id, "1.1.0")
        if form_id == "parorende-kartlegging"
        else registry.latest_active(form_id)
    )
    with app.app_context():
        created = responses.create_response(
            defn, origin="invite", municipality=municipality, case_ref=case_ref
        )
        with db.session() as s:
            r = s.get(Response, created.response.id)
            answers = sample_answers(defn, 1, text_every=1)
            if "anything_else" in {i.id for sec in defn.sections for i in sec.items}:
                answers["anything_else"] = FREE_TEXT
            if form_id == "parorende-kartlegging":
                answers["has_minor_children"] = children
            r.answers, r.status, r.consent_at, r.submitted_at = answers, "submitted", when, when
            r.previous_id = previous
            s.commit()
    return created.response.id


def figures(page: str) -> list[str]:
    """The text of every figure cell on the statistics page."""
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"</th><td>(.*?)</td>", page)]


def csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def test_with_four_relatives_every_figure_and_export_says_fewer_than_five(app):
    for n in range(4):
        first = add(app, f"C-{n}")
        add(app, f"C-{n}", previous=first, when=WHEN + dt.timedelta(days=30))  # 8 assessments, 4 people
    admin = client_for(app, "admin@e.no")
    page = admin.get("/staff/statistikk").get_data(as_text=True)
    cells = figures(page)
    assert len(cells) > 10
    for c in cells:
        assert not re.search(r"\d", c.replace("færre enn 5", "")), c
    assert 'Pårørende</th><td><span class="muted">færre enn 5' in page
    rows = csv_rows(admin.get("/staff/export.csv").data)
    assert rows[0][0] == "Løpenummer" and rows[1:] == [["Ingen rader: færre enn 5 personer i utvalget."]]
    book = load_workbook(io.BytesIO(admin.get("/staff/export.xlsx").data))
    values = list(book.active.iter_rows(values_only=True))
    assert values[1][0] == "Ingen rader: færre enn 5 personer i utvalget." and len(values) == 2
    body = json.loads(admin.get("/staff/export.json").data)
    assert body["assessments"] == [] and body["suppressed"] == "færre enn 5 personer"


def test_with_five_relatives_the_figures_appear_and_a_reassessment_is_not_a_new_person(app):
    for n in range(5):
        first = add(app, f"C-{n}")
        if n == 0:
            add(app, f"C-{n}", previous=first, when=WHEN + dt.timedelta(days=30))
    add(app, "OTHER", municipality="4601")  # another municipality never counts
    page = client_for(app, "admin@e.no").get("/staff/statistikk").get_data(as_text=True)
    assert re.search(r"Pårørende</th><td>5</td>", page)
    assert re.search(r"Kartlegginger og oppfølginger sendt inn</th><td>6</td>", page)
    assert re.search(r"Det bor barn under 18 år i hjemmet.</th><td>5</td>", page)  # flag count
    assert "Kartlegging for pårørende 1.1.0" in page  # form and version labelled
    assert re.search(r"Stell og personlig hjelp</th><td>(\d+ %|<span)", page)  # unmet expectations share


def test_period_filter_counts_only_the_period(app):
    for n in range(5):
        add(app, f"IN-{n}", when=dt.datetime(2026, 5, 1 + n))
    for n in range(5):
        add(app, f"OUT-{n}", when=dt.datetime(2025, 1, 1 + n))
    admin = client_for(app, "admin@e.no")
    page = admin.get("/staff/statistikk?fra=2026-04-01&til=2026-06-30").get_data(as_text=True)
    assert re.search(r"Pårørende</th><td>5</td>", page)
    assert re.search(r"Pårørende</th><td>10</td>", admin.get("/staff/statistikk").get_data(as_text=True))
    rows = csv_rows(admin.get("/staff/export.csv?fra=2026-04-01&til=2026-06-30").data)
    assert len(rows) == 6 and {r[6] for r in rows[1:]} == {"2026-05"}
    bad = admin.get("/staff/statistikk?fra=2026-13-01")
    assert bad.status_code == 400 and "er ikke en dato" in bad.get_data(as_text=True)


@pytest.mark.parametrize("email", ["k@e.no", "f@e.no"])
@pytest.mark.parametrize(
    "path", ["/staff/statistikk", "/staff/export.csv", "/staff/export.xlsx", "/staff/export.json"]
)
def test_only_municipality_admins(app, email, path):
    resp = client_for(app, email).get(path)
    assert resp.status_code == 403


def test_csv_is_for_norwegian_excel_and_xlsx_has_the_same_rows(app):
    for n in range(5):
        add(app, f"X-{n}")
    add(app, "X-5", form_id="parorende-oppfolging")
    admin = client_for(app, "admin@e.no")
    rows = csv_rows(admin.get("/staff/export.csv").data)
    head, body = rows[0], rows[1:]
    assert len(body) == 6  # one row per assessment
    assert head[:8] == [
        "Løpenummer",
        "Person",
        "Skjema",
        "Versjon",
        "Type",
        "Nummer for personen",
        "Måned sendt",
        "Utfylt",
    ]
    assert any(h.startswith("Poeng: ") for h in head) and any(h.startswith("Flagg: ") for h in head)
    scores = [c for r in body for h, c in zip(head, r, strict=True) if h.startswith("Poeng: ") and c]
    assert any("," in c for c in scores) and not any("." in c for c in scores)  # decimal comma
    assert {r[4] for r in body} == {"kartlegging", "oppfølging"}
    text = admin.get("/staff/export.csv").data.decode("utf-8-sig")
    for leak in (FREE_TEXT, "X-0", "Kari"):
        assert leak not in text
    book = load_workbook(io.BytesIO(admin.get("/staff/export.xlsx").data))
    values = [list(r) for r in book.active.iter_rows(values_only=True)]
    assert values[0] == head and len(values) == len(rows)
    for xl, text_row in zip(values[1:], body, strict=True):
        as_text = [
            "" if v is None else (f"{v}".replace(".", ",") if isinstance(v, float) else str(v)) for v in xl
        ]
        assert as_text == text_row
    data = json.loads(admin.get("/staff/export.json").data)
    assert len(data["assessments"]) == 6 and data["columns"] == head


def test_a_count_whose_rest_is_under_five_is_hidden_too(app):
    for n in range(6):
        add(app, f"Y-{n}")
    add(app, "N-0", children="no")  # 7 relatives, 6 with children at home: the one without could be told
    page = client_for(app, "admin@e.no").get("/staff/statistikk").get_data(as_text=True)
    assert re.search(r"Pårørende</th><td>7</td>", page)
    assert re.search(r"Det bor barn under 18 år i hjemmet.</th><td><span class=\"muted\">skjult</span>", page)
    for band_cell in re.findall(r"Samlet belastning</th><td>(.*?)</td>", page):
        assert not re.search(r": [1-4](;|$)", band_cell) and not re.search(r": [5-6](;|$)", band_cell)
