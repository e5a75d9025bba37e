"""Re-assessment across versions (``prefill:``) and comparable scales (``compares_to``):
the registry's cross-version checks, and :func:`formengine.prefill_answers`."""

from __future__ import annotations

from pathlib import Path

import pytest

from formengine import prefill_answers
from formengine.definition.registry import load_registry
from formengine.errors.problems import ERROR, WARNING
from tests.formengine.cards_form import cards_form

OLD = """\
id: old
version: {version}
status: active
title: Gammel
languages: [nb]
default_language: nb
sections:
  - id: s1
    title: Del 1
    items:
      - id: relation
        type: single_choice
        label: Hvem hjelper du?
        options: [{{value: parent, label: Forelder}}, {{value: child, label: Barn}}]
      - id: works
        type: yes_no
        label: Jobber du?
      - id: work_note
        type: text
        label: Om jobben
        show_if: "works == 'yes'"
      - id: tasks_now
        type: matrix
        label: Hvem gjør dette nå?
        rows: [{{id: shopping, label: Innkjøp}}, {{id: medicine, label: Medisiner}}, {{id: transport, label: Transport}}]
        options:
          - {{value: me, label: Jeg}}
          - {{value: me_and_others, label: Jeg og andre}}
          - {{value: services, label: Tjenestene}}
          - {{value: not_relevant, label: Ikke aktuelt, not_applicable: true}}
      - id: strain
        type: scale
        label: Belastning
        options: [{{value: low, label: Lav, score: 0}}, {{value: high, label: Høy, score: 2}}]
scoring:
  scales:
    - {{id: strain_one, label: Belastning, items: [strain]}}
    - {{id: strain_two, label: Belastning, items: [strain, strain], method: mean}}
"""

PREFILL = """\
prefill:
  - from: old@1
    map:
      relation: relation_new
      work_note: note_new
      tasks_now.shopping: tasks.shopping.who_now
      tasks_now.medicine: tasks.medicine.who_now
      tasks_now.transport: tasks.transport.who_now
    values:
      tasks.shopping.who_now: {me_and_others: me, not_relevant: not_applicable}
      tasks.medicine.who_now: {me_and_others: me, not_relevant: not_applicable}
      tasks.transport.who_now: {me_and_others: me, not_relevant: not_applicable}
"""

EXTRA_ITEMS = """\
      - id: relation_new
        type: single_choice
        label: {nb: Hvem hjelper du, nn: Kven hjelper du, en: Who do you help}
        options:
          - {value: parent, label: {nb: Forelder, nn: Forelder, en: Parent}}
          - {value: child, label: {nb: Barn, nn: Barn, en: Child}}
          - {value: partner, label: {nb: Partner, nn: Partnar, en: Partner}}
      - id: note_new
        type: text
        label: {nb: Om jobben, nn: Om jobben, en: About work}
"""


def new_form(prefill: str = PREFILL, scales: str = "", form_id: str = "new") -> str:
    text = cards_form(form_id, "2.0.0").replace(
        "      - id: helps_with\n", EXTRA_ITEMS + "      - id: helps_with\n", 1
    )
    if scales:
        text = text.replace("scoring:\n  scales:\n", "scoring:\n  scales:\n" + scales, 1)
    return text + prefill


@pytest.fixture
def registry(write_form):
    write_form(OLD.format(version="1.0.0"), "old", "1.0.0")
    write_form(OLD.format(version="1.1.0"), "old", "1.1.0")

    def load(text: str = None, strict: bool = False):
        path = write_form(text or new_form(), "new", "2.0.0")
        return load_registry(Path(path).parents[1], strict=strict)

    return load


def located(registry, form: str = "new") -> list[str]:
    return [
        f"{p.code}@{p.location.line}:{p.location.column}:{p.severity}"
        for p in registry.problems
        if form in p.location.file
    ]


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def test_a_consistent_mapping_loads_clean(registry):
    reg = registry()
    assert reg.problems == []
    (source,) = reg.get("new", "2.0.0").prefill
    assert source.source == "old@1"


def test_an_old_path_in_no_loaded_version_is_located(registry):
    text = new_form(PREFILL.replace("      work_note: note_new\n", "      work_notes: note_new\n"))
    reg = registry(text)
    assert located(reg) == [f"FE324@{line_of(text, 'work_notes:')}:7:error"]
    assert "did you mean 'work_note'" in reg.problems[0].message


def test_an_old_value_without_a_counterpart_is_a_warning_or_a_strict_error(registry):
    text = new_form(
        PREFILL.replace("{me_and_others: me, not_relevant: not_applicable}", "{me_and_others: me}", 1)
    )
    line = line_of(text, "tasks_now.shopping:")
    assert located(registry(text)) == [f"FE325@{line}:27:{WARNING}"]
    assert located(registry(text, strict=True)) == [f"FE325@{line}:27:{ERROR}"]
    text = new_form(PREFILL).replace(
        "          - {value: child, label: {nb: Barn, nn: Barn, en: Child}}\n", ""
    )
    assert [(p.code, p.args["value"], p.args["target"]) for p in registry(text).problems] == [
        ("FE325", "child", "relation_new")
    ]


def test_prefill_from_a_1x_answer_set(registry):
    reg = registry()
    target, source = reg.get("new", "2.0.0"), reg.get("old", "1.1.0")
    answers = {
        "relation": "child",
        "works": "no",
        "work_note": "hidden: works is no",
        "tasks_now": {"shopping": "me_and_others", "medicine": "services", "transport": "not_relevant"},
        "strain": "high",
    }
    got = prefill_answers(target, source, answers)
    assert got == {
        "relation_new": "child",
        "helps_with": ["medicine", "shopping"],  # ticked for the cards that apply, in option order
        "tasks": {"medicine": {"who_now": "services"}, "shopping": {"who_now": "me"}},
    }  # the hidden note and the task that did not apply stay behind
    answers["works"] = "yes"
    assert prefill_answers(target, source, answers)["note_new"] == "hidden: works is no"
    answers["relation"] = "stranger"  # not an option of the new item (nor of the old): left out
    assert "relation_new" not in prefill_answers(target, source, answers)


def test_no_mapping_for_the_source_means_no_prefill(registry):
    reg = registry()
    target = reg.get("new", "2.0.0")
    assert prefill_answers(target, target, {"relation_new": "parent"}) == {}


COMPARE_CASES = {
    "same count and range": ("old@1.0.0#strain_one", None),
    "unknown version": ("old@9.0.0#strain_one", "not loaded"),
    "unknown scale": ("old@1.0.0#strain_three", "no scale 'strain_three'"),
    "different count": ("old@1.0.0#strain_two", "2 item(s), this scale 1"),
}


@pytest.mark.parametrize("case", sorted(COMPARE_CASES))
def test_compares_to_is_checked_at_load(registry, case):
    ref, reason = COMPARE_CASES[case]
    scale = f"""    - id: cmp
      label: {{nb: Sammenlign, nn: Samanlikn, en: Compare}}
      items: [burden.sleep.level]
      compares_to: {ref}
"""
    text = new_form(scales=scale)
    problems = located(registry(text))
    if reason is None:
        assert problems == []
    else:
        assert problems == [f"FE326@{line_of(text, 'compares_to:')}:20:error"]
        assert reason in registry(text).problems[0].message


def test_compares_to_refuses_a_different_score_range(registry):
    scale = """    - id: cmp
      label: {nb: Sammenlign, nn: Samanlikn, en: Compare}
      items: ["tasks[*].from_now"]
      method: mean
      compares_to: old@1.0.0#strain_two
"""
    problems = registry(new_form(scales=scale)).problems
    assert [p.code for p in problems] == ["FE326"]
    assert "item(s)" in problems[0].message  # four cells against two items


CMP_SCALE = """    - id: cmp
      label: {nb: Sammenlign, nn: Samanlikn, en: Compare}
      items: [burden.sleep.level]
      compares_to: old@1.0.0#strain_one
"""


def test_only_declared_pairs_are_compared(registry):
    from formengine.scoring.compare import comparable_scales

    reg = registry(new_form(scales=CMP_SCALE))
    assert reg.problems == []
    new, old, old_minor = reg.get("new", "2.0.0"), reg.get("old", "1.0.0"), reg.get("old", "1.1.0")
    assert comparable_scales(new, old) == {"cmp": "strain_one"}  # not 'strain' or 'wants_less' by name
    assert comparable_scales(old, new) == {"strain_one": "cmp"}  # the other way round too
    assert comparable_scales(new, old_minor) == {}  # the pair names 1.0.0 exactly
    assert comparable_scales(old_minor, old) == {"strain_one": "strain_one", "strain_two": "strain_two"}


def test_the_summary_shows_change_only_for_declared_pairs(registry):
    from formengine.summary.context import build_summary_context

    reg = registry(new_form(scales=CMP_SCALE.replace("    - id: cmp\n", "    - id: strain_two\n")))
    new, old = reg.get("new", "2.0.0"), reg.get("old", "1.0.0")
    before = {"strain": "low"}
    now = {"burden": {"sleep": {"level": "high"}}}
    ctx = build_summary_context(new, now, lang="nb", previous=(old, before))
    # 'strain_two' here is declared comparable with strain_one there, not with strain_two (a mean of two)
    assert [(r["before"], r["after"]) for r in ctx["change"]["rows"]] == [("0", "2")]
