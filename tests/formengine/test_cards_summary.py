"""Cards in the printed documents: a table (rows x columns) in the meeting and record summaries,
the agreement and the blank paper form; grouped options under headings on paper."""

from __future__ import annotations

import re

import pytest

from formengine.definition.builder.validation import Builder
from formengine.definition.loader import load_text
from formengine.summary import agreement_html, blank_html, render_blank_pdf, render_summary_pdf, summary_html
from tests.formengine.cards_form import ANSWERS, cards_form


@pytest.fixture(scope="module")
def defn():
    definition = Builder(load_text(cards_form(), "kort.yaml")).build()
    assert definition is not None
    return definition


def table_after(html: str, heading: str) -> str:
    return html.split(f"<h2>{heading}</h2>", 1)[1].split("</table>", 1)[0]


def cells(table: str) -> list[list[str]]:
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)
    return [
        [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.S)]
        for r in rows
    ]


@pytest.mark.parametrize("copy", ["meeting", "record"])
def test_the_summary_prints_each_cards_item_as_a_table(defn, copy):
    html = summary_html(defn, ANSWERS, lang="nb", copy=copy)
    assert cells(table_after(html, "Oppgavene du hjelper med")) == [
        ["", "Hvem gjør dette nå?", "Hvor mye vil du gjøre fra nå av?", "Hva venter du av tjenestene?"],
        ["Medisiner", "Jeg", "Vil slutte", "At de tar over"],
        ["Innkjøp", "Jeg", "Mindre", "–"],
        ["Transport", "Ikke aktuelt", "–", "–"],
    ]
    assert cells(table_after(html, "Belastning"))[1:] == [["Søvn", "Mye"], ["Arbeid", "Ikke aktuelt"]]


def test_cards_not_ticked_are_not_printed(defn):
    answers = {**ANSWERS, "helps_with": ["shopping"]}
    table = table_after(summary_html(defn, answers, lang="nb"), "Oppgavene du hjelper med")
    assert [row[0] for row in cells(table)[1:]] == ["Innkjøp"]


def test_per_card_gaps_are_listed_with_the_cards_answers(defn):
    html = summary_html(defn, ANSWERS, lang="en")
    gaps = html.split('<section class="gaps">', 1)[1].split("</section>", 1)[0]
    assert cells(gaps)[1:] == [
        ["Medicine", "Me", "Stop", "That they take over"],
        ["Shopping", "Me", "Less", "–"],
    ]


def test_the_agreement_prints_cards_as_a_table(defn):
    html = agreement_html(defn, ANSWERS, lang="nn")
    assert "<td>Vil slutte</td>" in html and '<th scope="col">Kven gjer dette no?</th>' in html


def test_the_blank_form_has_a_cards_table_and_option_headings(defn):
    html = blank_html(defn, lang="nb")
    table = html.split('<table class="grid cards">', 1)[1].split("</table>", 1)[0]
    rows = cells(table)
    assert [r[0] for r in rows[1:]] == ["Vask og stell", "Medisiner", "Innkjøp", "Transport"]
    assert "☐ Ikke aktuelt" in rows[1][1]
    assert "Svar bare for det du krysset av for i «Hva hjelper du med?»" in html
    assert '<p class="group-title">Personlig stell</p>' in html


def test_the_pdfs_build(defn):
    assert render_summary_pdf(defn, ANSWERS, lang="nb").startswith(b"%PDF")
    assert render_blank_pdf(defn, lang="en").startswith(b"%PDF")
