"""Shared data for the summary tests: a full test response, PDF text, and the ScoreReport."""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader

from formengine.answers.check import prune_hidden
from formengine.answers.samples import sample_answers

FORMS = Path(__file__).resolve().parents[2] / "forms"

FREE_TEXT = {
    "condition_own_words": "Mor har demens og hjertesvikt, og hun blir fort forvirret om kvelden.",
    "roles_comment": "Jeg vil være datter igjen, ikke bare sykepleier og sekretær.",
    "practical_comment": "Handling og klesvask tar mest tid, nesten hver dag etter jobb.",
    "strain_time_text": "Telefonen ringer ofte midt i møter på jobben.",
    "strain_feelings_text": "Jeg skammer meg over at jeg blir sint på henne.",
    "strain_work_text": "Jeg har gått ned til åtti prosent stilling i høst.",
    "info_comment": "Jeg vil vite hva som skjer når hun skrives ut fra sykehuset neste gang.",
    "support_comment": "En fast person å ringe ville gjort mye.",
    "questions_for_meeting": "Kan hjemmetjenesten komme også om kvelden? Hvem har ansvaret for medisinene?",
    "what_i_see": "Hun virker bedre enn hun er når dere er på besøk.",
    "hard_to_say": "Jeg orker snart ikke mer, og jeg er redd for å si det høyt.",
    "anything_else": "Takk for at dere spør.",
}


def full_response(defn, overrides: dict | None = None) -> dict:
    """Every choice item answered, free text in a dozen fields, three priorities, several flags."""
    answers = {k: v for k, v in sample_answers(defn).items() if defn.item(k).type != "long_text"}
    answers.update(FREE_TEXT)
    answers.update(
        priorities=["respite", "sleep", "coordination"],
        has_minor_children="yes",
        children=[{"child_age": 9}, {"child_age": 13}],
        safety_worry="yes",
        crisis_contact="no",
        crisis_evenings="no",
        support_respite="wanted",
    )
    answers.update(overrides or {})
    return prune_hidden(defn, answers)  # the overrides may close a branch the sample answered


def pdf_text(pdf: bytes) -> str:
    """Return the PDF's text with all whitespace runs collapsed to one space."""
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def report_for(defn, answers: dict, lang: str = "nb") -> dict:
    """Return the ScoreReport JSON for ``answers``."""
    from formengine.answers.conditions import effective_answers
    from formengine.scoring.engine import score

    return score(defn, effective_answers(defn, answers), lang).as_json()
