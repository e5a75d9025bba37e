"""Build a WTForms form class for one section of a FormDefinition, and read answers back.

Dynamic composition the documented WTForms way: subclass a base form and ``setattr`` one
field per item. Validators follow the ``(form, field)`` contract and set ``field_flags`` so
browsers on phones get ``required``, ``min``, ``max``, ``maxlength`` and ``inputmode``.
No Flask imports: the web app passes its base form (with CSRF) and its ``gettext``.

Field names are the item ids; a matrix row is ``matrix-row``; a repeat entry's child is
``group-0-child`` (the names the browser script and the expression references agree on).
"""
from __future__ import annotations

import datetime as dt
from typing import Callable

from wtforms import Form, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields import DateField, FieldList, FormField, HiddenField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import StopValidation
from wtforms.widgets import NumberInput

from .definition import FormDefinition, Item, Option, Section, Text
from .item_types import ITEM_TYPES


def N_(message: str) -> str:  # marks a message for extraction; translated when shown
    return message


MESSAGES = {
    "required": N_("Answer this question, or go back and change an earlier answer."),
    "choice": N_("Choose one of the options."),
    "number": N_("Write a number, for example 3."),
    "integer": N_("Write a whole number, for example 3."),
    "min": N_("The number must be %(min)s or more."),
    "max": N_("The number must be %(max)s or less."),
    "too_long": N_("The text is too long: at most %(max)d characters."),
    "date": N_("Write the date as day, month and year."),
    "date_min": N_("The date must be %(min)s or later."),
    "date_max": N_("The date must be %(max)s or earlier."),
    "too_many": N_("Choose at most %(max)d."),
    "constraint": N_("Check this answer."),
}


def _msg(field, key: str) -> str:
    """The message ``key`` in the page's language (through the form's translations)."""
    return field.gettext(MESSAGES[key])


CHOICE_TYPES = ("single_choice", "scale", "yes_no", "support_need")
ENTRY_MARKER = "E"  # hidden field in each repeat entry; upper case never clashes with item ids


# --- conditions (formengine.conditions when present) ----------------------------------

def _conditions():
    try:
        from . import conditions
    except ImportError:  # pragma: no cover - the module is part of the library
        return None
    return conditions


def item_visible(defn: FormDefinition, item: Item, answers: dict, entry: dict | None = None) -> bool:
    cond = _conditions()
    if cond is not None:
        return bool(cond.item_visible(defn, item, answers, entry=entry))
    return item.show_if is None or item.show_if.truthy(_resolver(answers, entry))


def is_required(defn: FormDefinition, item: Item, answers: dict, entry: dict | None = None) -> bool:
    cond = _conditions()
    if cond is not None:
        return bool(cond.is_required(defn, item, answers, entry=entry))
    if item.required:
        return True
    return item.required_if is not None and item.required_if.truthy(_resolver(answers, entry))


def constraint_ok(defn, item, value, answers, entry=None) -> bool:
    cond = _conditions()
    if cond is not None:
        return bool(cond.constraint_ok(defn, item, value, answers, entry=entry))
    if item.constraint is None:
        return True
    resolve = _resolver(answers, entry)
    return item.constraint.truthy(lambda name: value if name == "value" else resolve(name))


def _resolver(answers: dict, entry: dict | None) -> Callable[[str], object]:
    def resolve(name: str) -> object:
        if entry is not None and name in entry:
            return entry[name]
        head, _, row = name.partition(".")
        value = answers.get(head)
        if row:
            return value.get(row) if isinstance(value, dict) else None
        return value
    return resolve


# --- options and limits --------------------------------------------------------------

def options_for(item: Item) -> tuple[Option, ...]:
    """The item's options, or its type's built-in ones (yes_no, support_need)."""
    if item.options:
        return item.options
    spec = ITEM_TYPES.get(item.type)
    if spec is None:
        return ()
    return tuple(Option(value, Text(tuple(labels.items())), score, na)
                 for value, labels, score, na in spec.default_options)


def date_limit(value) -> dt.date | None:
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

    def __call__(self, form, field):
        ctx = form.context
        if not item_visible(ctx.defn, self.item, ctx.answers, ctx.entry):
            field.errors[:] = []
            raise StopValidation()
        if _is_empty(field.data) and (not getattr(field, "process_errors", None) or _blank_input(field)):
            field.errors[:] = []
            if is_required(ctx.defn, self.item, ctx.answers, ctx.entry):
                raise StopValidation(_msg(field, "required"))
            raise StopValidation()
        if field.errors and self.item.type in CHOICE_TYPES + ("multi_choice", "priority"):
            # pre_validate refused the value: say it in the page's language
            field.errors[:] = [_msg(field, "choice")]  # in the page's language
            raise StopValidation()


def _blank_input(field) -> bool:
    """True when the browser sent only empty strings (an optional date or number left blank)."""
    raw = getattr(field, "raw_data", None)
    return bool(raw) and all(not str(v).strip() for v in raw)


class NumberLimits:
    def __init__(self, item: Item):
        self.min, self.max = item.min, item.max
        self.field_flags = {"inputmode": "numeric" if item.integer else "decimal",
                            "step": "1" if item.integer else "any"}
        if self.min is not None:
            self.field_flags["min"] = self.min
        if self.max is not None:
            self.field_flags["max"] = self.max

    def __call__(self, form, field):
        if self.min is not None and field.data < self.min:
            raise StopValidation(_msg(field, "min") % {"min": _num(self.min)})
        if self.max is not None and field.data > self.max:
            raise StopValidation(_msg(field, "max") % {"max": _num(self.max)})


class TextLength:
    def __init__(self, limit: int):
        self.limit = limit
        self.field_flags = {"maxlength": limit}

    def __call__(self, form, field):
        if len(field.data) > self.limit:
            raise StopValidation(_msg(field, "too_long") % {"max": self.limit})


class DateLimits:
    def __init__(self, item: Item):
        self.item = item
        self.field_flags = {}
        for key in ("min", "max"):
            limit = getattr(item, key)
            if limit not in (None, "today"):
                self.field_flags[key] = str(limit)

    def __call__(self, form, field):
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

    def __call__(self, form, field):
        if len(field.data or []) > self.limit:
            raise StopValidation(_msg(field, "too_many") % {"max": self.limit})


class Constraint:
    def __init__(self, item: Item):
        self.item = item

    def __call__(self, form, field):
        ctx = form.context
        value = answer_of(self.item, field)
        if not constraint_ok(ctx.defn, self.item, value, ctx.answers, ctx.entry):
            message = self.item.constraint_message.get(ctx.lang) if self.item.constraint_message else ""
            raise StopValidation(message or _msg(field, "constraint"))


def _num(value) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _is_empty(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


# --- fields --------------------------------------------------------------------------

class NumberWidget(NumberInput):
    validation_attrs = ["required", "disabled", "readonly", "max", "min", "step", "inputmode"]


class NumberField(StringField):
    """A number typed as text; accepts a decimal comma; keeps the raw text to show it again."""

    widget = NumberWidget()

    def __init__(self, *args, integer: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.integer = integer

    def process_formdata(self, valuelist):
        self.data = None
        if not valuelist or not valuelist[0].strip():
            return
        text = valuelist[0].strip().replace(",", ".").replace(" ", "").replace("\u00a0", "")
        try:
            number = float(text)
        except ValueError:
            raise ValueError(_msg(self, "integer" if self.integer else "number")) from None
        if self.integer and not number.is_integer():
            raise ValueError(_msg(self, "integer"))
        self.data = int(number) if self.integer else number

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else _num(self.data)


class PriorityField(SelectMultipleField):
    """Up to N options, each with a rank (select 1..N) that works without JavaScript.

    Form data: ``name`` (checked values) and ``name-rank-VALUE`` (1..N or empty).
    ``data`` is the ordered list of values, most important first.
    """

    def process(self, formdata, data=None, extra_filters=None):
        super().process(formdata, data, extra_filters)
        self.ranks = {value: i + 1 for i, value in enumerate(self.data or [])}
        if formdata is None:
            return
        ranks = {}
        values = [c.value for c in self.choices]
        for value in values:
            raw = formdata.get(f"{self.name}-rank-{value}", "")
            ranks[value] = int(raw) if raw.isdigit() else None
        picked = [v for v in values if v in (self.data or []) or ranks.get(v)]
        order = {v: i for i, v in enumerate(values)}
        picked.sort(key=lambda v: (ranks.get(v) or 99, order[v]))
        self.data = picked
        self.ranks = {v: ranks[v] for v in picked if ranks.get(v)}


class EntryForm(Form):
    """Base of a repeat entry; ``context`` is set per entry before validation."""


def _field_for(item: Item, lang: str, meta: type | None = None):
    """Return the unbound WTForms field for one item (None for notes)."""
    label = item.label.get(lang)
    validators: list = [Answer(item)]
    kind = item.type
    if kind == "note":
        return None
    if kind in CHOICE_TYPES:
        field = RadioField(label, choices=_choices(options_for(item), lang), validators=validators)
    elif kind == "multi_choice":
        if item.max_choices:
            validators.append(MaxChoices(item.max_choices))
        field = SelectMultipleField(label, choices=_choices(item.options, lang),
                                    validators=validators)
    elif kind == "priority":
        validators.append(MaxChoices(item.max_choices or 3))
        field = PriorityField(label, choices=_choices(item.options, lang),
                              validators=validators)
    elif kind == "number":
        validators.append(NumberLimits(item))
        field = NumberField(label, integer=item.integer, validators=validators)
    elif kind in ("text", "long_text"):
        validators.append(TextLength(max_length(item)))
        cls = TextAreaField if kind == "long_text" else StringField
        field = cls(label, validators=validators, filters=[_strip])
    elif kind == "date":
        validators.append(DateLimits(item))
        field = DateField(label, validators=validators)
    elif kind == "matrix":
        return FormField(_matrix_form(item, lang, meta), label=label)  # rows validate themselves
    elif kind == "repeat":
        field = FieldList(FormField(_entry_form(item, lang, meta)), label=label, validators=validators)
    else:
        raise ValueError(f"unknown item type {kind!r}")
    if item.constraint is not None and kind != "repeat":
        field.kwargs["validators"].append(Constraint(item))
    return field


def _choices(options, lang: str) -> list[SelectChoice]:
    return [SelectChoice(o.value, o.label.get(lang)) for o in options]


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _matrix_form(item: Item, lang: str, meta: type | None) -> type[Form]:
    class MatrixForm(Form):
        pass
    if meta is not None:
        MatrixForm.Meta = meta
    for row in item.rows:
        setattr(MatrixForm, row.id, RadioField(row.label.get(lang), choices=_choices(item.options, lang),
                                               validate_choice=True, validators=[_optional_choice]))
    return MatrixForm


def _optional_choice(form, field):
    if field.data is None:
        field.errors[:] = []
        raise StopValidation()


def _entry_form(group: Item, lang: str, meta: type | None) -> type[Form]:
    class RepeatEntry(EntryForm):
        pass
    if meta is not None:
        RepeatEntry.Meta = meta
    setattr(RepeatEntry, ENTRY_MARKER, HiddenField(default="1"))
    for child in group.items:
        field = _field_for(child, lang, meta)
        if field is not None:
            setattr(RepeatEntry, child.id, field)
    return RepeatEntry


def build_section_form(defn: FormDefinition, section: Section, lang: str, *,
                       base: type = Form, answers: dict | None = None, translations=None) -> type:
    """Return a form class for ``section``: one field per item, repeat groups sized from ``answers``.

    ``translations`` (an object with ``gettext``/``ngettext``) translates validation messages,
    also inside matrix rows and repeat entries.
    """
    class SectionForm(base):
        pass
    meta = None
    if translations is not None:
        meta = type("Meta", (), {"get_translations": lambda self, form: translations})
        SectionForm.Meta = type("Meta", (getattr(base, "Meta", object),),
                                {"get_translations": lambda self, form: translations})
    answers = answers or {}
    for item in section.items:
        field = _field_for(item, lang, meta)
        if field is None:
            continue
        if item.type == "repeat":
            entries = answers.get(item.id) if isinstance(answers.get(item.id), list) else []
            field.kwargs["min_entries"] = max(len(entries), int(item.min or 0))
            field.kwargs["max_entries"] = int(item.max or 10)
        setattr(SectionForm, item.id, field)
    return SectionForm


# --- data in and out -----------------------------------------------------------------

class Context:
    """What validators need: the definition, all answers so far, the language, the entry."""

    def __init__(self, defn: FormDefinition, answers: dict, lang: str, entry: dict | None = None):
        self.defn, self.answers, self.lang, self.entry = defn, answers, lang, entry


def initial_data(section: Section, answers: dict) -> dict:
    """Data for ``Form(data=…)`` from stored answers."""
    data = {}
    for item in section.items:
        if item.id not in answers:
            continue
        value = answers[item.id]
        if item.type == "date" and isinstance(value, str):
            try:
                value = dt.date.fromisoformat(value)
            except ValueError:
                value = None
        elif item.type == "repeat":
            value = [_entry_data(item, entry) for entry in value or []]
        data[item.id] = value
    return data


def _entry_data(group: Item, entry: dict) -> dict:
    out = {ENTRY_MARKER: "1"}
    for child in group.items:
        value = (entry or {}).get(child.id)
        if child.type == "date" and isinstance(value, str):
            value = dt.date.fromisoformat(value)
        out[child.id] = value
    return out


def answer_of(item: Item, field) -> object:
    """The answer (in the ANSWERS.json shape) a field holds, or None when unanswered."""
    data = field.data
    if item.type == "date":
        return data.isoformat() if isinstance(data, dt.date) else None
    if item.type == "matrix":
        rows = {k: v for k, v in (data or {}).items() if v}
        return rows or None
    if item.type == "repeat":
        return [entry_answers(item, entry_form) for entry_form in field] or None
    if item.type in ("multi_choice", "priority"):
        return list(data) if data else None
    return None if _is_empty(data) else data


def entry_answers(group: Item, entry_form) -> dict:
    out = {}
    for child in group.items:
        if child.type == "note":
            continue
        value = answer_of(child, entry_form.form[child.id])
        if value is not None:
            out[child.id] = value
    return out


def validate_section(form, defn: FormDefinition, section: Section, answers: dict, lang: str) -> bool:
    """Validate with conditions evaluated on ``answers`` (stored answers merged with this page)."""
    form.context = Context(defn, answers, lang)
    for item in section.items:
        if item.type == "repeat" and item.id in form._fields:
            for entry_form, entry in zip(form[item.id], answers.get(item.id) or []):
                entry_form.form.context = Context(defn, answers, lang, entry)
                entry_form.form[ENTRY_MARKER].errors = []
            for entry_form in form[item.id]:
                if not hasattr(entry_form.form, "context"):
                    entry_form.form.context = Context(defn, answers, lang, {})
        if item.type == "matrix" and item.id in form._fields:
            form[item.id].form.context = form.context
    return form.validate()


def section_answers(form, section: Section, previous: dict) -> dict:
    """This page's answers; a field with an error keeps its previously stored answer."""
    out: dict = {}
    for item in section.items:
        if item.type == "note" or item.id not in form._fields:
            continue
        field = form[item.id]
        if item.type == "repeat":
            out[item.id] = _repeat_answers(item, field, previous.get(item.id))
        elif field.errors:
            out[item.id] = previous.get(item.id)
        else:
            out[item.id] = answer_of(item, field)
    return out


def _repeat_answers(group: Item, field, previous) -> list | None:
    """Entries of a repeat group; a child with an error keeps its previously stored answer."""
    previous = previous if isinstance(previous, list) else []
    entries = []
    for index, entry_form in enumerate(field):
        entry = entry_answers(group, entry_form)
        before = previous[index] if index < len(previous) and isinstance(previous[index], dict) else {}
        for child in group.items:
            if child.id in entry_form.form._fields and entry_form.form[child.id].errors:
                entry.pop(child.id, None)
                if child.id in before:
                    entry[child.id] = before[child.id]
        entries.append(entry)
    return entries or None
