"""Blank form, agreement, hostile form texts, template lookup, markup and the `pdf` command."""

from __future__ import annotations

import io
import json
import re

import pytest
from jinja2 import ChoiceLoader, DictLoader
from pypdf import PdfReader
from test_summary_support import FORMS, full_response, pdf_text

from formengine.answers.samples import sample_answers
from formengine.cli.main import main
from formengine.definition.registry import load_registry
from formengine.summary import (
    agreement_html,
    blank_html,
    render_agreement_pdf,
    render_blank_pdf,
    render_summary_pdf,
    summary_html,
)
from formengine.summary.markup import markup
from formengine.summary.render import environment

HOSTILE = "<script>alert(1)</script> {{ 7*7 }} &amp; & <b>"

HOSTILE_FORM = """\
id: hostile
version: 1.0.0
status: active
title: 'Skjema {h}'
languages: [nb]
default_language: nb
sections:
  - id: s1
    title: 'Del {h}'
    items:
      - id: note1
        type: note
        text: '**Viktig** {h} [lenke](https://example.org)'
      - id: q1
        type: scale
        label: 'Spørsmål {h}'
        options:
          - {{value: lav, label: 'Lav {h}', score: 0}}
          - {{value: hoy, label: 'Høy {h}', score: 2}}
      - id: prio
        type: priority
        label: 'Viktigst {h}'
        options:
          - {{value: a, label: 'Valg A {h}'}}
          - {{value: b, label: 'Valg B'}}
      - id: words
        type: long_text
        label: 'Fritekst {h}'
scoring:
  scales:
    - id: s
      label: 'Skala {h}'
      items: [q1]
      bands:
        - {{id: lav, max: 1, label: 'Lite {h}'}}
        - {{id: hoy, label: 'Mye {h}'}}
  flags:
    - id: f
      when: "q1 == 'hoy'"
      severity: high
      message: 'Flagg {h}'
      action: 'Gjør {h}'
  priorities: prio
"""


@pytest.fixture(scope="module")
def registry():
    return load_registry(FORMS)


@pytest.fixture
def hostile(tmp_path):
    path = tmp_path / "forms" / "hostile" / "1.0.0.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(HOSTILE_FORM.format(h=HOSTILE), "utf-8")
    registry = load_registry(tmp_path / "forms")
    assert not registry.errors, [p.format() for p in registry.errors]
    return registry.get("hostile", "1.0.0")


def test_hostile_text_in_form_labels_and_answers_is_printed_literally(hostile):
    answers = {"q1": "hoy", "prio": ["a"], "words": HOSTILE}
    text = pdf_text(render_summary_pdf(hostile, answers, meta={"municipality": HOSTILE}))
    for prefix in ("Skjema", "Spørsmål", "Valg A", "Fritekst", "Skala", "Mye", "Flagg", "Gjør"):
        assert f"{prefix} {HOSTILE}" in text, prefix
    assert text.count(HOSTILE) >= 9
    blank = pdf_text(render_blank_pdf(hostile))
    for prefix in ("Del", "Spørsmål", "Lav", "Viktigst", "Fritekst"):
        assert f"{prefix} {HOSTILE}" in blank, prefix
    for html in (summary_html(hostile, answers), blank_html(hostile)):
        assert "<script>" not in html and "<b>" not in html
        assert "{{ 7*7 }}" in html and not re.search(r"[^\d.]49[^\d.%]", html)  # the template syntax is text


def test_markup_is_converted_safely():
    html = str(markup("**fet** og *kursiv* [lenke](https://example.org) <b>x</b> [ond](javascript:alert(1))"))
    assert "<strong>fet</strong>" in html and "<em>kursiv</em>" in html
    assert '<a href="https://example.org" rel="noopener noreferrer">lenke</a>' in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html and "javascript" not in html.split("[ond]")[0]
    assert 'href="javascript' not in html
    broken_out = str(markup('[x](https://a.no/"onmouseover="y)'))
    assert "&quot;onmouseover=&quot;" in broken_out and " onmouseover=" not in broken_out  # stays inside href


def test_blank_form_has_every_item_boxes_and_matrix_tables(registry):
    core = registry.get("parorende-kartlegging", "1.1.0")
    html = blank_html(core)
    for item in core.iter_items():
        if item.type != "note":
            assert str(markup(item.label.get("nb"))) in html, item.id
    assert html.count("☐") > 300 and html.count('class="grid matrix"') == 12
    assert "Svar bare hvis du svarte «Ja» på «Hjelper du flere enn én person?»." in html
    pdf = render_blank_pdf(core, lang="en")
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.trailer["/Root"]["/Lang"] == "en" and "Paper form" in reader.metadata.title
    assert "☐" in pdf_text(pdf) and "page 1 of" in pdf_text(pdf)


def test_agreement_document(registry):
    defn = registry.get("samarbeidsavtale", "1.0.0")
    answers = {
        "meeting_type": "responsibility_group",
        "meeting_date": "2026-11-19",
        "attendees": [
            {"attendee_name": "Kari Nordmann", "attendee_role": "pårørende (datter)"},
            {"attendee_name": "Per Hansen", "attendee_role": "koordinator"},
        ],
        "absentees": [
            {"absentee_name": "Lise Berg", "absentee_role": "fastlege", "absentee_summary_sent": "yes"}
        ],
        "personal_agreed": {"medication": "municipality", "night_help": "unclear"},
        "agreed_actions": [
            {"action_what": "Søke om avlastning", "action_who": "Per Hansen", "action_by": "2026-12-15"}
        ],
        "warning_signs": "Sover ikke, slutter å spise.",
        "crisis_contact_day": "Hjemmetjenesten 11 22 33 44",
        "involvement_alternatives": "yes",
        "involvement_consequences": "partly",
        "involvement_discussion": "yes",
        "involvement_influence": "no",
        "next_review_date": "2027-02-01",
    }
    text = pdf_text(render_agreement_pdf(defn, answers, meta={"municipality": "Eksempel kommune"}))
    for needle in (
        "Kari Nordmann",
        "Lise Berg",
        "Søke om avlastning",
        "Per Hansen",
        "15. desember 2026",
        "Sover ikke, slutter å spise.",
        "Hjemmetjenesten 11 22 33 44",
        "1. februar 2027",
        "Medvirkning i beslutningen",
        "Den pårørende kan beholde denne kopien.",
    ):
        assert needle in text, needle
    assert "Kriseplanen mangler kontakt for kvelder eller helger." in text  # the agreement's own flag


def test_specific_template_wins_over_default(registry, monkeypatch):
    env = environment()
    custom = DictLoader(
        {
            "summary/parorende-kartlegging.html": '{% extends "summary/default.html" %}{% block body_class %}kommune-stil{% endblock %}'
        }
    )
    monkeypatch.setattr(env, "loader", ChoiceLoader([custom, env.loader]))
    env.cache.clear() if env.cache else None
    core = registry.get("parorende-kartlegging", "1.1.0")
    answers = full_response(core)
    assert 'class="kommune-stil"' in summary_html(core, answers)
    other = registry.get("parorende-oppfolging", "1.0.0")
    assert 'class="summary copy-meeting"' in summary_html(other, sample_answers(other))
    assert "Den pårørende kan beholde" in agreement_html(registry.get("samarbeidsavtale", "1.0.0"), {})


def _answers_file(tmp_path, defn, **extra):
    path = tmp_path / "answers.json"
    doc = {"form": defn.id, "version": defn.version, "lang": "nb", "answers": full_response(defn), **extra}
    path.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    return path


def test_cli_pdf_summary_record_copy_and_blank(registry, tmp_path, capsys):
    core = registry.get("parorende-kartlegging", "1.1.0")
    meta = {
        "municipality": "Eksempel kommune",
        "submitted_at": "2026-11-20T14:05:00",
        "conversation_only": ["hard_to_say"],
    }
    answers = _answers_file(tmp_path, core, meta=meta)
    out = tmp_path / "out.pdf"
    args = ["--forms", str(FORMS), "pdf", "parorende-kartlegging@1.1.0"]
    assert main(args + [str(answers), "-o", str(out)]) == 0
    assert "Jeg orker snart ikke mer" in pdf_text(out.read_bytes())
    assert main(args + [str(answers), "-o", str(out), "--copy", "record", "--lang", "en"]) == 0
    text = pdf_text(out.read_bytes())
    assert "Jeg orker snart ikke mer" not in text and "Copy for the record" in text
    assert main(["--forms", str(FORMS), "pdf", "parorende-oppfolging@1.0.0", "--blank", "-o", str(out)]) == 0
    assert "Skjema på papir" in pdf_text(out.read_bytes())
    assert main(args + ["-o", str(out)]) == 2
    assert main(args + [str(answers), "--blank", "-o", str(out)]) == 2


def test_cli_pdf_rejects_answers_that_do_not_fit(registry, tmp_path, capsys):
    core = registry.get("parorende-kartlegging", "1.1.0")
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"answers": {"no_such_item": 1}}), "utf-8")
    assert main(["--forms", str(FORMS), "pdf", core.key, str(path), "-o", str(tmp_path / "x.pdf")]) == 1
    assert "FE501" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()


def test_variant_offers_with_contacts_fit_in_four_pages(registry):
    variant = registry.get("eksempel-kommune", "1.0.0")
    answers = full_response(variant)
    from formengine.scoring.engine import score

    offers = score(variant, answers, "nb").as_json()["offers"]
    assert len(offers) >= 3
    pdf = render_summary_pdf(variant, answers)
    text = pdf_text(pdf)
    assert 2 <= len(PdfReader(io.BytesIO(pdf)).pages) <= 4
    for offer in offers:
        assert offer["title"] in text
    for contact in variant.contacts:
        assert contact.name.get("nb") in text and contact.phone in text
    assert "Eksempel kommune" in text and "svar om ønsket støtte" in text
