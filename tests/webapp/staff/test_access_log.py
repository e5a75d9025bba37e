"""The access log a person can use: Norwegian action names, the case number instead of the
internal id, filters by case, user, action and date, and refused (403/404) attempts recorded."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from webapp import db
from webapp.staff.models import AccessLog

from .conftest import B, login, submitted


@pytest.fixture
def admin(app, users):
    client = app.test_client()
    assert login(client, users["admin_a"]).status_code == 303
    return client


@pytest.fixture
def coord(app, users):
    client = app.test_client()
    assert login(client, users["coord_a"]).status_code == 303
    return client


def cells(page: str, column: int) -> list[str]:
    body = page[page.index("<tbody>") : page.index("</tbody>")]
    return [re.findall(r"<td>(.*?)</td>", row)[column] for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body)]


def test_actions_in_norwegian_and_case_number_not_id(app, coord, admin):
    rid = submitted(app, case_ref="2026/501")
    coord.get(f"/staff/a/{rid}")
    coord.get(f"/staff/a/{rid}/sammendrag.pdf?copy=record")
    page = admin.get("/staff/logg").get_data(as_text=True)
    what = cells(page, 2)
    assert "Opnet en kartlegging" not in what and "Åpnet en kartlegging" in what
    assert "Skrev ut journalkopien" in what and "view" not in what and "print_record" not in what
    assert "2026/501" in cells(page, 3) and rid not in page


def test_refused_attempts_are_recorded(app, coord, admin, users):
    other = submitted(app, municipality=B, case_ref="B-SECRET")
    assert coord.get(f"/staff/a/{other}").status_code == 404  # another municipality's case
    assert coord.get("/staff/logg").status_code == 403  # a coordinator may not read the log
    assert coord.get("/staff/statistikk").status_code == 403
    with app.app_context(), db.session() as s:
        refused = [(e.email, e.detail, e.response_id) for e in s.query(AccessLog) if e.action == "refused"]
    assert (users["coord_a"], f"404 GET /staff/a/{other}", other) in refused
    assert (users["coord_a"], "403 GET /staff/logg", None) in refused
    page = admin.get("/staff/logg?handling=refused").get_data(as_text=True)
    assert cells(page, 2) == ["Avvist: ingen tilgang"] * 3
    assert "B-SECRET" not in page and "ikke i denne kommunen, eller slettet" in page


def test_filters_by_case_user_action_and_date(app, coord, admin, users):
    first = submitted(app, case_ref="2026/601")
    second = submitted(app, case_ref="2026/602")
    coord.get(f"/staff/a/{first}")
    coord.get(f"/staff/a/{second}")
    admin.get(f"/staff/a/{second}")
    page = admin.get("/staff/logg?sak=601").get_data(as_text=True)
    assert set(cells(page, 3)) == {"2026/601"}
    page = admin.get(f"/staff/logg?bruker={users['coord_a']}&handling=view").get_data(as_text=True)
    assert set(cells(page, 1)) == {users["coord_a"]} and len(cells(page, 1)) == 2
    today = dt.date.today()
    assert "Ingenting passer med filteret." in admin.get(
        f"/staff/logg?til={(today - dt.timedelta(days=1)).isoformat()}"
    ).get_data(as_text=True)
    page = admin.get(f"/staff/logg?fra={today.isoformat()}&til={today.isoformat()}&sak=602").get_data(
        as_text=True
    )
    assert len(cells(page, 3)) == 2
    assert admin.get("/staff/logg?fra=igår").status_code == 400
