"""Texts in several languages, the typed catalogue parts of a definition (need domains,
contacts, local offers, the municipality) and its pre-fill sources.

:mod:`formengine.definition.model` re-exports them: import them from there."""

from __future__ import annotations

from dataclasses import dataclass, field

from formengine.errors.problems import Location


@dataclass(frozen=True)
class Text:
    """A text in one or more languages; falls back to the default language."""

    values: tuple[tuple[str, str], ...]
    default: str = "nb"

    def get(self, lang: str | None = None) -> str:
        """Return the text in ``lang``, else the default language, else any language."""
        table = dict(self.values)
        if lang and lang in table:
            return table[lang]
        if self.default in table:
            return table[self.default]
        return next(iter(table.values()), "")

    def languages(self) -> set[str]:
        return {lang for lang, _ in self.values}

    def as_json(self) -> dict[str, str]:
        return dict(self.values)

    def __str__(self) -> str:
        return self.get()

    def __bool__(self) -> bool:
        return any(v for _, v in self.values)


EMPTY_TEXT = Text(())


@dataclass(frozen=True)
class PrefillSource:
    """How answers to an older form version pre-fill this one (``prefill:``).

    ``source`` is ``FORM@MAJOR`` (any version of that major) or ``FORM@VERSION``; ``map`` pairs an
    old answer path (``item`` or ``matrix.row``) with a new one (``item``, ``matrix.row`` or a card
    cell ``cards.row.column``); ``values`` translates option values per new path.
    """

    source: str
    map: tuple[tuple[str, str], ...]
    values: tuple[tuple[str, tuple[tuple[str, str | None], ...]], ...] = ()  # None: not pre-filled
    location: Location = field(default_factory=Location, compare=False)

    @property
    def form(self) -> str:
        return self.source.partition("@")[0]

    def matches(self, form_id: str, version: str) -> bool:
        """True if answers to ``form_id@version`` may pre-fill through this mapping."""
        want = self.source.partition("@")[2]
        if form_id != self.form:
            return False
        return version == want or version.split(".")[: want.count(".") + 1] == want.split(".")

    def value_map(self, target: str) -> dict[str, str | None] | None:
        for name, pairs in self.values:
            if name == target:
                return dict(pairs)
        return None


@dataclass(frozen=True)
class Domain:
    id: str
    label: Text


@dataclass(frozen=True)
class Contact:
    id: str
    name: Text
    phone: str = ""
    email: str = ""
    hours: Text = EMPTY_TEXT
    crisis: bool = False  # shown to the relative with 113 and 116 117 when a safety flag is raised


@dataclass(frozen=True)
class Offer:
    id: str
    title: Text
    description: Text = EMPTY_TEXT
    contact: str | None = None
    domains: tuple[str, ...] = ()
    url: str = ""


@dataclass(frozen=True)
class Municipality:
    id: str
    name: str
    duty_email: str = ""  # staff alerts go here (no answers, no names: only a link)
