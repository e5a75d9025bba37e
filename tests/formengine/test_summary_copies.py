"""The three copies of the summary and the agreement as documents: record copy (PDF/A, marked on
every page), tagged PDFs for screen readers, numbers per language, «Andre svar» in reading order."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess

import pytest
from pypdf import PdfReader
from test_summary_support import FORMS

from formengine import sample_answers
from formengine.definition.registry import load_registry
from formengine.render.answers import format_number as fmt_number
from formengine.summary import render_agreement_pdf, render_summary_pdf, summary_html

META = {
    "municipality": "Eksempel kommune",
    "case_ref": "2026/0042",
    "submitted_at": dt.datetime(2026, 11, 20, 14, 5),
    "conversation_only": ["hard_to_say"],
}


@pytest.fixture(scope="module")
def registry():
    return load_registry(FORMS)


@pytest.fixture(scope="module")
def core(registry):
    return registry.get("parorende-kartlegging", "1.1.0")


@pytest.fixture(scope="module")
def answers(core):
    return sample_answers(core, text_every=1)


@pytest.fixture(scope="module")
def pdfs(registry, core, answers):
    out = {
        copy: render_summary_pdf(core, answers, copy=copy, meta=META)
        for copy in ("meeting", "record", "relative")
    }
    agreement = registry.get("samarbeidsavtale", "1.0.0")
    out["agreement"] = render_agreement_pdf(agreement, sample_answers(agreement), meta=META)
    return out


def pages_text(data: bytes) -> list[str]:
    return [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages]


def xmp(data: bytes) -> str:
    root = PdfReader(io.BytesIO(data)).trailer["/Root"]
    meta = root.get("/Metadata")
    return meta.get_object().get_data().decode("utf-8") if meta else ""


def pdfinfo(data: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout


def test_record_copy_is_titled_and_marked_journalkopi_on_every_page_without_keep_line(pdfs):
    pages = pages_text(pdfs["record"])
    assert len(pages) >= 2
    for n, text in enumerate(pages, start=1):
        assert "Journalkopi · Saksnummer 2026/0042" in text, f"page {n}"
    whole = " ".join(pages)
    assert "Oppsummering til samtalen" not in whole  # not the meeting copy's title
    assert "beholde" not in whole and "Denne kopien er din" not in whole


def test_record_copy_is_pdf_a_with_pdfaid_in_xmp(pdfs):
    meta = xmp(pdfs["record"])
    assert 'pdfaid:part="2"' in meta and 'pdfaid:conformance="B"' in meta
    for other in ("meeting", "relative", "agreement"):
        assert "pdfaid:part" not in xmp(pdfs[other])


@pytest.mark.parametrize("kind", ["meeting", "relative", "agreement", "record"])
def test_documents_are_tagged_for_screen_readers(pdfs, kind, tmp_path):
    root = PdfReader(io.BytesIO(pdfs[kind])).trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"]) is True
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "nb"
    if shutil.which("pdfinfo"):
        assert re.search(r"^Tagged:\s+yes$", pdfinfo(pdfs[kind], tmp_path), re.M)


def test_meeting_and_relative_copies_say_what_they_are_on_every_page(pdfs):
    for text in pages_text(pdfs["meeting"]):
        assert "Til samtalen – skal ikke i journalen" in text
    relative = pages_text(pdfs["relative"])
    assert "Din kopi" in relative[0] and "Journalkopi" not in " ".join(relative)
    assert "Den pårørende kan beholde denne kopien." in " ".join(pages_text(pdfs["meeting"]))


def test_bad_copy_name_is_refused(core, answers):
    with pytest.raises(ValueError, match="meeting"):
        summary_html(core, answers, copy="archive", meta=META)


def test_numbers_follow_the_language_with_babel():
    assert fmt_number(3.7, "nb") == "3,7" and fmt_number(3.7, "nn") == "3,7"
    assert fmt_number(3.7, "en") == "3.7"
    assert fmt_number(4.0, "nb") == "4" and fmt_number(-3, "nb") in ("−3", "-3")
    assert fmt_number(12500, "nb") == "12\xa0500" and fmt_number(12500, "en") == "12,500"


def test_score_lines_use_a_decimal_comma_in_bokmal_and_a_point_in_english(core, answers):
    nb = summary_html(core, answers, meta=META)
    en = summary_html(core, answers, lang="en", meta=META)
    assert re.search(r"\d,\d av 4", nb)
    assert re.search(r"\d\.\d of 4", en) and not re.search(r"\d,\d of 4", en)


def test_other_answers_are_grouped_by_section_in_reading_order_not_a_layout_table(core, answers, pdfs):
    html = summary_html(core, answers, meta=META)
    glance = html[
        html.index('<section class="glance">') : html.index("</section>", html.index('class="glance"'))
    ]
    assert "<table" not in glance and "<dl>" in glance
    headings = re.findall(r'<h3 class="gh">([^<]+)</h3>', glance)
    order = [s.title.get("nb") for s in core.sections]
    assert headings == sorted(headings, key=order.index) and len(headings) >= 3
    text = " ".join(pages_text(pdfs["meeting"]))
    tail = text[text.index("Andre svar") :]
    positions = [tail.find(h.upper()) for h in headings]
    assert -1 not in positions and positions == sorted(positions)
