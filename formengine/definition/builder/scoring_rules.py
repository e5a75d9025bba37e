"""Validate the ``scoring:`` block: scales, bands, flags, gaps, priorities and offer triggers.

:class:`ScoringReader` is one declared part of the :class:`~formengine.definition.builder.validation.Builder`.
It needs the expression part (rules are expressions) and the catalogue part (scales and triggers
link to domains), and takes the finished item index as an explicit input.
"""

from __future__ import annotations

import re
from typing import Any

from formengine.definition.builder.catalogue import CatalogueReader
from formengine.definition.builder.references import ExpressionReader
from formengine.definition.item_types import SCORABLE_TYPES
from formengine.definition.loader import Document
from formengine.definition.model import Band, Flag, Gap, Item, OfferTrigger, Scale, Scoring
from formengine.errors.problems import suggest

SCORING_KEYS = ("scales", "flags", "priorities", "gaps", "offer_triggers")
SCALE_KEYS = (
    "id",
    "label",
    "domain",
    "items",
    "method",
    "reverse",
    "weights",
    "min_answered",
    "prorate",
    "bands",
    "compares_to",
)
GAP_KEYS = ("id", "rows", "bind", "cards", "when", "label")
COMPARES_TO = re.compile(
    r"^[a-z][a-z0-9-]*@(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)#[a-z][a-z0-9_]*$"
)
BAND_KEYS = ("id", "label", "max", "colour", "suggest_offers")
SEVERITIES = ("high", "medium", "info")


class ScoringReader(ExpressionReader, CatalogueReader):
    """Reads the scoring block; remembers the scale ids that scoring expressions may name."""

    def __init__(self, doc: Document, **options: Any) -> None:
        super().__init__(doc, **options)
        self.scale_ids: set[str] = set()

    def scoring(self, data: dict[str, Any], index: dict[str, Item]) -> Scoring:
        """Read and check the scoring block against the form's items (``index``: id or ``m.r`` to item)."""
        self.scale_ids = set()
        raw = data.get("scoring")
        if raw is None or self.mapping(raw, ("scoring",), "scoring") is None:
            return Scoring()
        path = ("scoring",)
        self.keys(raw, path, SCORING_KEYS, "scoring")
        scales = tuple(
            s for p, e in self.list_of_maps(raw, "scales", path) if (s := self._scale(e, p, index))
        )
        flags = tuple(f for p, e in self.list_of_maps(raw, "flags", path) if (f := self._flag(e, p)))
        gaps = tuple(g for p, e in self.list_of_maps(raw, "gaps", path) if (g := self._gap(e, p, index)))
        triggers = []
        for tpath, entry in self.list_of_maps(raw, "offer_triggers", path):
            self.keys(entry, tpath, ("when", "domains"), "an offer trigger", required=("when", "domains"))
            when = self.expression(entry, "when", tpath, "scoring")
            domains = self.domain_list(entry.get("domains") or [], tpath + ("domains",))
            if when is not None:
                triggers.append(OfferTrigger(when, domains))
        priorities = raw.get("priorities")
        if priorities is not None:
            item = index.get(priorities) if isinstance(priorities, str) else None
            if item is None or item.type != "priority":
                self.error("FE406", path + ("priorities",), item=priorities)
                priorities = None
        return Scoring(scales, flags, priorities, gaps, tuple(triggers))

    def _scale(self, entry: dict[str, Any], path: tuple[Any, ...], index: dict[str, Item]) -> Scale | None:
        self.keys(entry, path, SCALE_KEYS, "a scale", required=("id", "label", "items"))
        ident = self.ident(entry.get("id"), path + ("id",)) if "id" in entry else None
        if ident and ident in self.scale_ids:
            self.error("FE105", path + ("id",), id=ident, first_line=self.doc.loc(path).line)
        if ident:
            self.scale_ids.add(ident)
        items = self._scale_items(entry.get("items") or [], path + ("items",), index)
        method = entry.get("method", "sum")
        if method not in ("sum", "mean"):
            self.error("FE103", path + ("method",), key="method", expected="sum or mean", actual=method)
        domain = entry.get("domain")
        if domain is not None and domain not in self.domain_ids:
            self.error(
                "FE129", path + ("domain",), domain=domain, suggestion=suggest(str(domain), self.domain_ids)
            )
        reverse = entry.get("reverse") or []
        weights = entry.get("weights") or {}
        if self.sequence(reverse, path + ("reverse",), "reverse") is None:
            reverse = []
        if self.mapping(weights, path + ("weights",), "weights") is None:
            weights = {}
        for i, name in enumerate(reverse):
            if name not in items:
                self.error("FE408", path + ("reverse", i), name=name)
        for name, weight in weights.items():
            if name not in items:
                self.error("FE408", path + ("weights", name), at_key=True, name=name)
            if self.typed(weight, path + ("weights", name), (int, float), "a number", "weight"):
                self.in_range(weight, path + ("weights", name), "weight")
        min_answered = entry.get("min_answered", 1)
        if (
            isinstance(min_answered, bool)
            or not isinstance(min_answered, (int, float))
            or min_answered <= 0
            or (isinstance(min_answered, float) and min_answered > 1)
        ):
            self.error("FE404", path + ("min_answered",))
            min_answered = 1
        bands = self._bands(entry, path)
        compares_to = entry.get("compares_to")
        if compares_to is not None and (
            not isinstance(compares_to, str) or not COMPARES_TO.match(compares_to)
        ):
            self.error(
                "FE326", path + ("compares_to",), target=compares_to, reason="write it as FORM@VERSION#SCALE"
            )
            compares_to = None
        if self.has_errors or not ident:
            return None
        return Scale(
            ident,
            self.text(entry, "label", path, f"scale '{ident}'", True),
            items,
            method,
            domain,
            tuple(reverse),
            tuple((k, float(v)) for k, v in weights.items()),
            min_answered,
            self.boolean(entry, "prorate", path),
            bands,
            self.origin(path),
            compares_to,
        )

    def _scale_items(self, value: Any, path: tuple[Any, ...], index: dict[str, Item]) -> tuple[str, ...]:
        if self.sequence(value, path, "items") is None:
            return ()
        out: list[str] = []
        for i, name in enumerate(value):
            if isinstance(name, str) and "[*]." in name:  # a whole card column: every row's cell
                out.extend(self._card_column(name, path + (i,), index))
                continue
            item = index.get(name) if isinstance(name, str) else None
            if item is None:
                self.error("FE401", path + (i,), item=name)
                continue
            if item.parent is not None:  # one answer per entry: a scale has no single answer to count
                self.error("FE411", path + (i,), item=name, group=item.parent)
                continue
            if item.type == "cards":
                parts = name.split(".")
                col = item.column(parts[2]) if len(parts) == 3 else None
                if col is None or not any(o.score is not None for o in col.options):
                    self.error("FE402", path + (i,), item=name, type=item.type)
                    continue
                out.append(name)
                continue
            if item.type not in SCORABLE_TYPES or not item.scored:
                self.error("FE402", path + (i,), item=name, type=item.type)
                continue
            if item.type == "matrix" and "." not in name:
                out.extend(f"{name}.{row.id}" for row in item.rows)  # a whole matrix: every row
            else:
                out.append(name)
        return tuple(out)

    def _card_column(self, name: str, path: tuple[Any, ...], index: dict[str, Item]) -> list[str]:
        """Expand ``cards[*].column`` to ``cards.row.column`` for every row of the cards item."""
        item_id, _, column_id = name.partition("[*].")
        item = index.get(item_id)
        column = item.column(column_id) if item is not None and item.type == "cards" else None
        if item is None or column is None:
            self.error("FE401", path, item=name)
            return []
        if not any(o.score is not None for o in column.options):
            self.error("FE402", path, item=name, type=item.type)
            return []
        return [f"{item_id}.{row.id}.{column_id}" for row in item.rows]

    def _bands(self, entry: dict[str, Any], path: tuple[Any, ...]) -> tuple[Band, ...]:
        out: list[Band] = []
        listed = self.list_of_maps(entry, "bands", path)
        last_max = None
        for i, (bpath, band) in enumerate(listed):
            self.keys(band, bpath, BAND_KEYS, "a band", required=("id", "label"))
            ident = self.ident(band.get("id"), bpath + ("id",)) if "id" in band else None
            upper = self.number(band, "max", bpath)
            is_last = i == len(listed) - 1
            if (upper is None) != is_last:
                self.error("FE407", bpath)
            if upper is not None and last_max is not None and upper <= last_max:
                self.error("FE403", bpath + ("max",), band=ident)
            last_max = upper if upper is not None else last_max
            colour = band.get("colour", f"neutral-{min(i + 1, 5)}")
            out.append(
                Band(
                    ident or "",
                    self.text(band, "label", bpath, f"band '{ident}'", True),
                    upper,
                    str(colour),
                    self.boolean(band, "suggest_offers", bpath),
                )
            )
        return tuple(out)

    def _flag(self, entry: dict[str, Any], path: tuple[Any, ...]) -> Flag | None:
        self.keys(
            entry,
            path,
            ("id", "when", "severity", "message", "action", "alert", "safety"),
            "a flag",
            required=("id", "when", "severity", "message"),
        )
        ident = self.ident(entry.get("id"), path + ("id",)) if "id" in entry else None
        severity = entry.get("severity", "info")
        if severity not in SEVERITIES:
            self.error(
                "FE103",
                path + ("severity",),
                key="severity",
                expected="high, medium or info",
                actual=severity,
            )
        when = self.expression(entry, "when", path, "scoring")
        message = self.text(entry, "message", path, f"flag '{ident}'", True)
        action = self.text(entry, "action", path, f"flag '{ident}'")
        if not ident or when is None:
            return None
        alert = self.boolean(entry, "alert", path) if "alert" in entry else None
        safety = self.boolean(entry, "safety", path)
        return Flag(ident, when, severity, message, action, self.origin(path), alert, safety)

    def _gap(self, entry: dict[str, Any], path: tuple[Any, ...], index: dict[str, Item]) -> Gap | None:
        self.keys(
            entry,
            path,
            GAP_KEYS,
            "a gap",
            required=("id", "when", "label"),
        )
        ident = self.ident(entry.get("id"), path + ("id",)) if "id" in entry else None
        if ("bind" in entry) == ("cards" in entry):
            self.error("FE409", path)
            return None
        if "cards" in entry:
            return self._card_gap(entry, path, ident, index)
        bind = entry.get("bind") or {}
        if self.mapping(bind, path + ("bind",), "bind") is None:
            bind = {}
        rows = None
        for name, matrix_id in bind.items():
            item = index.get(matrix_id) if isinstance(matrix_id, str) else None
            if item is None or item.type != "matrix":
                self.error("FE401", path + ("bind", name), item=matrix_id)
                continue
            these = tuple(r.id for r in item.rows)
            if rows is not None and these != rows[1]:
                self.error("FE405", path + ("bind", name), a=rows[0], b=matrix_id)
            rows = rows or (matrix_id, these)
        when = self.expression(entry, "when", path, "gap", names=frozenset(bind))
        label = self.text(entry, "label", path, f"gap '{ident}'", True)
        if not ident or when is None:
            return None
        return Gap(ident, tuple((str(k), str(v)) for k, v in bind.items()), when, label, self.origin(path))

    def _card_gap(
        self, entry: dict[str, Any], path: tuple[Any, ...], ident: str | None, index: dict[str, Item]
    ) -> Gap | None:
        """A gap rule evaluated once per card: the cards item's column ids are bound to the row's answers."""
        cards = entry.get("cards")
        item = index.get(cards) if isinstance(cards, str) else None
        if item is None or item.type != "cards":
            self.error("FE410", path + ("cards",), item=cards)
            return None
        names = frozenset(c.id for c in item.columns)
        when = self.expression(entry, "when", path, "gap", names=names, owner=f"cards:{cards}")
        label = self.text(entry, "label", path, f"gap '{ident}'", True)
        if not ident or when is None:
            return None
        return Gap(ident, (), when, label, self.origin(path), cards=str(cards))
