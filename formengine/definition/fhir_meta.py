"""Where an imported item came from in its source FHIR Questionnaire (the ``fhir:`` key).

A form imported with ``formengine fhir import`` keeps the source's linkIds and codes so that
its exports (Questionnaire and QuestionnaireResponse) go back to the source system unchanged:
``/29463-7`` stays ``/29463-7`` and ``LA11871-3`` stays ``LA11871-3``. Forms written here
carry no ``fhir:`` key and export with their own ids and codes, as before.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Coding:
    """A FHIR Coding: an item code or an answer option's code."""

    code: str
    system: str | None = None
    display: str | None = None

    def as_json(self) -> dict[str, str]:
        out = {"system": self.system} if self.system else {}
        out["code"] = self.code
        if self.display:
            out["display"] = self.display
        return out


@dataclass(frozen=True)
class FhirItem:
    """``fhir:`` on an item or section: its source linkId, item codes, and placement.

    ``type: quantity`` and ``unit`` make a number item answer with ``valueQuantity``. ``under`` names
    the source question this item was nested under (FHIR puts the answers to
    such children in the parent's ``answer.item``); ``top_level`` marks a section the import
    made to hold loose top-level items, which has no group in the source.
    """

    link_id: str | None = None
    codes: tuple[Coding, ...] = ()
    under: str | None = None
    top_level: bool = False
    type: str | None = None  # the source item type when ours differs: only "quantity" (a number)
    unit: Coding | None = None  # a quantity's unit (questionnaire-unit), for valueQuantity answers


@dataclass(frozen=True)
class FhirForm:
    """``fhir:`` at the top of a form: the source Questionnaire's canonical url and version."""

    url: str | None = None
    version: str | None = None

    @property
    def canonical(self) -> str | None:
        if not self.url:
            return None
        return f"{self.url}|{self.version}" if self.version else self.url
