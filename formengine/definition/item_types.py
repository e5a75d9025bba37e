"""One table of item types: which keys each takes, what its answer looks like, whether it scores.

The validator, the answer checker, the JSON Schema, the docs test and the web app all read
this table, so a new type is added here once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

COMMON_KEYS = frozenset(
    {
        "id",
        "type",
        "label",
        "help",
        "required",
        "required_if",
        "show_if",
        "constraint",
        "constraint_message",
        "conversation_only",
        "fhir",
    }
)

CELL_RULES = frozenset({"required", "required_if", "constraint", "constraint_message"})
# shown but never typed into: read_only (kept as stored, also for an imported FHIR readOnly item) and
# calculated (computed from other answers on every save; always read-only); initial: the answer a
# new response starts with (the relative may change it)
READ_ONLY_KEYS = frozenset({"read_only", "initial"})
CALCULATED_KEYS = frozenset({"read_only", "calculated", "initial"})


@dataclass(frozen=True)
class ItemType:
    name: str
    summary: str
    answer: str  # "choice" | "choices" | "ordered_choices" | "number" | "text" | "date" | "matrix" | "cards" | "repeat" | "group" | "none"
    keys: frozenset[Any] = frozenset()  # keys beyond COMMON_KEYS
    needs_options: bool = False
    default_options: tuple[Any, ...] = ()  # (value, {lang: label}, score, not_applicable)

    @property
    def allowed_keys(self) -> frozenset[Any]:
        if self.name == "note":
            return frozenset({"id", "type", "text", "show_if", "label", "fhir"})
        if self.name == "group":  # a heading over items: no answer of its own, so no answer rules
            return frozenset({"id", "type", "label", "help", "show_if", "items", "fhir"})
        if self.name == "cards":  # every cell is optional; a card's own rule is not_applicable
            return (COMMON_KEYS - CELL_RULES) | self.keys
        return COMMON_KEYS | self.keys

    @property
    def has_options(self) -> bool:
        return self.needs_options or bool(self.default_options) or "options" in self.keys


_YES_NO = (
    ("yes", {"nb": "Ja", "nn": "Ja", "en": "Yes", "se": "Jua"}, None, False),
    ("no", {"nb": "Nei", "nn": "Nei", "en": "No", "se": "Ii"}, None, False),
)
_SUPPORT = (
    ("none", {"nb": "Ikke mer støtte", "nn": "Ikkje meir støtte", "en": "No more support"}, 0, False),
    ("little", {"nb": "Litt mer støtte", "nn": "Litt meir støtte", "en": "A little more support"}, 1, False),
    ("much", {"nb": "Mye mer støtte", "nn": "Mykje meir støtte", "en": "Much more support"}, 2, False),
    ("not_relevant", {"nb": "Ikke aktuelt", "nn": "Ikkje aktuelt", "en": "Not relevant"}, None, True),
)

ITEM_TYPES: dict[str, ItemType] = {
    t.name: t
    for t in (
        ItemType(
            "single_choice",
            "Choose one option (radio buttons); groups put headings over the options.",
            "choice",
            frozenset({"options", "groups"}) | READ_ONLY_KEYS,
            needs_options=True,
        ),
        ItemType(
            "multi_choice",
            "Choose any number of options (check boxes), optionally at most max_choices; "
            "groups put headings over the options.",
            "choices",
            frozenset({"options", "max_choices", "groups"}) | READ_ONLY_KEYS,
            needs_options=True,
        ),
        ItemType(
            "scale",
            "A graded scale (Likert): ordered options with scores.",
            "choice",
            frozenset({"options"}) | READ_ONLY_KEYS,
            needs_options=True,
        ),
        ItemType(
            "yes_no",
            "Yes or no (built-in labels; options may add scores or a 'not relevant').",
            "choice",
            frozenset({"options"}) | READ_ONLY_KEYS,
            default_options=_YES_NO,
        ),
        ItemType(
            "number",
            "A number, optionally with min, max, unit and integer: false for decimals.",
            "number",
            frozenset({"min", "max", "unit", "integer"}) | CALCULATED_KEYS,
        ),
        ItemType(
            "text",
            "A short line of text (max_length, default 200).",
            "text",
            frozenset({"max_length"}) | CALCULATED_KEYS,
        ),
        ItemType(
            "long_text",
            "Free text in the relative's own words (max_length, default 4000).",
            "text",
            frozenset({"max_length"}) | READ_ONLY_KEYS,
        ),
        ItemType(
            "date",
            "A date (YYYY-MM-DD), optionally between min and max ('today' allowed).",
            "date",
            frozenset({"min", "max"}) | CALCULATED_KEYS,
        ),
        ItemType(
            "support_need",
            "How much more support is needed: none / a little / much / not relevant.",
            "choice",
            frozenset({"options"}) | READ_ONLY_KEYS,
            default_options=_SUPPORT,
        ),
        ItemType(
            "priority",
            "Pick up to max_choices options (default 3), most important first; groups put "
            "headings over the options.",
            "ordered_choices",
            frozenset({"options", "max_choices", "groups"}),
            needs_options=True,
        ),
        ItemType(
            "matrix",
            "Rows that share one scale of options; each row is answered on its own.",
            "matrix",
            frozenset({"options", "rows"}),
            needs_options=True,
        ),
        ItemType(
            "cards",
            "One card per row (fixed rows, or rows_from the options ticked in a multi_choice "
            "item); each card asks every column, each column with its own options. An option with "
            "not_applicable: true ends the card.",
            "cards",
            frozenset({"rows", "rows_from", "columns"}),
        ),
        ItemType(
            "repeat",
            "A group of child items answered once per entry (min, max, add_label).",
            "repeat",
            frozenset({"items", "min", "max", "add_label"}),
        ),
        ItemType(
            "group",
            "Items under an optional heading (label, help), shown or hidden together (show_if); "
            "groups and repeat groups nest inside it. No answer of its own: the answers of its "
            "items sit beside the other answers.",
            "group",
            frozenset({"items"}),
        ),
        ItemType("note", "Information text; no answer.", "none", frozenset({"text"})),
    )
}


def types_answering(*answers: str) -> frozenset[str]:
    """The item types whose answer has one of the given shapes (see ``ItemType.answer``)."""
    return frozenset(name for name, spec in ITEM_TYPES.items() if spec.answer in answers)


CHOICE_TYPES = types_answering("choice")  # one option value
LIST_CHOICE_TYPES = types_answering("choices", "ordered_choices")  # a list of option values
TEXT_TYPES = types_answering("text")  # free text
NO_ANSWER_TYPES = types_answering("none")  # information only
GROUP_TYPES = types_answering("matrix", "repeat")  # an answer made of several answers

DEFAULT_MAX_LENGTH = {"text": 200, "long_text": 4000}
DEFAULT_MAX_CHOICES = {"priority": 3}
DEFAULT_REPEAT_MAX = 10
CONTAINER_TYPES = frozenset({"group", "repeat"})  # items that hold items
MAX_NESTING = 6  # groups and repeat groups inside each other, at most this deep (FE127)
# An answer to a number item without its own limits stays within ±ANSWER_NUMBER_LIMIT: larger
# numbers are typing slips (or attacks) that no page, PDF or export needs to survive.
ANSWER_NUMBER_LIMIT = 1_000_000_000
SCORABLE_TYPES = frozenset(
    {"single_choice", "scale", "yes_no", "support_need", "matrix", "multi_choice", "cards"}
)
GROUPED_TYPES = frozenset({"single_choice", "multi_choice", "priority"})
