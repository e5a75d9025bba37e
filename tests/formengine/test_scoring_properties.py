"""Property tests for scoring on the shipped forms, and scoring an old response after a new version exists."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from formengine.answers.check import validate_answers
from formengine.definition.registry import load_registry, publish

REPO = Path(__file__).resolve().parents[2]
REGISTRY = load_registry(REPO / "forms")
DEFINITIONS = [d for d in REGISTRY.all() if d.scoring.scales or d.scoring.flags]
BY_KEY = {d.key: d for d in DEFINITIONS}
PROPS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def score(defn, answers, lang=None):
    from formengine.scoring.engine import score as do_score

    return do_score(defn, answers, lang)


def value_for(item) -> st.SearchStrategy:
    """A valid answer for one item."""
    values = list(item.option_values)
    kind = item.type
    if kind in ("single_choice", "scale", "yes_no", "support_need"):
        return st.sampled_from(values)
    if kind == "multi_choice":
        alone = {o.value for o in item.options if o.exclusive}  # ticked alone or not at all (FE511)
        return st.lists(st.sampled_from(values), unique=True, max_size=item.max_choices or len(values)).map(
            lambda ticked: ticked if len(ticked) < 2 else [v for v in ticked if v not in alone]
        )
    if kind == "priority":
        return st.lists(st.sampled_from(values), unique=True, max_size=item.max_choices or 3)
    if kind == "matrix":
        return st.fixed_dictionaries({}, optional={row.id: st.sampled_from(values) for row in item.rows})
    if kind == "number":
        low = int(item.min) if isinstance(item.min, (int, float)) else 0
        high = int(item.max) if isinstance(item.max, (int, float)) else low + 100
        return st.integers(low, high)
    if kind in ("text", "long_text"):
        return st.text(max_size=20)
    if kind == "date":
        return st.just("2020-01-01" if item.max == "today" else "2099-01-01")
    if kind == "repeat":
        entry = st.fixed_dictionaries({}, optional={c.id: value_for(c) for c in item.items})
        return st.lists(entry, max_size=min(int(item.max or 3), 3))
    return st.nothing()


def answers_for(defn) -> st.SearchStrategy:
    items = [i for s in defn.sections for i in s.items if i.type != "note"]
    return st.fixed_dictionaries({}, optional={i.id: value_for(i) for i in items})


@st.composite
def form_and_answers(draw):
    key = draw(st.sampled_from(sorted(BY_KEY)))  # draw the key: a definition's repr is huge
    return key, draw(answers_for(BY_KEY[key]))


def bounds(defn, scale) -> tuple[Decimal, Decimal]:
    """The smallest and largest value a scale can take, from its items' option scores."""
    index = {}
    for item in defn.iter_items():
        index[item.id] = item
        for row in item.rows:
            index[f"{item.id}.{row.id}"] = item
    weights = dict(scale.weights)
    los, his = [], []
    for name in scale.items:
        item = index[name]
        scores = [
            Decimal(repr(o.score)) * Decimal(repr(weights.get(name, 1)))
            for o in item.options
            if o.score is not None and not o.not_applicable
        ]
        if item.type == "multi_choice":  # any subset: negatives only / positives only
            los.append(sum((s for s in scores if s < 0), Decimal(0)))
            his.append(sum((s for s in scores if s > 0), Decimal(0)))
        else:
            los.append(min(scores))
            his.append(max(scores))
    if scale.method == "mean":
        return min(los), max(his)
    if scale.prorate:
        n = len(scale.items)
        return min(min(los) * n, sum(los)), max(max(his) * n, sum(his))
    return sum(min(x, 0) for x in los), sum(max(x, 0) for x in his)


@PROPS
@given(form_and_answers())
def test_random_valid_answers_never_raise_and_stay_in_range(case):
    key, answers = case
    defn = BY_KEY[key]
    assert validate_answers(defn, answers) == []
    report = score(defn, answers)
    for result, scale in zip(report.scales, defn.scoring.scales, strict=True):
        if result.value is not None:
            low, high = bounds(defn, scale)
            assert low - Decimal("0.005") <= Decimal(repr(result.value)) <= high + Decimal("0.005"), result.id


@PROPS
@given(form_and_answers(), st.randoms(use_true_random=False))
def test_deterministic_and_independent_of_key_order(case, rnd):
    key, answers = case
    defn = BY_KEY[key]
    keys = list(answers)
    rnd.shuffle(keys)
    shuffled = {k: answers[k] for k in keys}
    first = json.dumps(score(defn, answers, "en").as_json(), sort_keys=True)
    assert first == json.dumps(score(defn, answers, "en").as_json(), sort_keys=True)
    assert first == json.dumps(score(defn, shuffled, "en").as_json(), sort_keys=True)


@pytest.mark.parametrize("defn", DEFINITIONS, ids=lambda d: d.key)
def test_empty_answers_give_every_scale_null(defn):
    report = score(defn, {})
    assert [s.value for s in report.scales] == [None] * len(defn.scoring.scales)
    assert all(s.reason == "no_answers" and s.band is None for s in report.scales)
    assert report.offers == () or all("trigger" in o.because for o in report.offers)


def test_old_response_scored_after_new_version_is_published(tmp_path):
    """A 1.0.0 response keeps its 1.0.0 result once 1.1.0 and 2.0.0 exist and are published."""
    case = json.loads((REPO / "tests/data/answers/core_full_realistic.json").read_text("utf-8"))
    assert case["version"] == "1.0.0"
    original = REGISTRY.get(case["form"], "1.0.0")
    before = json.dumps(score(original, case["answers"]).as_json(), sort_keys=True)

    root = tmp_path / "forms"
    shutil.copytree(REPO / "forms", root)
    publish(root, "parorende-kartlegging@1.0.0")
    publish(root, "parorende-kartlegging@1.1.0")
    publish(root, "parorende-kartlegging@2.0.0")
    registry = load_registry(root)
    assert registry.latest_active("parorende-kartlegging").version == "2.0.0"
    defn = registry.get(case["form"], case["version"])  # the version the response was filled in
    report = score(defn, case["answers"])
    assert (report.version, report.definition_hash) == ("1.0.0", original.hash)
    assert json.dumps(report.as_json(), sort_keys=True) == before
