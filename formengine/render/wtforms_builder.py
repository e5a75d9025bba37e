"""Build a WTForms form class for one section of a FormDefinition, and read answers back.

Dynamic composition the documented WTForms way: subclass a base form and ``setattr`` one
field per item. Validators (``wtforms_fields``) follow the ``(form, field)`` contract and set
``field_flags`` so browsers on phones get ``required``, ``min``, ``max`` and
``inputmode`` (never ``maxlength``: it cuts a pasted text silently). No Flask imports: the
web app passes its base form (with CSRF) and its translations.

Field names are the item ids; a matrix row is ``matrix-row``; a repeat entry's child is
``group-0-child`` (the names the browser script and the expression references agree on).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from wtforms import Form, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields import DateField, Field, FieldList, FormField, HiddenField

from formengine.answers.conditions import (
    card_rows_shown,
    item_visible,  # noqa: F401  (re-exported for the web app)
)
from formengine.definition import item_types as it
from formengine.definition.item_types import LIST_CHOICE_TYPES
from formengine.definition.model import FormDefinition, Item, Section
from formengine.render.answers import options_for
from formengine.render.choice_layout import choice_layout
from formengine.render.wtforms_cards import all_cells, card_errors, cards_form, visible_cells
from formengine.render.wtforms_fields import (  # noqa: F401
    CHOICE_TYPES,
    MESSAGES,
    Answer,
    Constraint,
    Context,
    DateLimits,
    Exclusive,
    MaxChoices,
    NumberField,
    NumberLimits,
    PriorityField,
    RankOrder,
    TextLength,
    answer_of,
    card_answers,
    choices_of,
    entry_answers,
    max_length,
    optional_choice,
)

__all__ = [
    "CHOICE_TYPES",
    "LIST_CHOICE_TYPES",
    "answer_of",
    "build_section_form",
    "choice_layout",
    "initial_data",
    "item_visible",
    "options_for",
    "repeat_sizes",
    "section_answers",
    "validate_section",
    "visible_cells",
    "card_errors",
    "all_cells",
    "card_answers",
]

ENTRY_MARKER = "E"  # hidden field in each repeat entry; upper case never clashes with item ids


class EntryForm(Form):
    """Base of a repeat entry; ``context`` is set per entry before validation."""


def _field_for(item: Item, lang: str, meta: type | None = None) -> Field | None:
    """Return the unbound WTForms field for one item (None for notes and read-only items: they
    are shown as text, and what a page posts for them is never read)."""
    label = item.label.get(lang)
    validators: list[Any] = [Answer(item)]
    kind = item.type
    if kind == "note" or item.read_only:
        return None
    if kind in CHOICE_TYPES:
        field = RadioField(label, choices=choices_of(options_for(item), lang), validators=validators)
    elif kind == "multi_choice":
        if item.max_choices:
            validators.append(MaxChoices(item.max_choices))
        if any(o.exclusive for o in item.options):
            validators.append(Exclusive(item))
        field = SelectMultipleField(label, choices=choices_of(item.options, lang), validators=validators)
    elif kind == "priority":
        validators += [MaxChoices(item.max_choices or 3), RankOrder()]
        field = PriorityField(label, choices=choices_of(item.options, lang), validators=validators)
    elif kind == "number":
        validators.append(NumberLimits(item))
        field = NumberField(label, integer=item.integer, validators=validators)
    elif kind in it.TEXT_TYPES:
        validators.append(TextLength(max_length(item)))
        cls = TextAreaField if kind == "long_text" else StringField
        field = cls(label, validators=validators, filters=[_strip])
    elif kind == "date":
        validators.append(DateLimits(item))
        field = DateField(label, validators=validators)
    elif kind == "matrix":
        return FormField(_matrix_form(item, lang, meta), label=label)  # rows validate themselves
    elif kind == "cards":
        return FormField(cards_form(item, lang, meta), label=label)  # every cell validates itself
    elif kind == "repeat":
        field = FieldList(FormField(_entry_form(item, lang, meta)), label=label, validators=validators)
    else:
        raise ValueError(f"unknown item type {kind!r}")
    if item.constraint is not None and kind != "repeat":
        field.kwargs["validators"].append(Constraint(item))
    return field


def _strip(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


def _matrix_form(item: Item, lang: str, meta: type | None) -> type[Form]:
    class MatrixForm(Form):
        pass

    if meta is not None:
        MatrixForm.Meta = meta
    for row in item.rows:
        setattr(
            MatrixForm,
            row.id,
            RadioField(
                row.label.get(lang),
                choices=choices_of(item.options, lang),
                validate_choice=True,
                validators=[optional_choice],
            ),
        )
    return MatrixForm


def _entry_form(group: Item, lang: str, meta: type | None) -> type[Form]:
    class RepeatEntry(EntryForm):
        pass

    if meta is not None:
        RepeatEntry.Meta = meta
    setattr(RepeatEntry, ENTRY_MARKER, HiddenField(default="1"))
    for child in group.fields:  # groups opened; a nested repeat sizes itself from its data
        field = _field_for(child, lang, meta)
        if field is not None:
            if child.type == "repeat":
                field.kwargs["min_entries"] = int(child.min or 0)
                field.kwargs["max_entries"] = int(child.max or 10)
            setattr(RepeatEntry, child.id, field)
    return RepeatEntry


def repeat_sizes(section: Section, answers: dict[str, Any]) -> tuple[tuple[str, int], ...]:
    """How many entries each repeat group of ``section`` shows: the answers' count, at least its ``min``.

    This is all a section's form class depends on from the answers, so it can key a cache of
    form classes (see :func:`build_section_form`).
    """
    out = []
    for item in section.fields:
        if item.type == "repeat":
            entries = answers.get(item.id)
            out.append((item.id, max(len(entries) if isinstance(entries, list) else 0, int(item.min or 0))))
    return tuple(out)


def build_section_form(
    defn: FormDefinition,
    section: Section,
    lang: str,
    *,
    base: type = Form,
    answers: dict[str, Any] | None = None,
    translations: Any = None,
    sizes: tuple[tuple[str, int], ...] | None = None,
) -> type:
    """Return a form class for ``section``: one field per item, repeat groups sized by ``sizes``.

    ``sizes`` is :func:`repeat_sizes` (computed from ``answers`` when not given); the class
    depends on nothing else of the answers. ``translations`` (an object with
    ``gettext``/``ngettext``) translates validation messages, also inside matrix rows and repeat
    entries.
    """

    class SectionForm(base):
        pass

    meta = None
    if translations is not None:
        meta = type("Meta", (), {"get_translations": lambda self, form: translations})
        SectionForm.Meta = type(
            "Meta", (getattr(base, "Meta", object),), {"get_translations": lambda self, form: translations}
        )
    shown = dict(sizes if sizes is not None else repeat_sizes(section, answers or {}))
    for item in section.fields:  # a group has no field: its items are fields of the page
        field = _field_for(item, lang, meta)
        if field is None:
            continue
        if item.type == "repeat":
            field.kwargs["min_entries"] = shown.get(item.id, int(item.min or 0))
            field.kwargs["max_entries"] = int(item.max or 10)
        setattr(SectionForm, item.id, field)
    return SectionForm


# --- data in and out -----------------------------------------------------------------


def initial_data(section: Section, answers: dict[str, Any]) -> dict[str, Any]:
    """Data for ``Form(data=…)`` from stored answers."""
    data: dict[str, Any] = {}
    for item in section.fields:
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


def _entry_data(group: Item, entry: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {ENTRY_MARKER: "1"}
    for child in group.fields:
        value = (entry or {}).get(child.id)
        if child.type == "date" and isinstance(value, str):
            value = dt.date.fromisoformat(value)
        elif child.type == "repeat":
            value = [_entry_data(child, e) for e in value or [] if isinstance(e, dict)]
        out[child.id] = value
    return out


def validate_section(
    form: Form, defn: FormDefinition, section: Section, answers: dict[str, Any], lang: str
) -> bool:
    """Validate with conditions evaluated on ``answers`` (stored answers merged with this page)."""
    form.context = Context(defn, answers, lang)
    for item in section.fields:
        if item.type == "repeat" and item.id in form._fields:
            _entry_contexts(form[item.id], item, answers.get(item.id), Context(defn, answers, lang), {})
        if item.type == "matrix" and item.id in form._fields:
            form[item.id].form.context = form.context
    return bool(form.validate())


def _entry_contexts(field: Any, group: Item, entries: Any, base: Context, around: dict[str, Any]) -> None:
    """Give each entry form its context: the entry's answers over those of the entries around it."""
    entries = entries if isinstance(entries, list) else []
    for index, entry_form in enumerate(field):
        entry = entries[index] if index < len(entries) and isinstance(entries[index], dict) else {}
        scope = {**around, **entry}
        entry_form.form.context = Context(base.defn, base.answers, base.lang, scope)
        entry_form.form[ENTRY_MARKER].errors = []
        for child in group.fields:
            if child.type == "repeat" and child.id in entry_form.form._fields:
                _entry_contexts(entry_form.form[child.id], child, entry.get(child.id), base, scope)


def section_answers(form: Form, section: Section, previous: dict[str, Any]) -> dict[str, Any]:
    """This page's answers; a field with an error keeps its previously stored answer.

    Cards for options no longer ticked in their ``rows_from`` item are not kept.
    """
    out: dict[str, Any] = {}
    for item in section.fields:
        if item.type == "note" or item.id not in form._fields:
            continue
        field = form[item.id]
        if item.type == "repeat":
            out[item.id] = _repeat_answers(item, field, previous.get(item.id))
        elif field.errors:
            out[item.id] = previous.get(item.id)
        else:
            out[item.id] = answer_of(item, field)
    for item in section.fields:
        value = out.get(item.id)
        if item.type == "cards" and item.rows_from is not None and isinstance(value, dict):
            source = out if item.rows_from in out else previous
            shown = set(card_rows_shown(item, source))
            out[item.id] = {k: v for k, v in value.items() if k in shown} or None
    return out


def _repeat_answers(group: Item, field: Field, previous: object) -> list[Any] | None:
    """Entries of a repeat group; a child with an error keeps its previously stored answer."""
    previous = previous if isinstance(previous, list) else []
    entries = []
    for index, entry_form in enumerate(field):
        entry = entry_answers(group, entry_form)
        before = previous[index] if index < len(previous) and isinstance(previous[index], dict) else {}
        for child in group.fields:
            if child.id not in entry_form.form._fields:
                continue
            if child.type == "repeat":
                nested = _repeat_answers(child, entry_form.form[child.id], before.get(child.id))
                entry.pop(child.id, None)
                if nested is not None:
                    entry[child.id] = nested
            elif entry_form.form[child.id].errors:
                entry.pop(child.id, None)
                if child.id in before:
                    entry[child.id] = before[child.id]
        entries.append(entry)
    return entries or None
