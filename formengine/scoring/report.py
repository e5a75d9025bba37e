"""The result of scoring one answer set: frozen dataclasses with a deterministic JSON form.

Scores are conversation aids, not rationing tools: a report says where to start the
conversation and which local offers to mention. Nothing here decides who gets what.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class BandResult:
    """The band a scale value falls in, with its label in the report's language."""

    id: str
    label: str
    colour: str

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label, "colour": self.colour}


@dataclass(frozen=True, slots=True)
class ScaleResult:
    """One scale: value (null when it cannot be computed), why, and what it was computed from.

    ``items`` is the number of the scale's items left after "not applicable" answers,
    ``answered`` how many of those gave a score, ``raw`` the weighted total of those scores
    before proration or averaging. ``reason`` is null, ``no_answers``, ``not_asked`` (no scored
    answer, and conditions hid every item of the scale: the relative was not asked, e.g. she did
    not tick the area), ``too_few_answers``, ``not_applicable`` (every answered item was "not
    relevant") or ``not_scorable``; the record copy's filter adds ``left_out``.
    """

    id: str
    label: str
    value: float | None
    raw: float | None
    answered: int
    items: int
    not_applicable: int
    prorated: bool
    reason: str | None
    band: BandResult | None
    domain: str | None

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "value": self.value,
            "raw": self.raw,
            "answered": self.answered,
            "items": self.items,
            "not_applicable": self.not_applicable,
            "prorated": self.prorated,
            "reason": self.reason,
            "band": self.band.as_json() if self.band else None,
            "domain": self.domain,
        }


@dataclass(frozen=True, slots=True)
class FlagResult:
    """A flag whose condition holds: something to act on."""

    id: str
    severity: str
    message: str
    action: str

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "severity": self.severity, "message": self.message, "action": self.action}


@dataclass(frozen=True, slots=True)
class PriorityResult:
    """One of the relative's priorities, most important first."""

    value: str
    label: str

    def as_json(self) -> dict[str, Any]:
        return {"value": self.value, "label": self.label}


@dataclass(frozen=True, slots=True)
class GapResult:
    """One matrix row where a gap rule holds; ``values`` are the bound names' answers."""

    id: str
    row: str
    row_label: str
    values: tuple[tuple[str, Any], ...]
    label: str

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "row": self.row,
            "row_label": self.row_label,
            "values": dict(self.values),
            "label": self.label,
        }


@dataclass(frozen=True, slots=True)
class ContactResult:
    """Where to get an offer: a role or unit and how to reach it."""

    id: str
    name: str
    phone: str
    email: str
    hours: str

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "phone": self.phone,
            "email": self.email,
            "hours": self.hours,
        }


@dataclass(frozen=True, slots=True)
class OfferResult:
    """A local offer suggested by a band or an offer trigger; ``because`` names the scales or "trigger"."""

    id: str
    title: str
    description: str
    contact: ContactResult | None
    domains: tuple[str, ...]
    url: str
    because: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "description": self.description,
            "contact": self.contact.as_json() if self.contact else None,
            "domains": list(self.domains),
            "url": self.url,
            "because": list(self.because),
        }


@dataclass(frozen=True, slots=True)
class ScoreReport:
    """Everything scoring says about one answer set, for one form version and one language."""

    form: str
    version: str
    definition_hash: str
    lang: str
    scales: tuple[ScaleResult, ...]
    flags: tuple[FlagResult, ...]
    priorities: tuple[PriorityResult, ...]
    gaps: tuple[GapResult, ...]
    offers: tuple[OfferResult, ...]

    def scale(self, scale_id: str) -> ScaleResult:
        """Return the result of one scale; raise KeyError if the form has no such scale."""
        for result in self.scales:
            if result.id == scale_id:
                return result
        raise KeyError(scale_id)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ScoreReport:
        """Rebuild a report from :meth:`as_json` data (e.g. one stored or sent as JSON)."""

        def band(value: Any) -> BandResult | None:
            return BandResult(value["id"], value["label"], value["colour"]) if value else None

        def contact(value: Any) -> ContactResult | None:
            return (
                ContactResult(value["id"], value["name"], value["phone"], value["email"], value["hours"])
                if value
                else None
            )

        return cls(
            form=data["form"],
            version=data["version"],
            definition_hash=data["definition_hash"],
            lang=data["lang"],
            scales=tuple(
                ScaleResult(
                    s["id"],
                    s["label"],
                    s["value"],
                    s["raw"],
                    s["answered"],
                    s["items"],
                    s["not_applicable"],
                    s["prorated"],
                    s["reason"],
                    band(s["band"]),
                    s["domain"],
                )
                for s in data.get("scales") or ()
            ),
            flags=tuple(
                FlagResult(f["id"], f["severity"], f["message"], f["action"]) for f in data.get("flags") or ()
            ),
            priorities=tuple(PriorityResult(p["value"], p["label"]) for p in data.get("priorities") or ()),
            gaps=tuple(
                GapResult(g["id"], g["row"], g["row_label"], tuple(g["values"].items()), g["label"])
                for g in data.get("gaps") or ()
            ),
            offers=tuple(
                OfferResult(
                    o["id"],
                    o["title"],
                    o["description"],
                    contact(o["contact"]),
                    tuple(o["domains"]),
                    o["url"],
                    tuple(o["because"]),
                )
                for o in data.get("offers") or ()
            ),
        )

    def as_json(self) -> dict[str, Any]:
        """Return plain JSON data; the same input always gives the same data, in the same order."""
        return {
            "form": self.form,
            "version": self.version,
            "definition_hash": self.definition_hash,
            "lang": self.lang,
            "scales": [s.as_json() for s in self.scales],
            "flags": [f.as_json() for f in self.flags],
            "priorities": [p.as_json() for p in self.priorities],
            "gaps": [g.as_json() for g in self.gaps],
            "offers": [o.as_json() for o in self.offers],
        }
