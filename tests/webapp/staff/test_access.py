"""Who may open which staff route: every route × every kind of visitor; CSRF on staff POSTs."""

from __future__ import annotations

import pytest

from .conftest import SECRET_TEXT, A, B, login, submitted, token

ROLES = ("anonymous", "coord_a", "coord_b", "formadmin_a", "admin_a", "relative")
CASES = {"coord_a", "admin_a"}
EVERY_STAFF = {"coord_a", "coord_b", "formadmin_a", "admin_a"}
ADMIN = {"admin_a"}

# (method, path template, who is allowed, whether the route shows data of one response of A)
ROUTES = [
    ("GET", "/staff/", CASES | {"coord_b"}, False),
    ("GET", "/staff/?q=2024", CASES | {"coord_b"}, False),
    ("GET", "/staff/a/{rid}", CASES, True),
    ("GET", "/staff/a/{rid}/sammendrag.pdf", CASES, True),
    ("GET", "/staff/a/{rid}/sammendrag.pdf?copy=record", CASES, True),
    ("GET", "/staff/a/{rid}/avtale.pdf", CASES, True),
    ("POST", "/staff/a/{rid}/meeting", CASES, True),
    ("POST", "/staff/a/{rid}/avtale", CASES, True),
    ("GET", "/staff/a/{rid}/avtale/plan", CASES, True),
    ("POST", "/staff/a/{rid}/avtale/plan", CASES, True),
    ("POST", "/staff/a/{rid}/avtale/flere-deler", CASES, True),
    ("POST", "/staff/a/{rid}/ny-kartlegging", CASES, True),
    ("GET", "/staff/utfylt/{aid}", CASES, True),
    ("GET", "/staff/invitasjon", CASES | {"coord_b"}, False),
    ("POST", "/staff/invitasjon", CASES | {"coord_b"}, False),
    ("GET", "/staff/papir", CASES | {"coord_b"}, False),
    ("GET", "/staff/skjema", EVERY_STAFF, False),
    ("GET", "/staff/skjema/testkommune-skjema/1.0.0/blank.pdf", EVERY_STAFF - {"coord_b"}, True),
    ("GET", "/staff/statistikk", ADMIN, False),
    ("GET", "/staff/logg", ADMIN, False),
    ("GET", "/staff/export.csv", ADMIN, False),
    ("GET", "/staff/export.json", ADMIN, False),
    ("GET", "/staff/export.xlsx", ADMIN, False),
]


@pytest.fixture
def world(app, users):
    """Responses of A (with an agreement) and B, a relative holding B's code, a client per visitor."""
    rid = submitted(app, municipality=A, case_ref="A-CASE-1", agreed_at=None)
    aid = submitted(
        app,
        municipality=A,
        case_ref="A-CASE-1",
        answers={"agreed": "ja"},
        form_id="testavtale",
        assessment_id=rid,
        origin="staff",
    )
    other = submitted(app, municipality=B, case_ref="B-CASE-9")
    clients = {}
    for role in ROLES:
        client = app.test_client()
        if role in users:
            assert login(client, users[role]).status_code == 303
        clients[role] = client
    from webapp import db
    from webapp.db import Response

    with app.app_context(), db.session() as s:
        code = s.get(Response, other).code
    relative = clients["relative"]
    resp = relative.post("/fortsett", data={"csrf_token": token(relative), "code": code})
    assert resp.status_code == 303
    return {"rid": rid, "aid": aid, "other": other, "clients": clients}


def _call(client, method, path):
    if method == "GET":
        return client.get(path)
    return client.post(
        path,
        data={
            "csrf_token": token(client),
            "meeting_at": "2030-01-01",
            "form_id": "testskjema",
            "case_ref": "X-1",
            "lang": "nb",
        },
    )


@pytest.mark.parametrize("method,template,allowed,personal", ROUTES, ids=[f"{m} {p}" for m, p, *_ in ROUTES])
@pytest.mark.parametrize("role", ROLES)
def test_route_by_role(world, role, method, template, allowed, personal):
    path = template.format(rid=world["rid"], aid=world["aid"])
    resp = _call(world["clients"][role], method, path)
    body = resp.get_data()
    if role in ("anonymous", "relative"):
        assert resp.status_code == 303 and resp.headers["Location"].startswith("/staff/login")
    elif role in allowed:
        assert resp.status_code in (200, 303), (resp.status_code, body[:300])
        if role == "coord_b":  # B's lists never show A's cases
            assert b"A-CASE-1" not in body
    else:
        assert resp.status_code in (403, 404)
    if role not in allowed:
        assert b"A-CASE-1" not in body and SECRET_TEXT.encode() not in body and b"%PDF" not in body[:10]


def test_b_sees_its_own_case_but_not_a(world):
    body = world["clients"]["coord_b"].get("/staff/").get_data(as_text=True)
    assert "B-CASE-9" in body and "A-CASE-1" not in body
    assert world["clients"]["coord_b"].get(f"/staff/a/{world['other']}").status_code == 200


@pytest.mark.parametrize(
    "path", ["/svar/{rid}/kopi.pdf", "/svar/{rid}/avtale.pdf", "/svar/{rid}/kvittering", "/svar/{rid}/kopi"]
)
@pytest.mark.parametrize("role", ROLES)
def test_relatives_documents_only_for_their_holder(world, role, path):
    """A's relative documents: nobody here holds A's code, so everyone is refused (403/404)."""
    resp = world["clients"][role].get(path.format(rid=world["rid"]))
    assert resp.status_code in (403, 404)
    assert b"%PDF" not in resp.get_data()[:10]


def test_relative_gets_own_copy_with_conversation_only_answers_marked(world):
    """Issue 12: the relative's own copy is written for them: their own words, marked ones marked."""
    resp = world["clients"]["relative"].get(f"/svar/{world['other']}/kopi.pdf")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    assert resp.headers["Cache-Control"] == "no-store"
    from io import BytesIO

    from pypdf import PdfReader

    text = " ".join("".join(p.extract_text() for p in PdfReader(BytesIO(resp.data)).pages).split())
    assert SECRET_TEXT in text and "bare til samtalen" in text
    assert "Kopi til journalen" not in text


@pytest.mark.parametrize(
    "path",
    [
        "/staff/a/{rid}/meeting",
        "/staff/a/{rid}/avtale",
        "/staff/a/{rid}/ny-kartlegging",
        "/staff/invitasjon",
        "/staff/papir",
        "/staff/logout",
        "/staff/login",
    ],
)
def test_csrf_is_enforced_on_staff_posts(world, path):
    client = world["clients"]["coord_a"]
    resp = client.post(
        path.format(rid=world["rid"]),
        data={"meeting_at": "2030-01-01", "form_id": "testskjema", "email": "coord@a.no", "password": "x"},
    )
    assert resp.status_code == 400
    assert "A-CASE-1" not in resp.get_data(as_text=True)
