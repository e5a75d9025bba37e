"""Staff workflows: invitation, overview, detail, PDFs, agreement, review due, re-assessment, paper."""

from __future__ import annotations

import datetime as dt
import re
from io import BytesIO

import pytest
from pypdf import PdfReader

from webapp import db
from webapp.db import Response
from webapp.staff.models import AccessLog

from ..conftest import csrf
from ..helpers import post_page, section_url
from .conftest import SECRET_TEXT, A, login, submitted, token


@pytest.fixture
def coord(app, users):
    client = app.test_client()
    assert login(client, users["coord_a"]).status_code == 303
    return client


def rows(app, model, **where):
    with app.app_context(), db.session() as s:
        query = s.query(model)
        for key, value in where.items():
            query = query.filter(getattr(model, key) == value)
        return query.all()


def actions(app) -> list[str]:
    return [e.action for e in rows(app, AccessLog)]


def pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)


def test_invitation_gives_link_and_code_for_my_municipality(app, coord):
    resp = coord.post(
        "/staff/invitasjon",
        data={
            "csrf_token": token(coord),
            "form_id": "testkommune-skjema",
            "case_ref": "2024/117",
            "lang": "nb",
        },
    )
    page = resp.get_data(as_text=True)
    assert resp.status_code == 200
    link = re.search(r"(/r/[\w-]+)</code>", page).group(1)
    (created,) = rows(app, Response, case_ref="2024/117")
    assert created.municipality == A and created.origin == "invite"
    assert re.sub(r"-", "", re.search(r'class="code">([^<]+)', page).group(1)) == created.code
    relative = app.test_client()
    assert relative.get(link).headers["Location"].endswith(f"/svar/{created.id}/om")
    assert "invite" in actions(app)


@pytest.mark.parametrize("case_ref", ["01017012345", "010170 12345", "sak 01017012345"])
def test_national_identity_numbers_are_refused(app, coord, case_ref):
    resp = coord.post(
        "/staff/invitasjon",
        data={"csrf_token": token(coord), "form_id": "testskjema", "case_ref": case_ref, "lang": "nb"},
    )
    assert resp.status_code == 400
    assert (
        "fødselsnummer" in resp.get_data(as_text=True)
        or "identitetsnummer" in resp.get_data(as_text=True)
        or "national identity" in resp.get_data(as_text=True)
    )
    assert rows(app, Response) == []


def test_overview_newest_first_with_status_flags_and_search(app, coord):
    now = dt.datetime(2030, 1, 10)
    submitted(app, case_ref="OLD-1", when=now - dt.timedelta(days=5), answers={"has_children": "no"})
    submitted(app, case_ref="NEW-2", when=now)
    submitted(
        app,
        case_ref="DUE-3",
        when=now - dt.timedelta(days=9),
        agreed_at=now,
        review_due=dt.date.today() - dt.timedelta(days=1),
    )
    page = coord.get("/staff/").get_data(as_text=True)
    assert page.index("NEW-2") < page.index("OLD-1") < page.index("DUE-3")
    new_row = page[page.index("NEW-2") : page.index("OLD-1")]
    assert "flag--high" in new_row and "1 ·" in new_row
    assert "flag--" not in page[page.index("OLD-1") : page.index("DUE-3")]
    due = coord.get("/staff/?status=review_due").get_data(as_text=True)
    assert "DUE-3" in due and "NEW-2" not in due
    found = coord.get("/staff/?q=new-").get_data(as_text=True)
    assert "NEW-2" in found and "OLD-1" not in found


def test_detail_shows_priorities_flags_free_text_marks_and_change(app, coord):
    before = submitted(
        app,
        case_ref="C-1",
        when=dt.datetime(2020, 1, 1),
        answers={"relation": "child", "what_matters": ["work"]},
    )
    rid = submitted(app, case_ref="C-1")
    page = coord.get(f"/staff/a/{rid}").get_data(as_text=True)
    assert "Hvile" in page and page.index("Hvile") < page.index("Informasjon")  # priorities, in order
    assert "Snakk om barna som pårørende" in page  # the flag's required action
    assert SECRET_TEXT in page and "bare til samtalen" in page.lower()
    assert f"/staff/a/{before}" in page and "Forelder" in page and "Barn" in page  # change since last time
    assert ("view", rid) in [(e.action, e.response_id) for e in rows(app, AccessLog)]


def test_print_summary_meeting_and_record_copies(app, coord):
    rid = submitted(app, case_ref="P-1")
    meeting = coord.get(f"/staff/a/{rid}/sammendrag.pdf")
    assert meeting.mimetype == "application/pdf" and meeting.headers["Cache-Control"] == "no-store"
    assert meeting.headers["Content-Disposition"].startswith("inline")
    assert SECRET_TEXT in pdf_text(meeting.data).replace("\n", " ")
    record = coord.get(f"/staff/a/{rid}/sammendrag.pdf?copy=record")
    assert SECRET_TEXT not in pdf_text(record.data).replace("\n", " ")
    assert {"print_meeting", "print_record"} <= set(actions(app))


def record_agreement(app, client, rid: str, review: str) -> str:
    """Record the agreement as staff do: the agreement page (the flag handled by a note, the review
    date), then the agreement's other pages and «Lagre avtalen»; returns the agreement id."""
    resp = client.post(f"/staff/a/{rid}/avtale", data={"csrf_token": token(client)})
    assert resp.headers["Location"] == f"/staff/a/{rid}/avtale/plan"
    (agreement,) = rows(app, Response, assessment_id=rid)
    aid = agreement.id
    resp = client.post(
        f"/staff/a/{rid}/avtale/plan",
        data={
            "csrf_token": token(client),
            "f-minor_children-note": "Vi snakket om barna",
            "next_review_date": review,
            "do": "save",
        },
    )
    assert resp.status_code == 200
    resp = client.post(f"/staff/a/{rid}/avtale/flere-deler", data={"csrf_token": token(client)})
    assert client.get(resp.headers["Location"]).headers["Location"].endswith(section_url(aid, "review"))
    resp = post_page(
        client,
        section_url(aid, "review"),
        {"agreed": "Avlastning hver fjerde helg", "next_review_date": review, "_nav": "next"},
    )
    assert resp.headers["Location"].endswith("/oppsummering")
    page = client.get(f"/svar/{aid}/oppsummering").get_data(as_text=True)
    assert "Lagre avtalen" in page and "Send svarene" not in page  # staff wording on staff pages
    resp = client.post(f"/svar/{aid}/send", data={"csrf_token": csrf(page)})
    resp = client.get(resp.headers["Location"])  # the receipt sends staff back to the case
    assert resp.headers["Location"] == f"/staff/utfylt/{aid}"
    assert client.get(resp.headers["Location"]).headers["Location"] == f"/staff/a/{rid}"
    return aid


def test_agreement_sets_review_date_and_prints(app, coord):
    rid = submitted(app, case_ref="AG-1")
    record_agreement(app, coord, rid, (dt.date.today() + dt.timedelta(days=200)).isoformat())
    (assessment,) = rows(app, Response, id=rid)
    assert assessment.agreed_at is not None and assessment.review_due > dt.date.today()
    assert "Avlastning hver fjerde helg" in pdf_text(coord.get(f"/staff/a/{rid}/avtale.pdf").data)
    assert {"agreement_start", "fill", "agreement_done", "print_agreement"} <= set(actions(app))
    assert "AG-1" in coord.get("/staff/?status=agreed").get_data(as_text=True)


def test_review_due_then_reassessment_starts_prefilled(app, coord):
    rid = submitted(app, case_ref="RV-1")
    record_agreement(app, coord, rid, (dt.date.today() + dt.timedelta(days=3)).isoformat())
    assert "RV-1" in coord.get("/staff/?status=review_due").get_data(as_text=True)
    page = coord.post(f"/staff/a/{rid}/ny-kartlegging", data={"csrf_token": token(coord)}).get_data(
        as_text=True
    )
    link = re.search(r"(/r/[\w-]+)</code>", page).group(1)
    new = [r for r in rows(app, Response, case_ref="RV-1") if r.previous_id == rid]
    assert len(new) == 1 and new[0].answers["relation"] == "parent" and new[0].status == "open"
    assert "RV-1" not in coord.get("/staff/?status=review_due").get_data(as_text=True)
    relative = app.test_client()
    relative.get(link)
    consent = relative.get(f"/svar/{new[0].id}/om").get_data(as_text=True)
    relative.post(f"/svar/{new[0].id}/om", data={"csrf_token": csrf(consent)})
    assert 'value="parent" checked' in relative.get(section_url(new[0].id, "relation")).get_data(
        as_text=True
    ) or "checked" in relative.get(section_url(new[0].id, "relation")).get_data(as_text=True)


def test_paper_answers_are_typed_in_through_the_section_pages(app, coord):
    resp = coord.post(
        "/staff/papir",
        data={"csrf_token": token(coord), "form_id": "testskjema", "case_ref": "PAPIR-1", "lang": "nb"},
    )
    (paper,) = rows(app, Response, case_ref="PAPIR-1")
    assert paper.origin == "paper" and paper.municipality == A and paper.consent_at is not None
    assert resp.headers["Location"] == f"/svar/{paper.id}/start"
    assert coord.get(resp.headers["Location"]).headers["Location"].endswith(section_url(paper.id, "relation"))
    resp = post_page(coord, section_url(paper.id, "relation"), {"relation": "child", "_nav": "review"})
    assert resp.status_code == 303
    page = coord.get(f"/svar/{paper.id}/oppsummering").get_data(as_text=True)
    resp = coord.post(f"/svar/{paper.id}/send", data={"csrf_token": csrf(page)})
    assert coord.get(resp.headers["Location"]).headers["Location"] == f"/staff/utfylt/{paper.id}"
    assert "PAPIR-1" in coord.get("/staff/").get_data(as_text=True)


def test_blank_form_pdf(app, coord):
    resp = coord.get("/staff/skjema/testskjema/1.0.0/blank.pdf")
    assert resp.mimetype == "application/pdf" and "Hvem er du pårørende til?" in pdf_text(resp.data)


def test_meeting_date_moves_the_case_to_meeting_planned(app, coord):
    rid = submitted(app, case_ref="M-1")
    coord.post(f"/staff/a/{rid}/meeting", data={"csrf_token": token(coord), "meeting_at": "2031-02-03"})
    assert "M-1" in coord.get("/staff/?status=meeting").get_data(as_text=True)
    assert "meeting" in actions(app)


def test_staff_filling_an_agreement_see_their_navigation_and_a_way_back_not_the_code(app, coord):
    rid = submitted(app, case_ref="NAV-1")
    coord.post(f"/staff/a/{rid}/avtale", data={"csrf_token": token(coord)})
    resp = coord.post(f"/staff/a/{rid}/avtale/flere-deler", data={"csrf_token": token(coord)})
    aid = resp.headers["Location"].split("/")[2]
    page = coord.get(section_url(aid, "review")).get_data(as_text=True)
    assert 'class="staff-nav"' in page and f'href="/staff/a/{rid}"' in page
    assert 'class="code"' not in page  # the relative's resume code is not shown to staff
