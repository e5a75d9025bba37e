"""One table of item types: which keys each takes, what its answer looks like, whether it scores.

The validator, the answer checker, the JSON Schema, the docs test and the web app all read
this table, so a new type is added here once.
"""
from __future__ import annotations

from dataclasses import dataclass

COMMON_KEYS = frozenset({
    "id", "type", "label", "help", "required", "required_if", "show_if", "constraint",
    "constraint_message", "conversation_only",
})


@dataclass(frozen=True)
class ItemType:
    name: str
    summary: str
    answer: str  # "choice" | "choices" | "ordered_choices" | "number" | "text" | "date" | "matrix" | "repeat" | "none"
    keys: frozenset = frozenset()  # keys beyond COMMON_KEYS
    needs_options: bool = False
    default_options: tuple = ()  # (value, {lang: label}, score, not_applicable)

    @property
    def allowed_keys(self) -> frozenset:
        if self.name == "note":
            return frozenset({"id", "type", "text", "show_if", "label"})
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

ITEM_TYPES: dict[str, ItemType] = {t.name: t for t in (
    ItemType("single_choice", "Choose one option (radio buttons).", "choice",
             frozenset({"options"}), needs_options=True),
    ItemType("multi_choice", "Choose any number of options (check boxes), optionally at most max_choices.",
             "choices", frozenset({"options", "max_choices"}), needs_options=True),
    ItemType("scale", "A graded scale (Likert): ordered options with scores.", "choice",
             frozenset({"options"}), needs_options=True),
    ItemType("yes_no", "Yes or no (built-in labels; options may add scores or a 'not relevant').", "choice",
             frozenset({"options"}), default_options=_YES_NO),
    ItemType("number", "A number, optionally with min, max, unit and integer: false for decimals.", "number",
             frozenset({"min", "max", "unit", "integer"})),
    ItemType("text", "A short line of text (max_length, default 200).", "text", frozenset({"max_length"})),
    ItemType("long_text", "Free text in the relative's own words (max_length, default 4000).", "text",
             frozenset({"max_length"})),
    ItemType("date", "A date (YYYY-MM-DD), optionally between min and max ('today' allowed).", "date",
             frozenset({"min", "max"})),
    ItemType("support_need", "How much more support is needed: none / a little / much / not relevant.",
             "choice", frozenset({"options"}), default_options=_SUPPORT),
    ItemType("priority", "Pick up to max_choices options (default 3), most important first.",
             "ordered_choices", frozenset({"options", "max_choices"}), needs_options=True),
    ItemType("matrix", "Rows that share one scale of options; each row is answered on its own.", "matrix",
             frozenset({"options", "rows"}), needs_options=True),
    ItemType("repeat", "A group of child items answered once per entry (min, max, add_label).", "repeat",
             frozenset({"items", "min", "max", "add_label"})),
    ItemType("note", "Information text; no answer.", "none", frozenset({"text"})),
)}

DEFAULT_MAX_LENGTH = {"text": 200, "long_text": 4000}
DEFAULT_MAX_CHOICES = {"priority": 3}
DEFAULT_REPEAT_MAX = 10
# An answer to a number item without its own limits stays within ±ANSWER_NUMBER_LIMIT: larger
# numbers are typing slips (or attacks) that no page, PDF or export needs to survive.
ANSWER_NUMBER_LIMIT = 1_000_000_000
SCORABLE_TYPES = frozenset({"single_choice", "scale", "yes_no", "support_need", "matrix", "multi_choice"})
