"""Scoring arithmetic on small inline forms; every expected value is worked out by hand in a comment."""

from __future__ import annotations

import json

import pytest

from formengine.definition.registry import load_registry

HEAD = """\
id: {form_id}
version: 1.0.0
status: active
title: Test
languages: [nb, en]
default_language: nb
domains:
  - {{id: rest, label: {{nb: Hvile, en: Rest}}}}
  - {{id: money, label: Penger}}
option_sets:
  grade:
    - {{value: g0, score: 0, label: Ingen}}
    - {{value: g1, score: 1, label: En}}
    - {{value: g2, score: 2, label: To}}
    - {{value: g3, score: 3, label: Tre}}
    - {{value: na, not_applicable: true, label: Ikke aktuelt}}
  likert:
    - {{value: l1, score: 1, label: {{nb: En, en: One}}}}
    - {{value: l2, score: 2, label: To}}
    - {{value: l3, score: 3, label: Tre}}
    - {{value: l4, score: 4, label: Fire}}
    - {{value: l5, score: 5, label: Fem}}
    - {{value: na, not_applicable: true, label: Ikke aktuelt}}
sections:
  - id: s1
    title: Del 1
    items:
      - {{id: a, type: scale, label: A, options: grade}}
      - {{id: b, type: scale, label: B, options: grade}}
      - {{id: c, type: scale, label: C, options: grade}}
      - {{id: d, type: scale, label: D, options: grade}}
"""


def form(
    write_form, forms_root, scoring: str, extra_items: str = "", form_id: str = "test", extra_top: str = ""
):
    """Write a form with items a–d (grade 0–3, n/a) plus ``extra_items``; return its definition."""
    text = HEAD.format(form_id=form_id) + extra_items + extra_top + "scoring:\n" + scoring
    write_form(text, form_id)
    registry = load_registry(forms_root)
    assert registry.errors == [], [p.format() for p in registry.errors]
    return registry.get(form_id, "1.0.0")


def run(defn, answers, lang=None):
    from formengine.scoring.engine import score

    return score(defn, answers, lang)


def scale(report, sid):
    return next(s for s in report.scales if s.id == sid)


SUM4 = """\
  scales:
    - id: s
      label: S
      items: [a, b, c, d]
      method: sum
      min_answered: 3
      prorate: true
      bands:
        - {id: low, max: 4, label: Lav}
        - {id: high, label: Hoy, suggest_offers: true}
"""


@pytest.fixture
def sum4(write_form, forms_root):
    return form(write_form, forms_root, SUM4)


def test_sum_all_answered_is_the_plain_total(sum4):
    s = scale(run(sum4, {"a": "g1", "b": "g2", "c": "g3", "d": "g0"}), "s")
    assert (s.value, s.raw, s.answered, s.items, s.prorated, s.reason) == (6.0, 6.0, 4, 4, False, None)


def test_sum_prorated_exactly_at_min_answered(sum4):
    # 3 of 4 answered: raw 1+1+2 = 4, prorated 4 * 4/3 = 5.333 -> 5.33, above low's max 4
    s = scale(run(sum4, {"a": "g1", "b": "g1", "c": "g2"}), "s")
    assert (s.value, s.raw, s.answered, s.prorated, s.band.id) == (5.33, 4.0, 3, True, "high")


def test_sum_one_below_min_answered_is_null_not_zero(sum4):
    s = scale(run(sum4, {"a": "g3", "b": "g3"}), "s")
    assert (s.value, s.reason, s.band, s.answered) == (None, "too_few_answers", None, 2)


def test_no_answers_gives_reason_no_answers(sum4):
    s = scale(run(sum4, {}), "s")
    assert (s.value, s.reason, s.answered) == (None, "no_answers", 0)


def test_not_applicable_leaves_the_item_count(sum4):
    # d is n/a: 3 items remain, all answered -> no proration; 1+2+0 = 3
    s = scale(run(sum4, {"a": "g1", "b": "g2", "c": "g0", "d": "na"}), "s")
    assert (s.value, s.items, s.answered, s.not_applicable, s.prorated) == (3.0, 3, 3, 1, False)


def test_min_answered_count_is_capped_by_not_applicable(sum4):
    # 2 n/a leave 2 items; the count 3 cannot be reached, so it is capped at 2: 2+3 = 5
    s = scale(run(sum4, {"a": "g2", "b": "g3", "c": "na", "d": "na"}), "s")
    assert (s.value, s.items, s.answered) == (5.0, 2, 2)


def test_all_not_applicable_is_null(sum4):
    s = scale(run(sum4, {"a": "na", "b": "na", "c": "na", "d": "na"}), "s")
    assert (s.value, s.reason, s.items) == (None, "not_applicable", 0)


def test_band_value_exactly_at_max_stays_in_band(sum4):
    s = scale(run(sum4, {"a": "g1", "b": "g1", "c": "g1", "d": "g1"}), "s")
    assert (s.value, s.band.id) == (4.0, "low")


def test_prorated_value_just_above_max_changes_band(sum4):
    # 3 answered, raw 3.25 impossible with integers; raw 4 -> 5.33 is above 4; raw 3 -> exactly 4.0
    s = scale(run(sum4, {"a": "g1", "b": "g1", "c": "g1"}), "s")
    assert (s.value, s.band.id) == (4.0, "low")


MEAN = """\
  scales:
    - id: m
      label: M
      items: [a, b, c, d]
      method: mean
      weights: {a: 2}
      reverse: [b]
      min_answered: 0.5
"""


def test_weighted_mean_with_reverse(write_form, forms_root):
    defn = form(write_form, forms_root, MEAN)
    # a = 3 weight 2 -> 6; b = 1 reversed over 0..3 -> 0 + 3 - 1 = 2; c = 1 -> (6 + 2 + 1) / 4 = 2.25
    s = scale(run(defn, {"a": "g3", "b": "g1", "c": "g1"}), "m")
    assert s.value == 2.25


def test_fraction_min_answered_counts_non_na_items(write_form, forms_root):
    defn = form(write_form, forms_root, MEAN)
    # 4 items, 0.5 -> 2 needed; with c and d n/a, 2 items remain and 1 is needed
    assert scale(run(defn, {"b": "g0"}), "m").value is None
    assert scale(run(defn, {"b": "g0", "c": "na", "d": "na"}), "m").value == 3.0  # reversed 0 -> 3


def test_reverse_uses_the_items_own_min_and_max(write_form, forms_root):
    defn = form(
        write_form,
        forms_root,
        """\
  scales:
    - id: r
      label: R
      items: [l]
      method: mean
      reverse: [l]
""",
        extra_items="      - {id: l, type: scale, label: L, options: likert}\n",
    )
    # likert 1..5: 1 + 5 - 2 = 4; n/a is not part of the range
    assert scale(run(defn, {"l": "l2"}), "r").value == 4.0
    assert scale(run(defn, {"l": "na"}), "r").value is None


ROUNDING_ITEMS = """\
      - id: x
        type: single_choice
        label: X
        options:
          - {value: p, score: 1.005, label: P}
          - {value: q, score: 2.675, label: Q}
          - {value: n, score: -1.005, label: N}
          - {value: unknown, label: Vet ikke}
"""


def test_rounding_is_half_away_from_zero_without_float_noise(write_form, forms_root):
    defn = form(
        write_form,
        forms_root,
        "  scales:\n    - {id: x, label: X, items: [x], method: mean}\n",
        extra_items=ROUNDING_ITEMS,
    )
    # float round(1.005, 2) == 1.0 and round(2.675, 2) == 2.67; decimal half-up gives 1.01, 2.68, -1.01
    assert scale(run(defn, {"x": "p"}), "x").value == 1.01
    assert scale(run(defn, {"x": "q"}), "x").value == 2.68
    assert scale(run(defn, {"x": "n"}), "x").value == -1.01


def test_an_option_without_score_counts_as_unanswered(write_form, forms_root):
    defn = form(
        write_form,
        forms_root,
        "  scales:\n    - {id: x, label: X, items: [x], method: mean}\n",
        extra_items=ROUNDING_ITEMS,
    )
    s = scale(run(defn, {"x": "unknown"}), "x")
    assert (s.value, s.reason, s.items) == (None, "no_answers", 1)


MULTI = """\
      - id: mc
        type: multi_choice
        label: MC
        options:
          - {value: x, score: 1, label: X}
          - {value: y, score: 2, label: Y}
          - {value: z, score: 3, label: Z}
          - {value: none, not_applicable: true, label: Ingen}
"""


def test_multi_choice_scores_the_sum_of_selected_options(write_form, forms_root):
    defn = form(
        write_form,
        forms_root,
        "  scales:\n    - {id: mc, label: MC, items: [mc, a], method: sum}\n",
        extra_items=MULTI,
    )
    assert scale(run(defn, {"mc": ["x", "z"], "a": "g1"}), "mc").value == 5.0  # 1 + 3 + 1
    assert scale(run(defn, {"mc": []}), "mc").reason == "no_answers"  # an empty list is no answer
    only_na = scale(run(defn, {"mc": ["none"], "a": "g2"}), "mc")
    assert (only_na.value, only_na.items, only_na.not_applicable) == (2.0, 1, 1)


MATRIX = """\
      - id: mx
        type: matrix
        label: MX
        rows: [{id: r1, label: {nb: Rad en, en: Row one}}, {id: r2, label: Rad to}]
        options: grade
      - id: my
        type: matrix
        label: MY
        rows: [{id: r1, label: Annen}, {id: r2, label: Annen to}]
        options: grade
"""


def test_matrix_rows_and_whole_matrices_score(write_form, forms_root):
    defn = form(
        write_form,
        forms_root,
        """\
  scales:
    - {id: one_row, label: R, items: [mx.r2], method: sum}
    - {id: whole, label: W, items: [mx], method: sum}
""",
        extra_items=MATRIX,
    )
    report = run(defn, {"mx": {"r1": "g1", "r2": "g3"}})
    assert scale(report, "one_row").value == 3.0
    assert (scale(report, "whole").value, scale(report, "whole").items) == (4.0, 2)


def test_hidden_items_do_not_count(write_form, forms_root):
    defn = form(
        write_form,
        forms_root,
        "  scales:\n    - {id: s, label: S, items: [a, h], method: sum}\n",
        extra_items="      - {id: gate, type: yes_no, label: G}\n"
        "      - {id: h, type: scale, label: H, options: grade, show_if: \"gate == 'yes'\"}\n",
    )
    assert scale(run(defn, {"a": "g1", "h": "g3", "gate": "no"}), "s").value == 1.0
    assert scale(run(defn, {"a": "g1", "h": "g3", "gate": "yes"}), "s").value == 4.0


FULL_SCORING = """\
  scales:
    - id: rest_scale
      label: {nb: Hvile, en: Rest}
      domain: rest
      items: [a, b]
      method: sum
      bands:
        - {id: low, max: 2, label: {nb: Lav, en: Low}, colour: neutral-1}
        - {id: high, label: {nb: Hoy, en: High}, colour: neutral-3, suggest_offers: true}
    - id: money_scale
      label: Penger
      domain: money
      items: [c]
      method: sum
      bands:
        - {id: low, max: 2, label: Lav}
        - {id: high, label: Hoy}
  flags:
    - {id: rest_high, when: "score.rest_scale >= 4", severity: medium, message: {nb: Mye, en: Much}}
    - {id: rest_missing, when: "score.rest_scale == null", severity: info, message: Mangler}
    - {id: money_low, when: "score.money_scale < 1", severity: info, message: Lite}
  priorities: prio
  gaps:
    - id: more_than_now
      rows: [mx, my]
      bind: {now: mx, later: my}
      when: "later > now"
      label: {nb: Mer senere, en: More later}
  offer_triggers:
    - {when: "c == 'g3'", domains: [money]}
"""
PRIO = """\
      - id: prio
        type: priority
        label: P
        options:
          - {value: rest, label: {nb: Hvile, en: Rest}}
          - {value: money, label: Penger}
      - {id: lone, type: scale, label: L, options: grade}
"""
OFFERS = """\
contacts:
  - {id: desk, name: {nb: Skranke, en: Desk}, phone: "+47 00 00 00 00"}
offers:
  - {id: o_money, title: Penger, domains: [money], contact: desk}
  - {id: o_rest, title: {nb: Hvile, en: Rest}, domains: [rest, money]}
  - {id: o_none, title: Ingen, domains: [rest_other]}
"""


@pytest.fixture
def full(write_form, forms_root):
    extra_top = OFFERS.replace("rest_other", "money")  # every offer must name a known domain
    extra_top = extra_top.replace("  - {id: o_none, title: Ingen, domains: [money]}\n", "")
    return form(write_form, forms_root, FULL_SCORING, extra_items=MATRIX + PRIO, extra_top=extra_top)


def test_flags_see_scale_values_and_null_compares_false(full):
    report = run(full, {"a": "g2", "b": "g2"})
    # rest 4 -> rest_high; money null: 'null < 1' is false, so money_low stays off
    assert [f.id for f in report.flags] == ["rest_high"]
    assert [f.id for f in run(full, {}).flags] == ["rest_missing"]


def test_offers_from_bands_and_triggers_with_because(full):
    report = run(full, {"a": "g3", "b": "g3", "c": "g3"})
    assert [(o.id, o.because) for o in report.offers] == [
        ("o_money", ("trigger",)),
        ("o_rest", ("rest_scale", "trigger")),
    ]
    assert report.offers[0].contact.id == "desk"
    # money_scale is high too, but its band does not suggest offers
    assert [o.id for o in run(full, {"c": "g3"}).offers] == ["o_money", "o_rest"]
    assert [o.id for o in run(full, {"c": "g2", "a": "g3"}).offers] == ["o_rest"]


def test_gaps_bind_each_rows_answers_and_use_the_first_matrix_row_label(full):
    report = run(full, {"mx": {"r1": "g1", "r2": "g2"}, "my": {"r1": "g2", "r2": "g2"}}, "en")
    assert [(g.id, g.row, g.row_label, dict(g.values), g.label) for g in report.gaps] == [
        ("more_than_now", "r1", "Row one", {"now": "g1", "later": "g2"}, "More later")
    ]


def test_priorities_keep_order_and_labels(full):
    report = run(full, {"prio": ["money", "rest"]}, "en")
    assert [(p.value, p.label) for p in report.priorities] == [("money", "Penger"), ("rest", "Rest")]


def test_labels_in_requested_language_with_fallback(full):
    report = run(full, {"a": "g3", "b": "g3"}, "en")
    s = scale(report, "rest_scale")
    assert (report.lang, s.label, s.band.label, s.band.colour) == ("en", "Rest", "High", "neutral-3")
    assert scale(report, "money_scale").label == "Penger"  # no English text: default language
    assert run(full, {}, "se").lang == "nb"  # not a language of the form: default language
    assert run(full, {}).lang == "nb"


def test_report_json_is_deterministic_and_complete(full):
    answers = {"a": "g3", "b": "g3", "c": "g3", "prio": ["rest"], "mx": {"r1": "g0"}, "my": {"r1": "g3"}}
    first = json.dumps(run(full, answers).as_json(), sort_keys=True)
    assert first == json.dumps(run(full, dict(reversed(answers.items()))).as_json(), sort_keys=True)
    data = json.loads(first)
    assert set(data) == {
        "form",
        "version",
        "definition_hash",
        "lang",
        "scales",
        "flags",
        "priorities",
        "gaps",
        "offers",
    }
    assert data["definition_hash"] == full.hash
    assert set(data["scales"][0]) >= {
        "id",
        "label",
        "value",
        "raw",
        "answered",
        "items",
        "prorated",
        "reason",
        "band",
        "domain",
    }
    assert set(data["offers"][0]) >= {"id", "title", "description", "contact", "domains", "because"}
    assert set(data["gaps"][0]) == {"id", "row", "row_label", "values", "label"}


def test_scorer_is_compiled_once_per_definition(full):
    from formengine.scoring.engine import compile_scorer

    assert compile_scorer(full) is compile_scorer(full)


def test_invalid_values_are_treated_as_unanswered(full):
    # score() is also used on stored data; a stray value must not crash it (check_answers reports it)
    report = run(full, {"a": "nope", "b": 3, "mx": "x", "prio": "rest", "c": ["g1"]})
    assert scale(report, "rest_scale").value is None
