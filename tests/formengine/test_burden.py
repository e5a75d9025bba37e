"""The expected time of a form: computed from the definition, on a typical path."""

from __future__ import annotations

from pathlib import Path

import pytest

import formengine
from formengine.definition.burden import (
    COUNTER_WORDS,
    PAGE_WORDS,
    SECONDS_PER_ANSWER,
    WORDS_PER_MINUTE,
    count_words,
    estimate_time,
    minutes_range,
    typical_ticks,
)
from formengine.definition.model import FormDefinition, Item, Option, Row, Section, Text
from formengine.expressions.parser import parse

ROOT = Path(__file__).resolve().parents[2]


def t(text: str) -> Text:
    return Text((("nb", text), ("en", text.upper())), "nb")


def opts(*labels: str) -> tuple[Option, ...]:
    return tuple(Option(f"o{n}", t(label)) for n, label in enumerate(labels))


def form(*sections: Section) -> FormDefinition:
    return FormDefinition(
        id="f",
        version="1.0.0",
        status="active",
        title=t("Skjema"),
        languages=("nb", "en"),
        default_language="nb",
        sections=sections,
    )


def test_words_and_answers_of_a_plain_page():
    page = Section(
        "s",
        t("Om deg"),
        (
            Item("a", "single_choice", t("Hvem er du?"), options=opts("Mor", "Far")),
            Item("b", "long_text", t("Fortell med egne ord")),
        ),
    )
    found = estimate_time(form(page))
    words = PAGE_WORDS + 2 + 3 + 2 + 4 + COUNTER_WORDS  # a text box shows its counter
    assert found.words == words and found.answers == 2
    assert found.minutes == pytest.approx(words / WORDS_PER_MINUTE + 2 * SECONDS_PER_ANSWER / 60)
    assert formengine.estimate_minutes(form(page)) == pytest.approx(found.minutes)


def test_conditions_count_half_and_matrix_rows_each():
    grid = Item(
        "g",
        "matrix",
        t("Hvem gjør det"),
        options=opts("Jeg", "Andre"),
        rows=(Row("r1", t("Handling")), Row("r2", t("Mat og drikke"))),
    )
    branch = Item("c", "text", t("Hvilken"), show_if=parse("g.r1 == 'o0'"))
    later = Section(
        "later", t("Mer"), (Item("x", "yes_no", t("Ja eller nei")),), show_if=parse("g.r1 == 'o1'")
    )
    found = estimate_time(form(Section("s", t("Oppgaver"), (grid, branch)), later))
    first, second = found.sections
    assert first.answers == 2 + 0.5  # two rows, half a branch
    assert first.words == PAGE_WORDS + 1 + 3 + (1 + 2) + (3 + 2) + 0.5 * (1 + COUNTER_WORDS)
    assert second.weight == 0.5 and second.words == PAGE_WORDS + 1 + 3 + 2  # yes_no shows Ja / Nei
    assert found.answers == pytest.approx(2.5 + 0.5)
    assert found.remaining_minutes(["later"]) == pytest.approx(second.seconds / 60)


def test_language_changes_the_count_and_markup_is_not_read():
    assert count_words("**Viktig:** se [nettsiden](https://example.org/a-b) – pårørende-avtale") == 4
    page = Section(
        "s",
        t("Om deg"),
        (
            Item(
                "n",
                "note",
                text=Text((("nb", "En to"), ("en", "One two three"))),
            ),
        ),
    )
    assert estimate_time(form(page), "en").words == estimate_time(form(page), "nb").words + 1


def test_typical_ticks_are_a_quarter_of_a_checklist():
    many = Item("m", "multi_choice", t("Hva"), options=opts(*[f"valg {n}" for n in range(30)]))
    assert typical_ticks(many) == 6
    assert typical_ticks(Item("m", "multi_choice", t("Hva"), options=opts("a", "b", "c"))) == 1
    assert typical_ticks(Item("m", "multi_choice", t("Hva"), options=opts(*"abcdefghij"), max_choices=2)) == 2


@pytest.mark.parametrize(
    "minutes,shown", [(12.4, (10, 15)), (15.0, (15, 20)), (41, (40, 45)), (7.4, (7, 9)), (0.4, (1, 3))]
)
def test_range_shown_to_the_relative(minutes, shown):
    assert minutes_range(minutes) == shown


def test_the_national_assessment_1_1_is_long():
    defn = formengine.load_registry(ROOT / "forms").get("parorende-kartlegging", "1.1.0")
    found = estimate_time(defn)
    assert 170 <= found.answers <= 190 and 4000 <= found.words <= 5500  # the issue's own count
    assert 35 <= found.minutes <= 45


def test_task_cards_count_per_typical_tick_and_follow_the_ticks():
    from formengine.definition.model import Column, OptionGroup

    tasks = Item(
        "helps_with",
        "multi_choice",
        t("Hva hjelper du med"),
        options=tuple(Option(f"task{n}", t(f"Oppgave {n}"), group="g") for n in range(12)),
        groups=(OptionGroup("g", t("Praktisk")),),
    )
    who = Column("who_now", t("Hvem gjør det nå"), opts("Jeg", "Andre", "Ikke aktuelt"))
    more = Column("from_now", t("Fra nå av"), opts("Som nå", "Mer"))
    cards = Item("tasks", "cards", t("Oppgavene"), columns=(who, more), rows_from="helps_with")
    found = estimate_time(form(Section("a", t("Liste"), (tasks,)), Section("b", t("Kort"), (cards,))))
    checklist, card_page = found.sections
    assert (
        checklist.answers == 1 and checklist.words == PAGE_WORDS + 1 + 4 + 1 + 12 * 2
    )  # group heading counted
    assert typical_ticks(tasks) == 3 and card_page.answers == 3 * 2  # three cards, two questions each
    per_card = (3 + (4 + 4) + (3 + 3)) / WORDS_PER_MINUTE * 60 + 2 * SECONDS_PER_ANSWER
    assert card_page.cards == (("helps_with", 3.0, pytest.approx(per_card)),)
    six = found.remaining_minutes(["b"], {"helps_with": [f"task{n}" for n in range(6)]})
    assert six == pytest.approx(found.remaining_minutes(["b"]) + 3 * per_card / 60)


def test_a_card_column_behind_a_condition_counts_half():
    """Issue 11: a column asked only on some cards (show_if) is half a question per card."""
    from formengine.definition.model import Column

    who = Column("who_now", t("Hvem gjør det nå"), opts("Jeg", "Ingen"))
    expects = Column(
        "expects", t("Hva forventer du"), opts("Litt hjelp", "Vet ikke"), show_if=parse("who_now == 'o1'")
    )
    cards = Item(
        "tasks", "cards", t("Oppgavene"), columns=(who, expects), rows=(Row("a", t("En")), Row("b", t("To")))
    )
    (page,) = estimate_time(form(Section("a", t("Kort"), (cards,)))).sections
    assert page.answers == 2 * (1 + 0.5)
    assert page.words == PAGE_WORDS + 1 + 1 + (1 + 1) + 2 * ((4 + 2) + 0.5 * (3 + 4))
