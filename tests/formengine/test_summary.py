"""The meeting summary PDF: content, copies, hostile text, fonts, metadata and page count."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader
from test_summary_support import FORMS, full_response, pdf_text, report_for

from formengine.answers.samples import sample_answers
from formengine.definition.registry import load_registry
from formengine.summary import render_summary_pdf, summary_html

HOSTILE = "<script>alert(1)</script> {{ 7*7 }} &amp; & <b>"
SAMI = "Áilu Čeavččá đŋšŧž"
META = {
    "municipality": "Eksempel kommune",
    "case_ref": "2026/0042",
    "submitted_at": dt.datetime(2026, 11, 20, 14, 5),
    "relative_name": "Kari Nordmann",
    "conversation_only": ["hard_to_say", "safety_worry", "strain_feelings_text"],
}


@pytest.fixture(scope="module")
def core():
    return load_registry(FORMS).get("parorende-kartlegging", "1.1.0")


@pytest.fixture(scope="module")
def answers(core):
    return full_response(core, {"anything_else": SAMI, "what_i_see": HOSTILE})


@pytest.fixture(scope="module")
def meeting_pdf(core, answers):
    return render_summary_pdf(core, answers, meta=META, report=report_for(core, answers))


@pytest.fixture(scope="module")
def record_pdf(core, answers):
    return render_summary_pdf(core, answers, copy="record", meta=META, report=report_for(core, answers))


def test_every_priority_flag_and_free_text_answer_is_printed(core, answers, meeting_pdf):
    text = pdf_text(meeting_pdf)
    report = report_for(core, answers)
    assert len(report["priorities"]) == 3 and len(report["flags"]) >= 3
    for prio in report["priorities"]:
        assert prio["label"] in text
    for flag in report["flags"]:
        assert " ".join(flag["message"].split()) in text
    texts = [v for k, v in answers.items() if core.item(k).type in ("text", "long_text")]
    assert len(texts) >= 8
    for value in texts:
        assert " ".join(value.split()) in text, value


def test_priorities_and_questions_come_before_the_chart_and_flags_are_near_the_top(
    core, answers, meeting_pdf
):
    text = pdf_text(meeting_pdf)
    first_priority = report_for(core, answers)["priorities"][0]["label"]
    assert (
        text.index(first_priority)
        < text.index(answers["questions_for_meeting"])
        < text.index("Dette må følges opp")
        < text.index("Hvordan den pårørende har det")
    )


def test_page_count_is_two_to_four(meeting_pdf, record_pdf):
    assert 2 <= len(PdfReader(io.BytesIO(meeting_pdf)).pages) <= 4
    assert 2 <= len(PdfReader(io.BytesIO(record_pdf)).pages) <= 4


def test_page_numbers_header_and_keep_copy_line(core, meeting_pdf):
    reader = PdfReader(io.BytesIO(meeting_pdf))
    pages = len(reader.pages)
    for n, page in enumerate(reader.pages, start=1):
        assert f"side {n} av {pages}" in " ".join(page.extract_text().split())
    text = pdf_text(meeting_pdf)
    assert "Eksempel kommune" in text and "1.1.0" in text and "2026/0042" in text
    assert core.hash.split(":")[1][:12] in text
    assert "20. november 2026" in text
    assert "Den pårørende kan beholde denne kopien." in text
    assert "ikke et mål på hvem som skal få hjelp" in text  # scores are conversation aids


def test_pdf_metadata_title_and_language(meeting_pdf):
    reader = PdfReader(io.BytesIO(meeting_pdf))
    assert reader.metadata.title == "Oppsummering til samtalen: Kartlegging for pårørende – Eksempel kommune"
    assert reader.trailer["/Root"]["/Lang"] == "nb"


def test_hostile_answer_text_appears_literally(meeting_pdf, core, answers):
    assert HOSTILE in pdf_text(meeting_pdf)
    html = summary_html(core, answers, meta=META, report=report_for(core, answers))
    assert (
        "<script>" not in html
        and "&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }} &amp;amp; &amp; &lt;b&gt;" in html
    )


def test_sami_letters_survive_in_the_embedded_font(meeting_pdf):
    assert SAMI in pdf_text(meeting_pdf)
    reader = PdfReader(io.BytesIO(meeting_pdf))
    fonts = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descriptor = (
                font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                if "/DescendantFonts" in font
                else font.get("/FontDescriptor")
            )
            assert descriptor is not None and "/FontFile2" in descriptor.get_object(), font["/BaseFont"]
            fonts.add(str(font["/BaseFont"]).split("+")[-1])
    assert fonts and all(f.startswith("FE-Sans") for f in fonts), fonts  # the bundled @font-face only


def test_conversation_only_answers_are_in_the_meeting_copy_only(core, answers, meeting_pdf, record_pdf):
    meeting, record = pdf_text(meeting_pdf), pdf_text(record_pdf)
    for item_id in ("hard_to_say", "strain_feelings_text"):
        assert answers[item_id] in meeting
        assert answers[item_id] not in record
    assert "bare til samtalen" in meeting
    assert "er utelatt (3)" in record
    # a flag computed from a marked answer is left out too
    harm = "redd for at personen kan skade seg selv"
    assert harm in meeting and harm not in record


def test_record_copy_leaves_out_scales_that_read_marked_items(core, answers):
    marked = dict(META, conversation_only=["strain_feelings_1"])
    html = summary_html(core, answers, copy="record", meta=marked, report=report_for(core, answers))
    assert "Utelatt (bare til samtalen)" in html
    assert "bare til samtalen" in summary_html(core, answers, meta=marked, report=report_for(core, answers))
    unmarked = summary_html(core, answers, copy="record", meta=dict(META, conversation_only=[]))
    assert "Kopi til journalen. Ingen svar er merket «bare til samtalen»." in unmarked


def test_expectation_table_offers_and_information_sections(core, answers):
    html = summary_html(core, answers, meta=META, report=report_for(core, answers))
    assert "Forventninger: hvem gjør hva" in html
    assert "Hva venter du av tjenestene?" in html
    assert "Informasjon begge veier" in html and "Dette vil den pårørende vite mer om" in html


def test_english_and_nynorsk_summaries(core, answers):
    html = summary_html(core, answers, lang="en", meta=META, report=report_for(core, answers, "en"))
    assert '<html lang="en">' in html and "What matters most to the relative" in html
    assert "20 November 2026" in html and '"page"' in html
    nn = summary_html(core, answers, lang="nn", meta=META, report=report_for(core, answers, "nn"))
    assert "Det viktigaste for den pårørande" in nn


def test_change_since_last_time(core, answers):
    before = dict(answers, strain_sleep_1="not_at_all", strain_sleep_2="not_at_all")
    after = dict(answers, strain_sleep_1="very_much", strain_sleep_2="very_much")
    previous = (core, before, report_for(core, before))
    html = summary_html(core, after, meta=META, previous=previous, report=report_for(core, after))
    assert "Endring siden sist" in html
    row = re.search(
        r"<th scope=\"row\">Søvn og hvile</th><td class=\"n\">([^<]*)</td><td class=\"n\">([^<]*)</td>"
        r"<td>([^<]*)</td>",
        html,
    )
    assert row and row.group(1) != row.group(2) and "→" in row.group(3)
    assert "Uendret siden sist:" in html


def test_agreement_answers_in_meta_show_after_the_meeting(core, answers):
    meta = dict(
        META,
        agreement={
            "attendees": [{"attendee_name": "Per Hansen", "attendee_role": "koordinator"}],
            "agreed_actions": [
                {"action_what": "Søke avlastning", "action_who": "Per", "action_by": "2026-12-15"}
            ],
            "next_review_date": "2027-03-01",
        },
    )
    html = summary_html(core, answers, meta=meta, report=report_for(core, answers))
    assert "Etter møtet" in html and "Søke avlastning" in html and "15. desember 2026" in html
    assert "1. mars 2027" in html


def test_bad_copy_is_refused(core, answers):
    with pytest.raises(ValueError):
        summary_html(core, answers, copy="public", report=report_for(core, answers))


def test_sample_answers_fit_the_form(core):
    from formengine.answers.check import validate_answers

    assert validate_answers(core, sample_answers(core, text_every=1)) == []
