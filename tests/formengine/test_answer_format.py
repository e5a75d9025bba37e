"""formengine.render.answers: the one answer formatter, locale-aware (Babel numbers and dates)."""

from __future__ import annotations

from formengine import Item, Option, Text, answer_lines, format_answer
from formengine.render.answers import format_number


def t(nb: str, en: str) -> Text:
    return Text((("nb", nb), ("en", en)), "nb")


HOURS = Item("hours", "number", t("Timer", "Hours"), unit=t("timer", "hours"), integer=False)
SINCE = Item("since", "date", t("Siden", "Since"))
PRIORITY = Item(
    "what",
    "priority",
    t("Viktigst", "Most important"),
    options=(Option("rest", t("Hvile", "Rest")), Option("work", t("Jobb", "Work"))),
)
KNOWS = Item("knows", "yes_no", t("Vet", "Knows"))  # built-in options


def test_a_decimal_is_written_in_the_languages_own_way() -> None:
    assert format_answer(HOURS, 7.5, "nb") == "7,5 timer"
    assert format_answer(HOURS, 7.5, "en") == "7.5 hours"
    assert format_number(12.0, "en") == "12"


def test_a_date_is_written_in_the_languages_own_way() -> None:
    assert format_answer(SINCE, "2026-12-01", "nb") == "1. desember 2026"
    assert format_answer(SINCE, "2026-12-01", "en") == "1 December 2026"
    assert format_answer(SINCE, "not a date", "en") == "not a date"


def test_lines_for_web_pages_and_one_line_for_the_pdf() -> None:
    assert answer_lines(PRIORITY, ["work", "rest"], "en") == ["1. Work", "2. Rest"]
    assert format_answer(PRIORITY, ["work", "rest"], "nb") == "Jobb; Hvile"
    assert answer_lines(KNOWS, "yes", "nb") == ["Ja"]
    assert answer_lines(HOURS, None, "nb") == [] and format_answer(HOURS, "  ", "nb") == ""
