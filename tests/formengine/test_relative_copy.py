"""Per-entry privacy in the three copies (CLI), and the relative's copy free of staff text (all forms)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from formengine.definition.registry import load_registry
from formengine.summary import summary_html

ROOT = Path(__file__).resolve().parent.parent.parent
FORM = "parorende-kartlegging@1.1.0"
P1, P2 = "Hjertesvikt hos mor", "Rusproblemer hos bror"
ANSWERS = {
    "helps_more_people": "yes",
    "people_helped": [
        {"person_relation": "parent", "person_condition": P1},
        {"person_relation": "sibling", "person_condition": P2},
    ],
}


def pdf_text(tmp_path: Path, copy: str) -> str:
    doc = tmp_path / "answers.json"
    doc.write_text(
        json.dumps(
            {
                "form": "parorende-kartlegging",
                "version": "1.1.0",
                "lang": "nb",
                "answers": ANSWERS,
                "conversation_only": ["people_helped[1].person_condition"],
            }
        )
    )
    out = tmp_path / f"{copy}.pdf"
    subprocess.run(
        [sys.executable, "-m", "formengine", "pdf", FORM, str(doc), "--copy", copy, "-o", str(out)],
        check=True,
        cwd=ROOT,
        capture_output=True,
    )
    return subprocess.run(
        ["pdftotext", "-layout", str(out), "-"], check=True, capture_output=True, text=True
    ).stdout


@pytest.fixture(scope="module")
def registry():
    return load_registry(ROOT / "forms")


def test_relation_values_exist(registry):
    item = registry.resolve_ref(FORM).item("person_relation")
    assert {"parent", "sibling"} <= set(item.option_values)


def test_record_copy_leaves_out_person_2_only_and_says_so(tmp_path):
    text = " ".join(pdf_text(tmp_path, "record").split())
    assert P1 in text and P2 not in text
    assert "er utelatt (1)" in text and "Ingen svar er merket" not in text


def test_meeting_copy_has_both(tmp_path):
    text = " ".join(pdf_text(tmp_path, "meeting").split())
    assert P1 in text and P2 in text


def test_relative_copy_has_both_and_marks_person_2(tmp_path):
    text = " ".join(pdf_text(tmp_path, "relative").split())
    assert P1 in text and P2 in text
    after_p2 = text.split(P2, 1)[1][:40]
    assert "bare til samtalen" in after_p2
    assert "bare til samtalen" not in text.split(P1, 1)[1][:40]


@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
def test_relative_copy_has_no_staff_action_text_of_any_shipped_form(registry, lang):
    from formengine.answers.samples import sample_answers

    forms = registry.all()  # every shipped form version, the agreement included
    seen_in_meeting = 0
    for defn in forms:
        texts = [f.action.get(lang) for f in defn.scoring.flags if f.action]
        texts += [f.message.get(lang) for f in defn.scoring.flags]
        for seed in range(4):
            answers = sample_answers(defn, seed=seed)
            html = summary_html(defn, answers, lang=lang, copy="relative")
            meeting = summary_html(defn, answers, lang=lang, copy="meeting")
            for text in texts:
                assert text not in html, (defn.key, text)
                seen_in_meeting += text in meeting
    assert seen_in_meeting > 0, "the sample answers raised no flag: the test would prove nothing"


def test_meeting_copy_marks_person_2_only(tmp_path):
    text = " ".join(pdf_text(tmp_path, "meeting").split())
    assert f"{P2} (bare til samtalen)" in text
    assert f"{P1} (bare til samtalen)" not in text
