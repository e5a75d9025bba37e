"""How long a form takes a relative: the expected time of a typical path, from the definition.

The model is the one the burden bench (``bench/burden.py``) measures in a browser: reading at
:data:`WORDS_PER_MINUTE` words a minute plus :data:`SECONDS_PER_ANSWER` seconds per question
shown. The web app shows the result ("Tar omtrent 10–15 minutter") and, on every page, about
how much is left; nothing about length is ever typed by hand.

**The typical path** is chosen from the definition alone, without answers:

* every section and item without a condition is shown;
* a section or item behind a condition (``show_if``) counts half: about half of the
  relatives see it (a relative with children sees the children's questions, one without
  does not);
* a repeat group has one entry;
* a checklist (``multi_choice``) is one answer, and a typical relative ticks a quarter of
  its options (at least one, at most :data:`TYPICAL_TICKS_MAX`); task cards built from that
  checklist (``cards`` with ``rows_from``) get one card per typical tick;
* every question on the path is counted as answered once, a matrix or card once per row
  and column, free text included (6 s is a short sentence or a decision to skip it); a card
  column behind a condition (``show_if``) counts half, like an item behind one;
* every page also shows its navigation ("Del 2 av 6 · omtrent 8 minutter igjen", the four
  buttons "Lagre og gå videre", "Tilbake", "Se over og send", "Fortsett senere"; the form's
  name above the heading on the first part only, averaged in): :data:`PAGE_WORDS` words;
  a text box its counter ("At most 1000 characters"), and a question the relative may mark
  "for the conversation only" that box: :data:`COUNTER_WORDS` and
  :data:`CONVERSATION_ONLY_WORDS` words.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from formengine.definition.item_types import ITEM_TYPES
from formengine.definition.model import FormDefinition, Item, Section, Text

WORDS_PER_MINUTE = 200
SECONDS_PER_ANSWER = 6.0
PAGE_WORDS = 18
COUNTER_WORDS = 3
CONVERSATION_ONLY_WORDS = 3  # "Bare til samtalen"
TYPICAL_TICKS_MAX = 6
CONDITIONAL_WEIGHT = 0.5

_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*", re.UNICODE)


def count_words(text: str) -> int:
    """Words in a text as a reader sees them (markup such as ``**`` and link targets ignored)."""
    text = re.sub(r"\]\([^)]*\)", "]", text)  # [label](url): only the label is read
    return len(_WORD.findall(text))


@dataclass(frozen=True)
class SectionEstimate:
    """The typical path through one section (one page)."""

    section_id: str
    words: float
    answers: float
    weight: float  # 1.0, or CONDITIONAL_WEIGHT for a section behind a condition
    # task cards from a checklist: (checklist item id, typical cards, seconds per card)
    cards: tuple[tuple[str, float, float], ...] = ()

    @property
    def seconds(self) -> float:
        """Reading and answering time of this page for a relative who is shown it."""
        return self.words / WORDS_PER_MINUTE * 60 + self.answers * SECONDS_PER_ANSWER

    def seconds_for(self, answers: Mapping[str, Any]) -> float:
        """Like :attr:`seconds`, with as many task cards as the relative has ticked tasks."""
        seconds = self.seconds
        for source, typical, per_card in self.cards:
            ticked = answers.get(source)
            if isinstance(ticked, list):
                seconds += (len(ticked) - typical) * per_card
        return max(seconds, 0.0)


@dataclass(frozen=True)
class TimeEstimate:
    """The expected time of a form's typical path, page by page."""

    sections: tuple[SectionEstimate, ...]

    @property
    def words(self) -> float:
        return sum(s.words * s.weight for s in self.sections)

    @property
    def answers(self) -> float:
        return sum(s.answers * s.weight for s in self.sections)

    @property
    def minutes(self) -> float:
        return sum(s.seconds * s.weight for s in self.sections) / 60

    def remaining_minutes(self, section_ids: list[str], answers: Mapping[str, Any] | None = None) -> float:
        """Minutes for the pages ``section_ids`` (e.g. this page and the visible ones after it).

        With ``answers``, task cards count as many as the tasks ticked so far.
        """
        wanted = set(section_ids)
        return sum(s.seconds_for(answers or {}) for s in self.sections if s.section_id in wanted) / 60


def estimate_time(definition: FormDefinition, lang: str | None = None) -> TimeEstimate:
    """The typical path of ``definition`` (texts counted in ``lang``, default the form's own)."""
    language = lang or definition.default_language
    ticks = {item.id: typical_ticks(item) for item in definition.iter_items() if item.type == "multi_choice"}
    return TimeEstimate(tuple(_section(section, language, ticks) for section in definition.sections))


def estimate_minutes(definition: FormDefinition, lang: str | None = None) -> float:
    """Expected minutes of a typical path through ``definition``.

    Reading at 200 words a minute plus 6 seconds per answer; how the typical path is chosen
    is described in this module's docstring (:mod:`formengine.definition.burden`).
    """
    return estimate_time(definition, lang).minutes


def minutes_range(minutes: float) -> tuple[int, int]:
    """A range to show a relative ("10–15 minutes") that holds ``minutes``.

    The five-minute bracket it falls in from ten minutes up (12.4 → 10–15, 15.0 → 15–20),
    a two-minute one below (7.4 → 7–9): honest without pretending to precision.
    """
    if minutes >= 10:
        low = 5 * math.floor(minutes / 5)
        return (low, low + 5)
    low = max(1, math.floor(minutes))
    return (low, low + 2)


def typical_ticks(item: Item) -> int:
    """How many options of a checklist a typical relative ticks (a quarter, 1..TYPICAL_TICKS_MAX)."""
    limit = item.max_choices or len(item.options)
    return max(1, min(TYPICAL_TICKS_MAX, limit, math.ceil(len(item.options) / 4)))


def _words(text: Text | None, lang: str) -> int:
    return count_words(text.get(lang)) if text else 0


def _options_words(item: Item, lang: str) -> int:
    if item.options:
        return sum(_words(o.label, lang) for o in item.options)
    spec = ITEM_TYPES.get(item.type)  # yes_no and support_need show their built-in options
    defaults = spec.default_options if spec else ()
    return sum(count_words(labels.get(lang) or labels.get("nb", "")) for _value, labels, _s, _na in defaults)


def _section(section: Section, lang: str, ticks: dict[str, int]) -> SectionEstimate:
    words = float(PAGE_WORDS + _words(section.title, lang) + _words(section.description, lang))
    answers = 0.0
    cards = []
    for item in section.items:
        item_words, item_answers = _item(item, lang, ticks)
        weight = CONDITIONAL_WEIGHT if item.show_if is not None else 1.0
        words += item_words * weight
        answers += item_answers * weight
        source = getattr(item, "rows_from", None)
        if item.type == "cards" and source:
            typical = ticks.get(str(source), 1)
            per_card = _cards(item, lang, {str(source): 1}, 0)
            seconds = per_card[0] / WORDS_PER_MINUTE * 60 + per_card[1] * SECONDS_PER_ANSWER
            cards.append((str(source), float(typical) * weight, seconds * weight))
    weight = CONDITIONAL_WEIGHT if section.show_if is not None else 1.0
    return SectionEstimate(section.id, words, answers, weight, tuple(cards))


def _item(item: Item, lang: str, ticks: dict[str, int]) -> tuple[float, float]:
    """(words, answers) one item shows on the typical path."""
    head = _words(item.label, lang) + _words(item.help, lang)
    head += sum(_words(getattr(g, "label", None), lang) for g in getattr(item, "groups", ()) or ())
    kind = item.type
    head += COUNTER_WORDS if kind in ("text", "long_text") else 0
    head += CONVERSATION_ONLY_WORDS if item.conversation_only else 0
    if kind == "note":
        return float(_words(item.text, lang) + _words(item.label, lang)), 0.0
    if kind == "matrix":
        per_row = _options_words(item, lang)
        return float(head + sum(_words(r.label, lang) + per_row for r in item.rows)), float(len(item.rows))
    if kind in ("repeat", "group"):  # a group: its heading and help, then its items
        words, answers = float(head + _words(item.add_label, lang)), 0.0
        for child in item.items:
            child_words, child_answers = _item(child, lang, ticks)
            weight = CONDITIONAL_WEIGHT if child.show_if is not None else 1.0
            words, answers = words + child_words * weight, answers + child_answers * weight
        return words, answers
    if kind == "cards":
        return _cards(item, lang, ticks, head)
    return float(head + _options_words(item, lang)), 1.0


def _cards(item: Item, lang: str, ticks: dict[str, int], head: int) -> tuple[float, float]:
    """Task cards: one card per row (fixed rows, or the typical ticks of ``rows_from``)."""
    columns: tuple[Any, ...] = tuple(getattr(item, "columns", ()) or ())
    rows: tuple[Any, ...] = tuple(getattr(item, "rows", ()) or ())
    source = getattr(item, "rows_from", None)
    if source:
        count = ticks.get(str(source), 1)
        labels = 0.0  # a card is titled with the ticked option's label: about three words
        words_per_row = 3.0
    else:
        count = len(rows)
        labels = float(sum(_words(r.label, lang) for r in rows))
        words_per_row = 0.0
    per_card = sum(
        _column_weight(c)
        * (
            _words(getattr(c, "label", None), lang)
            + _words(getattr(c, "help", None), lang)
            + _column_options_words(c, lang)
        )
        for c in columns
    )
    words = head + labels + count * (per_card + words_per_row)
    return float(words), float(count * sum(_column_weight(c) for c in columns))


def _column_weight(column: Any) -> float:
    """A card column behind a condition is asked on about half of the cards."""
    return CONDITIONAL_WEIGHT if getattr(column, "show_if", None) is not None else 1.0


def _column_options_words(column: Any, lang: str) -> int:
    return sum(_words(getattr(o, "label", None), lang) for o in getattr(column, "options", ()) or ())
