"""Grouped options, the ``cards`` item type, ``prefill`` and ``compares_to``: model and load-time checks.

Every new code is located: each case asserts ``CODE@line:column``.
"""

from __future__ import annotations

import textwrap

import pytest

from formengine.definition.builder.validation import Builder
from formengine.definition.loader import load_text
from tests.formengine.cards_form import cards_form

HEAD = """\
id: test
version: 1.0.0
status: active
title: Test
languages: [nb]
default_language: nb
"""


def build(text: str):
    doc = load_text(textwrap.dedent(text), "t.yaml")
    builder = Builder(doc)
    return builder.build(), [
        f"{p.code}@{p.location.line}:{p.location.column}" for p in doc.problems + builder.problems
    ]


def items_form(items: str, extra: str = "") -> str:
    body = textwrap.indent(textwrap.dedent(items).strip("\n"), "      ")
    return (
        HEAD + "sections:\n  - id: s1\n    title: Del 1\n    items:\n" + body + "\n" + textwrap.dedent(extra)
    )


def test_the_cards_test_form_builds():
    defn, problems = build(cards_form())
    assert problems == []
    tasks = defn.item("tasks")
    assert tasks.rows_from == "helps_with"
    assert [r.id for r in tasks.rows] == ["hygiene", "medicine", "shopping", "transport"]
    assert [c.id for c in tasks.columns] == ["who_now", "from_now", "expects"]
    assert tasks.column("who_now").option("not_applicable").not_applicable
    assert [g.id for g in defn.item("helps_with").groups] == ["personal", "practical"]
    assert defn.item("helps_with").option("shopping").group == "practical"
    assert defn.scoring.scales[0].items == tuple(
        f"tasks.{r}.from_now" for r in ("hygiene", "medicine", "shopping", "transport")
    )
    assert defn.scoring.gaps[0].cards == "tasks"


GROUP_CASES = {
    "unknown group": (
        """\
        - id: a
          type: multi_choice
          label: A
          groups: [{id: one, label: One}]
          options:
            - {value: x, label: X, group: one}
            - {value: y, label: Y, group: onee}
        """,
        ["FE141@17:41"],
    ),
    "option without group": (
        """\
        - id: a
          type: single_choice
          label: A
          groups: [{id: one, label: One}]
          options:
            - {value: x, label: X, group: one}
            - {value: y, label: Y}
        """,
        ["FE142@17:13"],
    ),
    "empty group": (
        """\
        - id: a
          type: priority
          label: A
          groups: [{id: one, label: One}, {id: two, label: Two}]
          options:
            - {value: x, label: X, group: one}
        """,
        ["FE143@14:41"],
    ),
    "duplicate group": (
        """\
        - id: a
          type: multi_choice
          label: A
          groups: [{id: one, label: One}, {id: one, label: Again}]
          options:
            - {value: x, label: X, group: one}
        """,
        ["FE144@14:46"],
    ),
    "group without groups": (
        """\
        - id: a
          type: multi_choice
          label: A
          options:
            - {value: x, label: X, group: one}
        """,
        ["FE141@15:41"],
    ),
    "groups on a scale": (
        """\
        - id: a
          type: scale
          label: A
          groups: [{id: one, label: One}]
          options:
            - {value: x, label: X}
        """,
        ["FE119@14:9"],
    ),
}

CARD_ITEMS = """\
        - id: pick
          type: multi_choice
          label: Pick
          options: [{value: a, label: A}, {value: b, label: B}]
"""

CARDS_CASES = {
    "rows and rows_from": (
        CARD_ITEMS
        + """\
        - id: c
          type: cards
          label: C
          rows: [{id: a, label: A}]
          rows_from: pick
          columns: [{id: q, label: Q, options: [{value: y, label: Y}]}]
        """,
        ["FE145@15:9"],
    ),
    "neither rows nor rows_from": (
        """\
        - id: c
          type: cards
          label: C
          columns: [{id: q, label: Q, options: [{value: y, label: Y}]}]
        """,
        ["FE145@11:9"],
    ),
    "rows_from unknown": (
        CARD_ITEMS
        + """\
        - id: c
          type: cards
          label: C
          rows_from: pik
          columns: [{id: q, label: Q, options: [{value: y, label: Y}]}]
        """,
        ["FE146@18:20"],
    ),
    "rows_from not multi_choice": (
        """\
        - id: one
          type: single_choice
          label: One
          options: [{value: a, label: A}]
        - id: c
          type: cards
          label: C
          rows_from: one
          columns: [{id: q, label: Q, options: [{value: y, label: Y}]}]
        """,
        ["FE146@18:20"],
    ),
    "no columns": (
        CARD_ITEMS
        + """\
        - id: c
          type: cards
          label: C
          rows_from: pick
          columns: []
        """,
        ["FE147@19:18"],
    ),
    "missing columns": (
        CARD_ITEMS
        + """\
        - id: c
          type: cards
          label: C
          rows_from: pick
        """,
        ["FE101@15:9"],
    ),
    "duplicate column": (
        CARD_ITEMS
        + """\
        - id: c
          type: cards
          label: C
          rows_from: pick
          columns:
            - {id: q, label: Q, options: [{value: y, label: Y}]}
            - {id: q, label: Q2, options: [{value: y, label: Y}]}
        """,
        ["FE144@21:18"],
    ),
    "column without options": (
        CARD_ITEMS
        + """\
        - id: c
          type: cards
          label: C
          rows_from: pick
          columns:
            - {id: q, label: Q}
        """,
        ["FE101@20:13"],
    ),
    "unknown column key": (
        CARD_ITEMS
        + """\
        - id: c
          type: cards
          label: C
          rows_from: pick
          columns:
            - {id: q, label: Q, options: [{value: y, label: Y}], required: true}
        """,
        ["FE102@20:64"],
    ),
    "unknown option set in a column": (
        CARD_ITEMS
        + """\
        - id: c
          type: cards
          label: C
          rows_from: pick
          columns:
            - {id: q, label: Q, options: nope}
        """,
        ["FE116@20:40"],
    ),
    "duplicate fixed row": (
        """\
        - id: c
          type: cards
          label: C
          rows: [{id: a, label: A}, {id: a, label: A2}]
          columns: [{id: q, label: Q, options: [{value: y, label: Y}]}]
        """,
        ["FE105@14:40"],
    ),
    "options on cards": (
        CARD_ITEMS
        + """\
        - id: c
          type: cards
          label: C
          rows_from: pick
          options: [{value: y, label: Y}]
          columns: [{id: q, label: Q, options: [{value: y, label: Y}]}]
        """,
        ["FE119@19:9"],
    ),
    "show_if on its own cell": (
        CARD_ITEMS
        + """\
        - id: c
          type: cards
          label: C
          rows_from: pick
          show_if: "c.a.q == 'y'"
          columns: [{id: q, label: Q, options: [{value: y, label: Y}]}]
        """,
        ["FE205@19:19"],
    ),
    "expression: unknown cell": (
        CARD_ITEMS
        + """\
        - id: c
          type: cards
          label: C
          rows_from: pick
          columns: [{id: q, label: Q, options: [{value: y, label: Y}]}]
        - id: n
          type: note
          text: N
          show_if: "c.a.qq == 'y'"
        """,
        ["FE202@23:19"],
    ),
    "expression: not an option of the cell": (
        CARD_ITEMS
        + """\
        - id: c
          type: cards
          label: C
          rows_from: pick
          columns: [{id: q, label: Q, options: [{value: y, label: Y}]}]
        - id: n
          type: note
          text: N
          show_if: "c.a.q == 'n' or count(c) > 1 or answered(c.b)"
        """,
        ["FE204@23:19"],
    ),
}


@pytest.mark.parametrize("case", sorted(GROUP_CASES))
def test_grouped_option_problems_are_located(case):
    items, want = GROUP_CASES[case]
    assert build(items_form(items))[1] == want


@pytest.mark.parametrize("case", sorted(CARDS_CASES))
def test_cards_problems_are_located(case):
    items, want = CARDS_CASES[case]
    assert build(items_form(items))[1] == want


def test_rows_from_may_be_in_the_same_section_after_the_cards():
    items = (
        """\
        - id: c
          type: cards
          label: C
          rows_from: pick
          columns: [{id: q, label: Q, options: [{value: y, label: Y}]}]
"""
        + CARD_ITEMS
    )
    defn, problems = build(items_form(items))
    assert problems == []
    assert [r.id for r in defn.item("c").rows] == ["a", "b"]


def test_rows_from_in_a_later_section_is_refused():
    text = HEAD + textwrap.dedent("""\
        sections:
          - id: s1
            title: S1
            items:
              - id: c
                type: cards
                label: C
                rows_from: pick
                columns: [{id: q, label: Q, options: [{value: y, label: Y}]}]
          - id: s2
            title: S2
            items:
              - {id: pick, type: multi_choice, label: P, options: [{value: a, label: A}]}
        """)
    assert build(text)[1] == ["FE146@14:20"]


SCORING_CARDS = CARD_ITEMS + textwrap.indent(
    """\
- id: c
  type: cards
  label: C
  rows_from: pick
  columns:
    - {id: q, label: Q, options: [{value: y, label: Y, score: 1}, {value: n, label: N, score: 0}]}
    - {id: t, label: T, options: [{value: free, label: Free}]}
""",
    " " * 8,
)

SCORING_CASES = {
    "whole column": (
        """\
        scoring:
          scales: [{id: s, label: S, items: ["c[*].q"]}]
        """,
        [],
    ),
    "unknown column": (
        """\
        scoring:
          scales: [{id: s, label: S, items: ["c[*].qq"]}]
        """,
        ["FE401@23:38"],
    ),
    "unscored column": (
        """\
        scoring:
          scales: [{id: s, label: S, items: ["c[*].t", c.a.t]}]
        """,
        ["FE402@23:38", "FE402@23:48"],
    ),
    "cell": (
        """\
        scoring:
          scales: [{id: s, label: S, items: [c.a.q, c.b.q]}]
        """,
        [],
    ),
    "gap with bind and cards": (
        """\
        scoring:
          gaps: [{id: g, cards: c, bind: {x: c}, when: "q == 'y'", label: G}]
        """,
        ["FE409@23:10"],
    ),
    "gap on a non-cards item": (
        """\
        scoring:
          gaps: [{id: g, cards: pick, when: "q == 'y'", label: G}]
        """,
        ["FE410@23:25"],
    ),
    "gap literal checked against the column": (
        """\
        scoring:
          gaps: [{id: g, cards: c, when: "q == 'maybe' and t == 'free'", label: G}]
        """,
        ["FE204@23:35"],
    ),
    "gap unknown name": (
        """\
        scoring:
          gaps: [{id: g, cards: c, when: "qq == 'y'", label: G}]
        """,
        ["FE202@23:35"],
    ),
    "compares_to syntax": (
        """\
        scoring:
          scales: [{id: s, label: S, items: ["c[*].q"], compares_to: other-form#s}]
        """,
        ["FE326@23:62"],
    ),
}


@pytest.mark.parametrize("case", sorted(SCORING_CASES))
def test_card_scoring_problems_are_located(case):
    extra, want = SCORING_CASES[case]
    assert build(items_form(SCORING_CARDS, extra))[1] == want


PREFILL_CASES = {
    "valid": (
        """\
        prefill:
          - from: old-form@1
            map: {pick: pick, who: c.a.q, m.r: c.b.q}
            values: {c.a.q: {yes: y, no: n}}
        """,
        [],
    ),
    "bad source": (
        """\
        prefill:
          - from: old-form
            map: {pick: pick}
        """,
        ["FE321@23:11"],
    ),
    "unknown target": (
        """\
        prefill:
          - from: old-form@1.0.0
            map: {pick: pik, x: c.a, y: c.a.zz}
        """,
        ["FE322@24:17", "FE322@24:25", "FE322@24:33"],
    ),
    "value not an option": (
        """\
        prefill:
          - from: old-form@1
            map: {who: c.a.q}
            values: {c.a.q: {yes: maybe}}
        """,
        ["FE323@25:27"],
    ),
    "values for an unmapped target": (
        """\
        prefill:
          - from: old-form@1
            map: {who: c.a.q}
            values: {c.b.q: {yes: y}}
        """,
        ["FE322@25:14"],
    ),
    "missing map": (
        """\
        prefill:
          - from: old-form@1
        """,
        ["FE101@23:5"],
    ),
}


@pytest.mark.parametrize("case", sorted(PREFILL_CASES))
def test_prefill_problems_are_located(case):
    extra, want = PREFILL_CASES[case]
    assert build(items_form(SCORING_CARDS, extra))[1] == want


def test_prefill_model():
    defn, problems = build(items_form(SCORING_CARDS, PREFILL_CASES["valid"][0]))
    assert problems == []
    (source,) = defn.prefill
    assert source.matches("old-form", "1.2.0") and source.matches("old-form", "1.0.0")
    assert not source.matches("old-form", "2.0.0") and not source.matches("other", "1.0.0")
    assert dict(source.map) == {"pick": "pick", "who": "c.a.q", "m.r": "c.b.q"}
    assert source.value_map("c.a.q") == {"yes": "y", "no": "n"}


def test_show_json_and_diff_know_cards_columns_and_groups():
    from formengine.definition.diff import diff
    from formengine.definition.serialize import definition_json
    from formengine.render.textview import render_text

    old, _ = build(cards_form())
    data = definition_json(old)
    tasks = next(i for s in data["sections"] for i in s["items"] if i["id"] == "tasks")
    assert tasks["rows_from"] == "helps_with" and [c["id"] for c in tasks["columns"]] == [
        "who_now",
        "from_now",
        "expects",
    ]
    assert data["gaps"][0]["cards"] == "tasks"
    helps = next(i for s in data["sections"] for i in s["items"] if i["id"] == "helps_with")
    assert helps["groups"][0]["id"] == "personal" and helps["options"][0]["group"] == "personal"
    text = render_text(old, "nb")
    assert "? Hvem gjør dette nå?" in text and "Han/hun selv" in text
    changed = (
        cards_form()
        .replace("score: 2}\n", "score: 3}\n", 1)
        .replace(
            "          - id: expects\n",
            "          - id: when\n            label: {nb: Når, nn: Når, en: When}\n            options: who_does\n"
            "          - id: expects\n",
            1,
        )
    )
    new, problems = build(changed)
    assert problems == [], problems
    found = set(diff(old, new).changes)
    assert ("minor", "column added", "tasks.when") in found
    assert ("major", "score changed", "tasks.from_now: stop 2 → 3") in found


def test_a_variant_renames_a_card_question_and_may_not_hide_scored_cards(write_form, forms_root):
    from formengine.definition.registry import load_registry

    write_form(cards_form("kort", "1.0.0"), "kort", "1.0.0")
    variant = """\
        id: kort-testby
        version: 1.0.0
        status: draft
        extends: kort@1.0.0
        municipality: {id: "3403", name: Testby}
        languages: [nb, nn, en]
        default_language: nb
        changes:
          - op: set_text
            target: tasks
            column: who_now
            label: {nb: Hvem gjør det i dag?, nn: Kven gjer det i dag?, en: Who does it today?}
          - op: set_text
            target: tasks
            column: expects
            option: help
            label: {nb: Litt hjelp, nn: Litt hjelp, en: Some help}
          - op: hide
            target: helps_with
          - op: hide
            target: tasks
        """
    write_form(variant, "kort-testby", "1.0.0")
    registry = load_registry(forms_root)
    problems = [(p.code, p.args.get("target")) for p in registry.problems if "kort-testby" in p.location.file]
    assert problems == [("FE304", "helps_with"), ("FE304", "tasks")]
    fixed = variant.split("          - op: hide")[0]
    write_form(fixed, "kort-testby", "1.0.0")
    registry = load_registry(forms_root)
    assert [p.format() for p in registry.problems if p.severity == "error"] == []
    tasks = registry.get("kort-testby", "1.0.0").item("tasks")
    assert tasks.column("who_now").label.get("nb") == "Hvem gjør det i dag?"
    assert tasks.column("expects").option("help").label.get("en") == "Some help"


def test_the_json_schema_knows_cards_groups_prefill_and_compares_to():
    import jsonschema
    import yaml

    from formengine.definition.schema import build_schema

    validator = jsonschema.Draft202012Validator(build_schema())
    data = yaml.safe_load(cards_form())
    data["prefill"] = [
        {"from": "old@1", "map": {"a": "tasks.shopping.who_now"}, "values": {"x": {"y": None}}}
    ]
    data["scoring"]["scales"][0]["compares_to"] = "old@1.0.0#strain"
    assert list(validator.iter_errors(data)) == []
    tasks = data["sections"][1]["items"][0]
    tasks["rows"] = [{"id": "a", "label": "A"}]  # both rows and rows_from
    assert list(validator.iter_errors(data))
    del tasks["rows"], tasks["rows_from"]
    assert list(validator.iter_errors(data))
    tasks["rows_from"] = "helps_with"
    tasks["required"] = True
    assert list(validator.iter_errors(data))
