"""Frozen, typed form definitions: everything after validation sees these, never raw YAML."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from formengine.definition.catalogue import (
    EMPTY_TEXT,
    Contact,
    Domain,
    Municipality,
    Offer,
    PrefillSource,
    Text,
)
from formengine.definition.fhir_meta import Coding, FhirForm, FhirItem
from formengine.errors.problems import Location

if TYPE_CHECKING:  # pragma: no cover
    from formengine.definition.calculation import Calculation
    from formengine.expressions.parser import Expression


# Text and the catalogue types live in formengine.definition.catalogue; import them from here.
__all__ = [
    "Band",
    "Column",
    "Contact",
    "Domain",
    "EMPTY_TEXT",
    "Flag",
    "FormDefinition",
    "Gap",
    "Item",
    "KINDS",
    "LANGUAGES",
    "Municipality",
    "Offer",
    "OfferTrigger",
    "Option",
    "OptionGroup",
    "PrefillSource",
    "Row",
    "STATUSES",
    "Scale",
    "Scoring",
    "Section",
    "Text",
    "answer_items",
    "walk",
]

LANGUAGES = ("nb", "nn", "en", "se")
STATUSES = ("draft", "active", "retired")
KINDS = ("assessment", "agreement", "followup")


@dataclass(frozen=True)
class Option:
    value: str
    label: Text
    score: float | None = None
    not_applicable: bool = False
    group: str | None = None  # id of one of the item's ``groups`` (a heading on the page)
    fhir: Coding | None = None  # the source code of an imported option (fhir_meta)
    exclusive: bool = False  # multi_choice: ticked alone or not at all ("none of these")


@dataclass(frozen=True)
class Row:
    id: str
    label: Text


@dataclass(frozen=True)
class OptionGroup:
    """A heading over some of an item's options (``groups:``); the answer is unchanged."""

    id: str
    label: Text


@dataclass(frozen=True)
class Column:
    """One question asked on every card of a ``cards`` item, with its own options."""

    id: str
    label: Text
    options: tuple[Option, ...]
    help: Text = EMPTY_TEXT
    # asked on a card only when this holds; its names are the card's earlier column ids
    show_if: Expression | None = None

    def option(self, value: str) -> Option | None:
        for opt in self.options:
            if opt.value == value:
                return opt
        return None

    @property
    def option_values(self) -> tuple[str, ...]:
        return tuple(o.value for o in self.options)


@dataclass(frozen=True)
class Item:
    """One question (or a note, a group of items, or a repeat group with child items)."""

    id: str
    type: str
    label: Text = EMPTY_TEXT
    help: Text = EMPTY_TEXT
    text: Text = EMPTY_TEXT  # note body
    required: bool = False
    required_if: Expression | None = None
    show_if: Expression | None = None
    constraint: Expression | None = None
    constraint_message: Text = EMPTY_TEXT
    conversation_only: bool = False  # the relative may mark this answer "for the conversation only"
    conversation_only_default: bool = False  # ... and it starts marked (YAML `conversation_only: default`)
    read_only: bool = False  # shown, never typed into (a calculated item is always read-only)
    calculated: Calculation | None = None  # computed from other answers on every save
    initial: Any = None  # the answer a new response starts with ('today' for a date: the day it starts)
    options: tuple[Option, ...] = ()
    rows: tuple[Row, ...] = ()
    columns: tuple[Column, ...] = ()  # cards: the questions on every card
    rows_from: str | None = None  # cards: one card per option ticked in this multi_choice item
    groups: tuple[OptionGroup, ...] = ()  # headings over options (single/multi choice, priority)
    items: tuple[Item, ...] = ()  # the items of a group or a repeat group
    min: float | str | None = None  # number min / repeat min / date min ('YYYY-MM-DD' or 'today')
    max: float | str | None = None
    unit: Text = EMPTY_TEXT
    integer: bool = True
    max_length: int | None = None
    max_choices: int | None = None
    add_label: Text = EMPTY_TEXT
    parent: str | None = None  # id of the innermost enclosing repeat group (groups do not count)
    fhir: FhirItem | None = None  # source linkId and codes of an imported item (fhir_meta)
    origin: str = ""  # "file:line" where the item was defined (core or variant)
    location: Location = field(default_factory=Location, compare=False)

    def option(self, value: str) -> Option | None:
        for opt in self.options:
            if opt.value == value:
                return opt
        return None

    def exclusive_clash(self, ticked: Any) -> str | None:
        """The exclusive option ("none of these") ticked together with another, or None."""
        if not isinstance(ticked, list) or len(ticked) < 2:
            return None
        return next((o.value for o in self.options if o.exclusive and o.value in ticked), None)

    @property
    def option_values(self) -> tuple[str, ...]:
        return tuple(o.value for o in self.options)

    @property
    def scored(self) -> bool:
        if self.columns:
            return any(o.score is not None for c in self.columns for o in c.options)
        return any(o.score is not None for o in self.options)

    @cached_property
    def card_endings(self) -> tuple[tuple[str, frozenset[str]], ...]:
        """(column id, its not-applicable option values) per column: an answer among them ends the card."""
        return tuple((c.id, frozenset(o.value for o in c.options if o.not_applicable)) for c in self.columns)

    def column(self, column_id: str) -> Column | None:
        for col in self.columns:
            if col.id == column_id:
                return col
        return None

    def row(self, row_id: str) -> Row | None:
        for row in self.rows:
            if row.id == row_id:
                return row
        return None

    @cached_property
    def fields(self) -> tuple[Item, ...]:
        """A repeat entry's answer keys: the items inside, groups opened (see :func:`answer_items`)."""
        return answer_items(self.items)


def answer_items(items: tuple[Item, ...]) -> tuple[Item, ...]:
    """The items whose answers are keys at this level, in form order.

    A ``group`` has no answer of its own: its items answer beside it, at any depth, so the
    group is opened. A ``repeat`` answers as one key (a list of entries) and is not opened.
    """
    out: list[Item] = []
    for item in items:
        if item.type == "group":
            out.extend(answer_items(item.items))
        else:
            out.append(item)
    return tuple(out)


def walk(items: tuple[Item, ...], container: Item | None = None) -> Iterator[tuple[Item, Item | None]]:
    """Yield (item, the group or repeat directly around it) for every item at any depth, in form order."""
    for item in items:
        yield item, container
        if item.items:
            yield from walk(item.items, item)


@dataclass(frozen=True)
class Section:
    id: str
    title: Text
    items: tuple[Item, ...]
    description: Text = EMPTY_TEXT
    show_if: Expression | None = None
    origin: str = ""
    location: Location = field(default_factory=Location, compare=False)
    fhir: FhirItem | None = None

    @cached_property
    def fields(self) -> tuple[Item, ...]:
        """The section's answer keys: its items with groups opened (see :func:`answer_items`)."""
        return answer_items(self.items)


@dataclass(frozen=True)
class Band:
    id: str
    label: Text
    max: float | None = None
    colour: str = "neutral-1"
    suggest_offers: bool = False


@dataclass(frozen=True)
class Scale:
    id: str
    label: Text
    items: tuple[str, ...]  # item ids or "matrix.row"
    method: str = "sum"
    domain: str | None = None
    reverse: tuple[str, ...] = ()
    weights: tuple[tuple[str, float], ...] = ()
    min_answered: float = 1
    prorate: bool = False
    bands: tuple[Band, ...] = ()
    origin: str = ""
    compares_to: str | None = None  # "FORM@VERSION#SCALE": the only scale this one is compared with


@dataclass(frozen=True)
class Flag:
    id: str
    when: Expression
    severity: str
    message: Text
    action: Text = EMPTY_TEXT
    origin: str = ""
    alert: bool | None = None  # None: alert when severity is high
    safety: bool = False  # raised: the relative sees what to do now (113, legevakt, helplines)

    @property
    def raises_alert(self) -> bool:
        """Does this flag, when raised at submit, alert the municipality's staff?"""
        if self.alert is not None:
            return self.alert
        return self.safety or self.severity == "high"


@dataclass(frozen=True)
class Gap:
    id: str
    bind: tuple[tuple[str, str], ...]  # (name, matrix id)
    when: Expression
    label: Text
    origin: str = ""
    cards: str | None = None  # a cards item: the rule is evaluated per row with its column ids bound


@dataclass(frozen=True)
class OfferTrigger:
    when: Expression
    domains: tuple[str, ...]


@dataclass(frozen=True)
class Scoring:
    scales: tuple[Scale, ...] = ()
    flags: tuple[Flag, ...] = ()
    priorities: str | None = None
    gaps: tuple[Gap, ...] = ()
    offer_triggers: tuple[OfferTrigger, ...] = ()


@dataclass(frozen=True)
class FormDefinition:
    """A validated, resolved form version (variants already merged with their base)."""

    id: str
    version: str
    status: str
    title: Text
    languages: tuple[str, ...]
    default_language: str
    sections: tuple[Section, ...]
    kind: str = "assessment"
    description: Text = EMPTY_TEXT
    scoring: Scoring = field(default_factory=Scoring)
    domains: tuple[Domain, ...] = ()
    contacts: tuple[Contact, ...] = ()
    offers: tuple[Offer, ...] = ()
    extends: str | None = None  # "FORM@VERSION" for municipal variants
    municipality: Municipality | None = None
    prefill: tuple[PrefillSource, ...] = ()
    hash: str = ""  # sha256 of the canonical source (for variants: of source and base)
    source: str = ""  # file the definition was loaded from
    fhir: FhirForm | None = None  # the source Questionnaire of an imported form (fhir_meta)

    @property
    def key(self) -> str:
        return f"{self.id}@{self.version}"

    def iter_items(self) -> Iterator[Item]:
        """Yield every item at any depth, the items of a group or repeat right after it."""
        for section in self.sections:
            for item, _container in walk(section.items):
                yield item

    @cached_property
    def items_by_id(self) -> dict[str, Item]:
        return {item.id: item for item in self.iter_items()}

    @cached_property
    def section_of(self) -> dict[str, str]:
        """Map every item id (including the items of groups and repeats) to its section id."""
        return {item.id: section.id for section in self.sections for item, _c in walk(section.items)}

    @cached_property
    def container_of(self) -> dict[str, str | None]:
        """Map every item id to the id of the group or repeat directly around it (None: the section)."""
        return {
            item.id: (box.id if box is not None else None)
            for section in self.sections
            for item, box in walk(section.items)
        }

    def ancestors(self, item_id: str) -> tuple[Item, ...]:
        """The groups and repeat groups around an item, outermost first."""
        out: list[Item] = []
        box = self.container_of.get(item_id)
        while box is not None:
            out.append(self.items_by_id[box])
            box = self.container_of.get(box)
        return tuple(reversed(out))

    @cached_property
    def runtime(self) -> dict[str, Any]:
        """A cache for answer-independent data other modules derive from this definition."""
        return {}

    def item(self, item_id: str) -> Item:
        return self.items_by_id[item_id]

    def options_at(self, path: str) -> tuple[Option, ...]:
        """The options an answer path takes: an item, a matrix row ``m.r`` or a card cell ``c.r.col``."""
        item = self.items_by_id.get(path.partition(".")[0])
        if item is None:
            return ()
        if item.type == "cards":
            parts = path.split(".")
            column = item.column(parts[2]) if len(parts) == 3 else None
            return column.options if column is not None else ()
        return item.options

    def section(self, section_id: str) -> Section:
        for section in self.sections:
            if section.id == section_id:
                return section
        raise KeyError(section_id)

    def domain_label(self, domain_id: str, lang: str | None = None) -> str:
        for domain in self.domains:
            if domain.id == domain_id:
                return domain.label.get(lang)
        return domain_id

    def contact(self, contact_id: str | None) -> Contact | None:
        for contact in self.contacts:
            if contact.id == contact_id:
                return contact
        return None
