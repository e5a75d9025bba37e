"""Documents as the web app serves them: the record copy (Journalkopi, PDF/A), tagged copies for
the meeting, the agreement and the relative, and the municipality's name instead of its id."""

from __future__ import annotations

from io import BytesIO

import pytest
from pypdf import PdfReader

from .conftest import SECRET_TEXT, A, login, submitted, token


@pytest.fixture
def coord(app, users):
    client = app.test_client()
    assert login(client, users["coord_a"]).status_code == 303
    return client


def pages(data: bytes) -> list[str]:
    return [" ".join(p.extract_text().split()) for p in PdfReader(BytesIO(data)).pages]


def root(data: bytes):
    return PdfReader(BytesIO(data)).trailer["/Root"]


def xmp(data: bytes) -> str:
    meta = root(data).get("/Metadata")
    return meta.get_object().get_data().decode("utf-8") if meta else ""


def tagged(data: bytes) -> bool:
    r = root(data)
    return bool(r.get("/MarkInfo", {}).get("/Marked")) and "/StructTreeRoot" in r


def test_record_copy_is_journalkopi_on_every_page_pdf_a_and_names_the_municipality(app, coord):
    rid = submitted(app, case_ref="DOC-1")  # the national form, in municipality 0301
    data = coord.get(f"/staff/a/{rid}/sammendrag.pdf?copy=record").data
    text = pages(data)
    assert all("Journalkopi · Saksnummer DOC-1" in p for p in text)
    whole = " ".join(text)
    assert "Testkommune" in whole and A not in whole.replace("DOC-1", "")
    assert "beholde" not in whole and SECRET_TEXT not in whole
    assert 'pdfaid:part="2"' in xmp(data)


def test_meeting_copy_and_agreement_are_tagged(app, coord):
    rid = submitted(app, case_ref="DOC-2")
    meeting = coord.get(f"/staff/a/{rid}/sammendrag.pdf").data
    assert tagged(meeting) and "Testkommune" in " ".join(pages(meeting))
    aid = submitted(
        app,
        case_ref="DOC-2",
        answers={"agreed": "Avlastning"},
        form_id="testavtale",
        assessment_id=rid,
        origin="staff",
    )
    assert aid
    agreement = coord.get(f"/staff/a/{rid}/avtale.pdf").data
    assert tagged(agreement) and "Testkommune" in " ".join(pages(agreement))


def test_relatives_copy_is_theirs_tagged_and_not_a_journal_copy(app):
    rid = submitted(app, case_ref="DOC-3")
    from webapp import db
    from webapp.db import Response

    with app.app_context(), db.session() as s:
        code = s.get(Response, rid).code
    relative = app.test_client()
    assert relative.post("/fortsett", data={"csrf_token": token(relative), "code": code}).status_code == 303
    data = relative.get(f"/svar/{rid}/kopi.pdf").data
    whole = " ".join(pages(data))
    assert tagged(data) and "Din kopi" in whole and "Journalkopi" not in whole


def test_staff_pages_name_the_municipality_not_its_id(app, coord):
    page = coord.get("/staff/").get_data(as_text=True)
    assert "(Testkommune)" in page and f"({A})" not in page
