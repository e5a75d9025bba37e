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
from collections.abc import Iterable
from typing import Any

from wtforms import Form, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields import DateField, Field, FieldList, FormField, HiddenField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import StopValidation

from formengine.answers.conditions import (
    card_columns_asked,
    card_rows_shown,
    item_visible,  # noqa: F401  (re-exported for the web app)
    shown_view,
)
from formengine.definition import item_types as it
from formengine.definition.item_types import LIST_CHOICE_TYPES
from formengine.definition.model import FormDefinition, Item, Option, Section
from formengine.render.answers import options_for
from formengine.render.wtforms_fields import (  # noqa: F401
    CHOICE_TYPES,
    MESSAGES,
    Answer,
    Constraint,
    Context,
    DateLimits,
    MaxChoices,
    NumberField,
    NumberLimits,
    PriorityField,
    RankOrder,
    TextLength,
    answer_of,
    card_answers,
    entry_answers,
    max_length,
)

__all__ = [
    "CHOICE_TYPES",
    "LIST_CHOICE_TYPES",
    "answer_of",
    "build_section_form",
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
    """Return the unbound WTForms field for one item (None for notes)."""
    label = item.label.get(lang)
    validators: list[Any] = [Answer(item)]
    kind = item.type
    if kind == "note":
        return None
    if kind in CHOICE_TYPES:
        field = RadioField(label, choices=_choices(options_for(item), lang), validators=validators)
    elif kind == "multi_choice":
        if item.max_choices:
            validators.append(MaxChoices(item.max_choices))
        field = SelectMultipleField(label, choices=_choices(item.options, lang), validators=validators)
    elif kind == "priority":
        validators += [MaxChoices(item.max_choices or 3), RankOrder()]
        field = PriorityField(label, choices=_choices(item.options, lang), validators=validators)
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
        return FormField(_cards_form(item, lang, meta), label=label)  # every cell validates itself
    elif kind == "repeat":
        field = FieldList(FormField(_entry_form(item, lang, meta)), label=label, validators=validators)
    else:
        raise ValueError(f"unknown item type {kind!r}")
    if item.constraint is not None and kind != "repeat":
        field.kwargs["validators"].append(Constraint(item))
    return field


def _choices(options: Iterable[Option], lang: str) -> list[SelectChoice]:
    return [SelectChoice(o.value, o.label.get(lang)) for o in options]


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
                choices=_choices(item.options, lang),
                validate_choice=True,
                validators=[_optional_choice],
            ),
        )
    return MatrixForm


def _cards_form(item: Item, lang: str, meta: type | None) -> type[Form]:
    """One sub-form per card (row), one radio group per column: names ``cards-row-column``."""

    class CardsForm(Form):
        pass

    if meta is not None:
        CardsForm.Meta = meta
    for row in item.rows:

        class CardForm(Form):
            pass

        if meta is not None:
            CardForm.Meta = meta
        for column in item.columns:
            setattr(
                CardForm,
                column.id,
                RadioField(
                    column.label.get(lang),
                    choices=_choices(column.options, lang),
                    validate_choice=True,
                    validators=[_card_choice],
                ),
            )
        setattr(CardsForm, row.id, FormField(CardForm, label=row.label.get(lang)))
    return CardsForm


def visible_cells(defn: FormDefinition, section: Section, answers: dict[str, Any]) -> set[str]:
    """The cards (``cards.row``) and card cells (``cards.row.column``) shown on ``section``'s page.

    A card is shown for each row (each option ticked in ``rows_from``); a cell is shown until a
    not-applicable answer ends its card, and only while its column's ``show_if`` holds. The web page lists these with the visible item ids, so
    a save that opens new cells (without JavaScript) shows them before moving on.
    """
    out: set[str] = set()
    cards = [i for i in section.items if i.type == "cards"]
    if not cards:
        return out
    view, hidden = shown_view(defn, answers)
    for item in cards:
        if item.id in hidden:
            continue
        found = answers.get(item.id)
        value: dict[str, Any] = found if isinstance(found, dict) else {}
        for row_id in card_rows_shown(item, view):
            out.add(f"{item.id}.{row_id}")
            row_cells = value.get(row_id)
            cells: dict[str, Any] = row_cells if isinstance(row_cells, dict) else {}
            out.update(f"{item.id}.{row_id}.{column_id}" for column_id in card_columns_asked(item, cells))
    return out


def _card_choice(form: Any, field: Any) -> None:
    """A card cell is optional; a value that is not an option gets the page's own message."""
    _optional_choice(form, field)
    if field.errors:
        field.errors[:] = [field.gettext(MESSAGES["choice"])]
        raise StopValidation()


def card_errors(field: Any) -> list[tuple[str, str]]:
    """(id of the cell's first radio button, message) for every card cell with an error, in page order."""
    return [(f"{cell.id}-0", cell.errors[0]) for card in field.form for cell in card.form if cell.errors]


def all_cells(section: Section) -> set[str]:
    """Every card and card cell of ``section`` (``cards.row``, ``cards.row.column``): a preview
    shows every card a relative could get, whatever they tick."""
    return {
        key
        for item in section.items
        if item.type == "cards"
        for row in item.rows
        for key in (f"{item.id}.{row.id}", *(f"{item.id}.{row.id}.{c.id}" for c in item.columns))
    }


def _optional_choice(form: Form, field: Field) -> None:
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


def repeat_sizes(section: Section, answers: dict[str, Any]) -> tuple[tuple[str, int], ...]:
    """How many entries each repeat group of ``section`` shows: the answers' count, at least its ``min``.

    This is all a section's form class depends on from the answers, so it can key a cache of
    form classes (see :func:`build_section_form`).
    """
    out = []
    for item in section.items:
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
    for item in section.items:
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


def _entry_data(group: Item, entry: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {ENTRY_MARKER: "1"}
    for child in group.items:
        value = (entry or {}).get(child.id)
        if child.type == "date" and isinstance(value, str):
            value = dt.date.fromisoformat(value)
        out[child.id] = value
    return out


def validate_section(
    form: Form, defn: FormDefinition, section: Section, answers: dict[str, Any], lang: str
) -> bool:
    """Validate with conditions evaluated on ``answers`` (stored answers merged with this page)."""
    form.context = Context(defn, answers, lang)
    for item in section.items:
        if item.type == "repeat" and item.id in form._fields:
            for entry_form, entry in zip(form[item.id], answers.get(item.id) or [], strict=False):
                entry_form.form.context = Context(defn, answers, lang, entry)
                entry_form.form[ENTRY_MARKER].errors = []
            for entry_form in form[item.id]:
                if not hasattr(entry_form.form, "context"):
                    entry_form.form.context = Context(defn, answers, lang, {})
        if item.type == "matrix" and item.id in form._fields:
            form[item.id].form.context = form.context
    return bool(form.validate())


def section_answers(form: Form, section: Section, previous: dict[str, Any]) -> dict[str, Any]:
    """This page's answers; a field with an error keeps its previously stored answer.

    Cards for options no longer ticked in their ``rows_from`` item are not kept.
    """
    out: dict[str, Any] = {}
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
    for item in section.items:
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
        for child in group.items:
            if child.id in entry_form.form._fields and entry_form.form[child.id].errors:
                entry.pop(child.id, None)
                if child.id in before:
                    entry[child.id] = before[child.id]
        entries.append(entry)
    return entries or None
