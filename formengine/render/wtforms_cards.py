"""The WTForms side of a ``cards`` item: one sub-form per card, and which cards and cells show."""

from __future__ import annotations

from typing import Any

from wtforms import Form, RadioField
from wtforms.fields import FormField
from wtforms.validators import StopValidation

from formengine.answers.conditions import card_columns_asked, card_rows_shown, shown_view
from formengine.definition.model import FormDefinition, Item, Section
from formengine.render.wtforms_fields import MESSAGES, choices_of, optional_choice


def cards_form(item: Item, lang: str, meta: type | None) -> type[Form]:
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
                    choices=choices_of(column.options, lang),
                    validate_choice=True,
                    validators=[_card_choice],
                ),
            )
        setattr(CardsForm, row.id, FormField(CardForm, label=row.label.get(lang)))
    return CardsForm


def visible_cells(defn: FormDefinition, section: Section, answers: dict[str, Any]) -> set[str]:
    """The cards (``cards.row``) and card cells (``cards.row.column``) shown on ``section``'s page.

    A card is shown for each row (each option ticked in ``rows_from``); a cell is shown until a
    not-applicable answer ends its card, and only while its column's ``show_if`` holds. The web page
    lists these with the visible item ids, so
    a save that opens new cells (without JavaScript) shows them before moving on.
    """
    out: set[str] = set()
    cards = [i for i in section.fields if i.type == "cards"]
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
    optional_choice(form, field)
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
        for item in section.fields
        if item.type == "cards"
        for row in item.rows
        for key in (f"{item.id}.{row.id}", *(f"{item.id}.{row.id}.{c.id}" for c in item.columns))
    }
