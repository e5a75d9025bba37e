"""The WTForms pieces the section builder uses: validators, custom fields, messages, answers.

Validators follow the ``(form, field)`` contract and set ``field_flags`` (``required``, ``min``,
``max``, ``inputmode``, ``step``; text length is shown by a counter, never a ``maxlength``).
Messages are English message ids translated
through the form's translations (the web app passes Flask-Babel's), so errors appear in the
page's language. ``form.context`` (a :class:`Context`) gives validators the definition, the
answers so far and, inside a repeat group, the entry.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from typing import Any, cast

from wtforms import Form, SelectMultipleField, StringField
from wtforms.fields import Field
from wtforms.fields.choices import SelectChoice
from wtforms.validators import StopValidation
from wtforms.widgets import NumberInput

from formengine.answers.conditions import card_columns_asked, constraint_ok, is_required, item_visible
from formengine.definition import item_types as it
from formengine.definition.model import FormDefinition, Item, Option


def N_(message: str) -> str:  # marks a message for extraction; translated when shown
    return message


MESSAGES = {
    "required": N_("Answer this question, or go back and change an earlier answer."),
    "choice": N_("Choose one of the options."),
    "number": N_("Write a number, for example 3."),
    "integer": N_("Write a whole number, for example 3."),
    "min": N_("The number must be %(min)s or more."),
    "max": N_("The number must be %(max)s or less."),
    "too_long": N_(
        "The text is too long: %(count)d characters, and at most %(max)d fit. Your text is kept "
        "below: shorten it by %(over)d characters, then save again."
    ),
    "date": N_("Write the date as day, month and year."),
    "date_min": N_("The date must be %(min)s or later."),
    "date_max": N_("The date must be %(max)s or earlier."),
    "too_many": N_("Choose at most %(max)d."),
    "exclusive": N_("You ticked “%(option)s” and something else. Remove one of the ticks."),
    "rank_twice": N_(
        "You gave number %(rank)d to more than one choice. Give each choice its own number: "
        "1 is the most important."
    ),
    "rank_missing": N_("Give each choice you ticked a number: 1 is the most important."),
    "constraint": N_("Check this answer."),
}


def _msg(field: Field, key: str) -> str:
    """The message ``key`` in the page's language (through the form's translations)."""
    return str(field.gettext(MESSAGES[key]))


CHOICE_TYPES = it.CHOICE_TYPES  # one option value: radio buttons


class Context:
    """What validators need: the definition, all answers so far, the language, the entry."""

    def __init__(
        self, defn: FormDefinition, answers: dict[str, Any], lang: str, entry: dict[str, Any] | None = None
    ):
        self.defn, self.answers, self.lang, self.entry = defn, answers, lang, entry


# --- options and limits --------------------------------------------------------------


def date_limit(value: object) -> dt.date | None:
    if value in (None, ""):
        return None
    if value == "today":
        return dt.date.today()
    return dt.date.fromisoformat(str(value))


def max_length(item: Item) -> int:
    return item.max_length or (4000 if item.type == "long_text" else 200)


# --- validators ----------------------------------------------------------------------


class Answer:
    """First validator of every item: hidden → skip; empty → required message or stop."""

    def __init__(self, item: Item):
        self.item = item
        self.field_flags = {"required": True} if item.required and not item.show_if else {}

    def __call__(self, form: Form, field: Field) -> None:
        ctx = form.context
        if not item_visible(ctx.defn, self.item, ctx.answers, ctx.entry):
            field.errors[:] = []
            raise StopValidation()
        if _is_empty(field.data) and (not getattr(field, "process_errors", None) or _blank_input(field)):
            field.errors[:] = []
            if is_required(ctx.defn, self.item, ctx.answers, ctx.entry):
                raise StopValidation(_msg(field, "required"))
            raise StopValidation()
        if field.errors and self.item.type == "number":  # the text is not a (whole) number: say only that
            raise StopValidation()
        if field.errors and self.item.type == "date":  # WTForms' own message is English only
            field.errors[:] = [_msg(field, "date")]
            raise StopValidation()
        if field.errors and self.item.type in CHOICE_TYPES | it.LIST_CHOICE_TYPES:
            # pre_validate refused the value: say it in the page's language
            field.errors[:] = [_msg(field, "choice")]  # in the page's language
            raise StopValidation()


def _blank_input(field: Field) -> bool:
    """True when the browser sent only empty strings (an optional date or number left blank)."""
    raw = getattr(field, "raw_data", None)
    return bool(raw) and all(not str(v).strip() for v in raw or ())


class NumberLimits:
    def __init__(self, item: Item):
        # a number item's limits are numbers (checked at load); only dates have text limits
        self.min, self.max = cast("float | None", item.min), cast("float | None", item.max)
        self.field_flags: dict[str, object] = {
            "inputmode": "numeric" if item.integer else "decimal",
            "step": "1" if item.integer else "any",
        }
        if self.min is not None:
            self.field_flags["min"] = self.min
        if self.max is not None:
            self.field_flags["max"] = self.max

    def __call__(self, form: Form, field: Field) -> None:
        if field.data is None:  # blank, or not a number (the field already said so)
            return
        low = self.min if self.min is not None else -it.ANSWER_NUMBER_LIMIT
        high = self.max if self.max is not None else it.ANSWER_NUMBER_LIMIT
        if field.data < low:
            raise StopValidation(_msg(field, "min") % {"min": _num(low)})
        if field.data > high:
            raise StopValidation(_msg(field, "max") % {"max": _num(high)})


class TextLength:
    """At most ``limit`` characters. No ``maxlength`` attribute: a browser would cut a pasted
    text silently; the page shows a counter instead, and a longer text is refused with a
    message while the page keeps it."""

    def __init__(self, limit: int):
        self.limit = limit

    def __call__(self, form: Form, field: Field) -> None:
        if len(field.data) > self.limit:
            count = len(field.data)
            raise StopValidation(
                _msg(field, "too_long") % {"count": count, "max": self.limit, "over": count - self.limit}
            )


class DateLimits:
    def __init__(self, item: Item):
        self.item = item
        self.field_flags: dict[str, str] = {}
        for key in ("min", "max"):
            limit = getattr(item, key)
            if limit not in (None, "today"):
                self.field_flags[key] = str(limit)

    def __call__(self, form: Form, field: Field) -> None:
        if field.data is None:  # left empty (every item is optional unless required says otherwise)
            return
        low, high = date_limit(self.item.min), date_limit(self.item.max)
        if low and field.data < low:
            raise StopValidation(_msg(field, "date_min") % {"min": low.isoformat()})
        if high and field.data > high:
            raise StopValidation(_msg(field, "date_max") % {"max": high.isoformat()})


class MaxChoices:
    def __init__(self, limit: int):
        self.limit = limit

    def __call__(self, form: Form, field: Field) -> None:
        if len(field.data or []) > self.limit:
            raise StopValidation(_msg(field, "too_many") % {"max": self.limit})


class Exclusive:
    """An exclusive option ("none of these") ticked with another: refused, every tick kept."""

    def __init__(self, item: Item):
        self.item = item

    def __call__(self, form: Form, field: Field) -> None:
        alone = self.item.exclusive_clash(list(field.data or []))
        if alone is not None:
            label = next((c.label for c in field.choices if c.value == alone), alone)
            raise StopValidation(_msg(field, "exclusive") % {"option": label})


class Constraint:
    def __init__(self, item: Item):
        self.item = item

    def __call__(self, form: Form, field: Field) -> None:
        ctx = form.context
        value = answer_of(self.item, field)
        if not constraint_ok(ctx.defn, self.item, value, ctx.answers, ctx.entry):
            message = self.item.constraint_message.get(ctx.lang) if self.item.constraint_message else ""
            raise StopValidation(message or _msg(field, "constraint"))


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _is_empty(value: object) -> bool:
    return value is None or value == "" or value == [] or value == {}


# --- fields --------------------------------------------------------------------------


class NumberWidget(NumberInput):
    validation_attrs = ["required", "disabled", "readonly", "max", "min", "step", "inputmode"]


class NumberField(StringField):
    """A number typed as text; accepts a decimal comma; keeps the raw text to show it again."""

    widget = NumberWidget()

    def __init__(self, *args: Any, integer: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.integer = integer

    def process_formdata(self, valuelist: list[str]) -> None:
        self.data = None
        if not valuelist or not valuelist[0].strip():
            return
        text = valuelist[0].strip().replace(",", ".").replace(" ", "").replace("\u00a0", "")
        try:
            if len(text) > 40:  # never hand float() or int() thousands of digits
                raise ValueError(text[:40])
            number = float(text)
            if not math.isfinite(number):  # "nan", "inf", "1e999": not numbers anyone typed
                raise ValueError(text)
        except ValueError:
            raise ValueError(_msg(self, "integer" if self.integer else "number")) from None
        if self.integer and not number.is_integer():
            raise ValueError(_msg(self, "integer"))
        self.data = int(number) if self.integer else number

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        return "" if self.data is None else _num(self.data)


class PriorityField(SelectMultipleField):
    """Up to N options, each with a rank (select 1..N) that works without JavaScript.

    Form data: ``name`` (checked values) and ``name-rank-VALUE`` (1..N or empty); with
    JavaScript the page fills the numbers in the order the relative taps. ``data`` is the
    ordered list of values, most important first. The order is never guessed: the same
    number on two choices, or several ticked choices without numbers, is refused with a
    message (:class:`RankOrder`) and the page shows what was sent.
    """

    data: list[str] | None
    ranks: dict[str, int | None]  # value -> rank; only values that have one

    def process(self, formdata: Any, data: Any = None, extra_filters: Any = None) -> None:
        super().process(formdata, data, extra_filters)
        self.ranks = {value: i + 1 for i, value in enumerate(self.data or [])}
        self.rank_problem: tuple[str, int] | None = None
        if formdata is None:
            return
        ranks: dict[str, int | None] = {}
        values = [c.value for c in self.choices]
        for value in values:
            raw = formdata.get(f"{self.name}-rank-{value}", "")
            ranks[value] = int(raw) if raw.isdigit() else None
        picked = [v for v in values if v in (self.data or []) or ranks.get(v)]
        numbers = [n for v in picked if (n := ranks.get(v))]
        twice = sorted({n for n in numbers if numbers.count(n) > 1})
        if twice:
            self.rank_problem = ("rank_twice", twice[0])
        elif len(picked) > 1 and len(numbers) < len(picked):
            self.rank_problem = ("rank_missing", 0)
        order = {v: i for i, v in enumerate(values)}
        picked.sort(key=lambda v: (ranks.get(v) or 99, order[v]))
        self.data = picked
        self.ranks = {v: ranks[v] for v in picked if ranks.get(v)}


class RankOrder:
    """A priority's order must be the relative's: refuse a number given twice or missing numbers."""

    def __call__(self, form: Form, field: Field) -> None:
        problem = getattr(field, "rank_problem", None)
        if problem is not None:
            key, rank = problem
            raise StopValidation(
                _msg(field, key) % {"rank": rank} if key == "rank_twice" else _msg(field, key)
            )


def choices_of(options: Iterable[Option], lang: str) -> list[SelectChoice]:
    """WTForms choices (value, label in ``lang``) for options."""
    return [SelectChoice(o.value, o.label.get(lang)) for o in options]


def optional_choice(form: Form, field: Field) -> None:
    """A radio group that may be left empty (a matrix row, a card cell)."""
    if field.data is None:
        field.errors[:] = []
        raise StopValidation()


def answer_of(item: Item, field: Field) -> object:
    """The answer (in the ANSWERS.json shape) a field holds, or None when unanswered."""
    data = field.data
    if item.type == "date":
        return data.isoformat() if isinstance(data, dt.date) else None
    if item.type == "matrix":
        rows = {k: v for k, v in (data or {}).items() if v}
        return rows or None
    if item.type == "cards":
        return card_answers(item, data)
    if item.type == "repeat":
        return [entry_answers(item, entry_form) for entry_form in field] or None
    if item.type in it.LIST_CHOICE_TYPES:
        return list(data) if data else None
    return None if _is_empty(data) else data


def card_answers(item: Item, data: Any) -> dict[str, Any] | None:
    """The cards answer from posted data: empty cells dropped, and the cells after a
    not-applicable answer dropped (the card ended there), in row and column order."""
    out: dict[str, Any] = {}
    for row in item.rows:
        cells = (data or {}).get(row.id)
        if not isinstance(cells, dict):
            continue
        cells = {c.id: cells[c.id] for c in item.columns if cells.get(c.id)}
        asked = card_columns_asked(item, cells)
        cells = {k: v for k, v in cells.items() if k in asked}
        if cells:
            out[row.id] = cells
    return out or None


def entry_answers(group: Item, entry_form: Field) -> dict[str, Any]:
    out = {}
    for child in group.fields:  # groups opened; a nested repeat gives its own list of entries
        if child.type == "note":
            continue
        value = answer_of(child, entry_form.form[child.id])
        if value is not None:
            out[child.id] = value
    return out
