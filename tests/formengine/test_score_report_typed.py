"""Typed ScoreReports flow to the summary: no JSON round trip, and a JSON report still works."""

from __future__ import annotations

import datetime as dt

import pytest
from test_summary_support import FORMS

from formengine import ScoreReport, load_registry, score
from formengine.answers.samples import sample_answers
from formengine.summary import summary_html
from formengine.summary.context import as_report, filter_report

META = {"submitted_at": dt.datetime(2026, 11, 20, 14, 5), "conversation_only": ["hard_to_say"]}


@pytest.fixture(scope="module")
def core():
    return load_registry(FORMS).get("parorende-kartlegging", "1.1.0")


def test_a_report_survives_its_json_form() -> None:
    variant = load_registry(FORMS).get("eksempel-kommune", "1.0.0")
    report = score(variant, sample_answers(variant), "nb")
    assert report.scales and report.offers and report.gaps  # the comparison covers the nested results
    assert ScoreReport.from_json(report.as_json()) == report


def test_the_summary_takes_the_report_object_as_it_is(core) -> None:
    report = score(core, sample_answers(core), "nb")
    assert as_report(report) is report
    assert as_report(report.as_json()) == report


def test_the_record_copy_filters_a_typed_report(core) -> None:
    report = score(core, sample_answers(core), "nb")
    reads = {s.id for s in core.scoring.scales if any(i.partition(".")[0] == "hard_to_say" for i in s.items)}
    filtered = filter_report(core, report, {"hard_to_say"})
    assert isinstance(filtered, ScoreReport)
    assert all(s.reason == "left_out" and s.value is None for s in filtered.scales if s.id in reads)


def test_object_and_json_report_print_the_same_summary(core) -> None:
    answers = sample_answers(core)
    report = score(core, answers, "en")
    as_object = summary_html(core, answers, lang="en", copy="record", meta=META, report=report)
    as_json = summary_html(core, answers, lang="en", copy="record", meta=META, report=report.as_json())
    assert as_object == as_json
