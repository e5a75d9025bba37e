"""Bidi controls and fullwidth letters in answers (issue #14, defect 11).

A right-to-left override in an answer reversed the text after it in staff pages and PDFs, and
fullwidth letters printed as boxes. Now every bidi control is shown as a visible ⟨U+XXXX⟩ and
fullwidth letters print as their ordinary letters.
"""

# ruff: noqa: F811  (pytest fixtures imported from tests/webapp/staff/conftest.py)
from __future__ import annotations

from io import BytesIO

from pypdf import PdfReader

from formengine.render.textsafety import BIDI_CONTROLS, for_print, show_bidi_controls
from webapp.db import Response

from ..webapp.staff.conftest import app, login, submitted, token, users  # noqa: F401

SPOOF = "Faktura \u202egpj.exe\u202c og \u2067skjult\u2069 ＡＢＣ１２３"


def _pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)


def test_every_bidi_control_is_made_visible_and_nothing_else_changes():
    for cp in BIDI_CONTROLS:
        assert show_bidi_controls(f"a{chr(cp)}b") == f"a⟨U+{cp:04X}⟩b"
    assert show_bidi_controls("Vanlig tekst – æøå, عربي") == "Vanlig tekst – æøå, عربي"
    assert for_print("ＡＢＣ　１２３！") == "ABC 123!"


def test_staff_page_and_pdfs_show_controls_visibly_and_print_fullwidth(app, users):
    rid = submitted(
        app,
        answers={
            "relation": "other",
            "relation_other": SPOOF,
            "has_children": "no",
            "what_matters": ["rest"],
            "strain": SPOOF,
        },
    )
    coord = app.test_client()
    login(coord, users["coord_a"])
    page = coord.get(f"/staff/a/{rid}").get_data(as_text=True)
    assert "⟨U+202E⟩gpj.exe⟨U+202C⟩" in page and "⟨U+2067⟩skjult⟨U+2069⟩" in page
    assert not any(chr(cp) in page for cp in BIDI_CONTROLS)
    for path in (f"/staff/a/{rid}/sammendrag.pdf", f"/staff/a/{rid}/sammendrag.pdf?copy=record"):
        text = _pdf_text(coord.get(path).data)
        assert "U+202E" in text and "ABC123" in text, text[-400:]
        assert not any(chr(cp) in text for cp in BIDI_CONTROLS) and "ＡＢＣ" not in text
    relative = app.test_client()
    with app.app_context():
        from webapp import db

        with db.session() as s:
            code = s.get(Response, rid).code
    relative.post("/fortsett", data={"csrf_token": token(relative), "code": code})
    text = _pdf_text(relative.get(f"/svar/{rid}/kopi.pdf").data)
    assert "U+202E" in text and "ABC123" in text
    copy = relative.get(f"/svar/{rid}/kopi").get_data(as_text=True)
    assert "⟨U+202E⟩" in copy and chr(0x202E) not in copy
