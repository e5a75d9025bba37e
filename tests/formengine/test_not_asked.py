"""Reason ``not_asked``: a scale whose items a condition hid was not asked, it has not "too few answers".

Scoring (a small inline form and the 2.0.0 light golden), the meeting and record copies (chart and
"change since last time"), and the guarantee that no 1.x golden answer set gives the new reason
(their stored score JSON stays byte-identical).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from formengine.definition.registry import load_registry
from formengine.scoring.engine import score
from formengine.summary import render_summary_pdf, summary_html
from tests.formengine.test_scoring import form

REPO = Path(__file__).resolve().parents[2]
ANSWERS = REPO / "tests" / "data" / "answers"

AREAS = """\
      - id: areas
        type: multi_choice
        label: Hva er tungt?
        options:
          - {value: rest, label: Hvile}
          - {value: money, label: Penger}
          - {value: home, label: Hjemme}
      - {id: r1, type: scale, label: R1, options: grade, show_if: "'rest' in areas"}
      - {id: r2, type: scale, label: R2, options: grade, show_if: "'rest' in areas"}
      - id: home_group
        type: group
        label: Hjemme
        show_if: "'home' in areas"
        items:
          - {id: h1, type: scale, label: H1, options: grade}
  - id: s2
    title: Penger
    show_if: "'money' in areas"
    items:
      - {id: m1, type: scale, label: M1, options: grade}
"""
SCALES = """\
  scales:
    - {id: rest, label: Hvile, items: [r1, r2], method: sum, min_answered: 2}
    - {id: money, label: Penger, items: [m1], method: sum}
    - {id: home, label: Hjemme, items: [h1], method: sum}
    - {id: mixed, label: Blandet, items: [r1, a], method: sum}
"""


@pytest.fixture
def defn(write_form, forms_root):
    return form(write_form, forms_root, SCALES, extra_items=AREAS)


def results(defn, answers):
    return {s.id: s for s in score(defn, answers, "nb").scales}


def test_a_scale_hidden_by_an_item_condition_is_not_asked(defn):
    got = results(defn, {"areas": ["money"], "a": "g1"})
    assert got["rest"].reason == "not_asked"
    assert got["money"].reason == "no_answers"  # asked (its section shows), not answered


def test_asked_and_unanswered_is_no_answers_and_one_answer_too_few(defn):
    assert results(defn, {"areas": ["rest"]})["rest"].reason == "no_answers"
    assert results(defn, {"areas": ["rest"], "r1": "g2"})["rest"].reason == "too_few_answers"
    done = results(defn, {"areas": ["rest"], "r1": "g2", "r2": "g1"})["rest"]
    assert (done.value, done.reason) == (3.0, None)


def test_a_hidden_section_and_a_hidden_group_make_their_scales_not_asked(defn):
    got = results(defn, {"areas": ["rest"], "r1": "g1"})
    assert got["money"].reason == "not_asked"  # m1's section has the show_if
    assert got["home"].reason == "not_asked"  # h1's group has the show_if


def test_an_answer_left_on_a_closed_branch_does_not_count(defn):
    got = results(defn, {"areas": ["money"], "r1": "g3", "r2": "g3"})["rest"]
    assert (got.value, got.answered, got.reason) == (None, 0, "not_asked")


def test_a_scale_with_one_shown_item_is_not_not_asked(defn):
    # r1 is hidden, a always shows: the relative was asked part of the scale
    assert results(defn, {"areas": []})["mixed"].reason == "no_answers"


def test_not_asked_changes_only_the_reason(defn):
    """Value, raw, answered, items, not_applicable, prorated and band are those of no_answers."""
    hidden = results(defn, {"areas": ["money"]})["rest"].as_json()
    unanswered = results(defn, {"areas": ["rest", "money"]})["rest"].as_json()
    assert hidden.pop("reason") == "not_asked" and unanswered.pop("reason") == "no_answers"
    assert hidden == unanswered
    assert hidden["items"] == 2 and hidden["band"] is None and hidden["value"] is None


def test_an_empty_answer_set_stays_no_answers(defn):
    assert {s.reason for s in score(defn, {}).scales} == {"no_answers"}


@pytest.fixture(scope="module")
def registry():
    reg = load_registry(REPO / "forms")
    assert not reg.errors, [p.format() for p in reg.errors]
    return reg


def case(name: str) -> dict:
    return json.loads((ANSWERS / f"{name}.json").read_text("utf-8"))


UNTICKED = {"time", "health", "sleep", "work", "finances", "relationship", "system"}


def test_the_light_golden_names_the_areas_she_did_not_tick(registry):
    data = case("core_2_0_0_light")
    defn = registry.get(data["form"], data["version"])
    assert set(data["answers"]["strain_areas"]) == {"feelings", "own_life", "network"}
    reasons = {s.id: s.reason for s in score(defn, data["answers"], "nb").scales}
    assert {sid for sid, r in reasons.items() if r == "not_asked"} == {f"strain_{d}" for d in UNTICKED}
    assert "no_answers" not in reasons.values() and "too_few_answers" not in reasons.values()
    assert reasons["strain_feelings"] is None and reasons["strain_total"] is None


ONE_X = [p for p in sorted(ANSWERS.glob("*.json")) if json.loads(p.read_text("utf-8"))["version"][:2] == "1."]


def test_there_are_1x_goldens():
    assert len(ONE_X) >= 25


@pytest.mark.parametrize("path", ONE_X, ids=lambda p: p.stem)
def test_no_1x_golden_gives_not_asked(registry, path):
    """Reason not_asked is the only change to scoring, so 1.x score JSON stays byte-identical."""
    data = json.loads(path.read_text("utf-8"))
    defn = registry.get(data["form"], data["version"])
    for lang in defn.languages:
        assert "not_asked" not in [s.reason for s in score(defn, data["answers"], lang).scales]


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    out = tmp_path / "summary.pdf"
    out.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", str(out), "-"], check=True, capture_output=True, text=True
    ).stdout


@pytest.mark.parametrize(
    ("lang", "word", "few"),
    [
        ("nb", "Ikke spurt", "For få svar"),
        ("nn", "Ikkje spurt", "For få svar"),
        ("en", "Not asked", "Too few answers"),
    ],
)
def test_the_light_summary_says_not_asked_never_too_few_answers(registry, tmp_path, lang, word, few):
    data = case("core_2_0_0_light")
    defn = registry.get(data["form"], data["version"])
    text = pdf_text(render_summary_pdf(defn, data["answers"], lang=lang), tmp_path)
    time_label = defn.scoring.scales[0].label.get(lang)  # strain_time: she did not tick "time"
    line = next(ln for ln in text.splitlines() if ln.strip().startswith(time_label))
    assert line.split()[-2:] == word.split()
    assert few not in text
    assert text.count(word) >= len(UNTICKED)


def test_a_not_asked_row_has_no_bar(registry):
    data = case("core_2_0_0_light")
    defn = registry.get(data["form"], data["version"])
    html = summary_html(defn, data["answers"], lang="nb")
    row = html.split("Tid og å være på vakt", 1)[1].split("</tr>", 1)[0]
    assert "Ikke spurt" in row and 'class="track"' not in row and 'class="muted"' in row
    feelings = html.split("Følelser</th>", 1)[1].split("</tr>", 1)[0]
    assert 'class="track"' in feelings


def test_the_record_copy_does_not_tell_a_conversation_only_checklist(registry):
    """strain_areas starts "for the conversation only": «Ikke spurt» would tell what she ticked."""
    data = case("core_2_0_0_light")
    defn = registry.get(data["form"], data["version"])
    marked = summary_html(defn, data["answers"], lang="nb", copy="record")
    assert "Ikke spurt" not in marked and "For få svar" not in marked
    shared = summary_html(defn, data["answers"], lang="nb", copy="record", meta={"conversation_only": []})
    assert "Ikke spurt" in shared and "For få svar" not in shared


def test_the_record_copy_does_not_tell_a_ticked_area_either(registry):
    """A ticked area shows a value or «For få svar», one not ticked «Ikke spurt»: with the
    checklist marked, the record copy shows none of them (review of issue 11)."""
    data = case("core_2_0_0_light")
    defn = registry.get(data["form"], data["version"])
    answers = dict(data["answers"], strain_areas=["feelings", "own_life", "network", "finances"])
    marked = summary_html(defn, answers, lang="nb", copy="record")
    for label in ("Nettverk og ensomhet", "Økonomi", "Følelser", "Søvn og hvile"):
        row = marked.split(label, 1)[1][:400] if label in marked else ""
        assert not any(w in row for w in ("Ikke spurt", "For få svar", "av 4")), label
    meeting = summary_html(defn, answers, lang="nb", copy="meeting")
    assert "For få svar" in meeting and "Ikke spurt" in meeting  # the meeting copy tells it all


def test_the_change_table_names_not_asked_areas_and_does_not_compare_them(registry):
    light, heavy = case("core_2_0_0_light"), case("core_2_0_0_heavy")
    defn = registry.get(light["form"], light["version"])
    html = summary_html(defn, light["answers"], lang="nb", previous=(defn, heavy["answers"]))
    change = html.split('<section class="change">', 1)[1].split("</section>", 1)[0]
    grid = change.split("</table>", 1)[0] if "<table" in change else ""
    for label in ("Tid og å være på vakt", "Søvn og hvile", "Kamp med systemet"):
        assert label not in grid
    assert "Ikke spurt denne gangen:</strong> Tid og å være på vakt, Egen helse" in change
    back = summary_html(defn, heavy["answers"], lang="nb", previous=(defn, light["answers"]))
    change = back.split('<section class="change">', 1)[1].split("</section>", 1)[0]
    assert "Ikke spurt forrige gang:</strong> Tid og å være på vakt" in change


def test_the_relatives_own_copy_has_no_scores_to_mislabel(registry):
    data = case("core_2_0_0_light")
    defn = registry.get(data["form"], data["version"])
    html = summary_html(defn, data["answers"], lang="nb", copy="relative")
    assert "For få svar" not in html and "Ikke spurt" not in html
    assert "Jeg får for lite søvn og hvile." not in html  # a question she was not asked is not listed


def test_the_record_copy_does_not_tell_last_times_checklist_either(registry):
    light, heavy = case("core_2_0_0_light"), case("core_2_0_0_heavy")
    defn = registry.get(light["form"], light["version"])

    def html(copy: str) -> str:
        meta = {"conversation_only": []}  # nothing marked now; last time's marks are not known
        return summary_html(
            defn, heavy["answers"], lang="nb", copy=copy, meta=meta, previous=(defn, light["answers"])
        )

    assert "Ikke spurt forrige gang" in html("meeting")
    assert "Ikke spurt" not in html("record")
