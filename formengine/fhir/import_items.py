"""Questionnaire items → formengine items (the item part of :mod:`formengine.fhir.importer`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from formengine.definition.item_types import ITEM_TYPES, LIST_CHOICE_TYPES, TEXT_TYPES
from formengine.fhir.calculated import has_calculation, has_initial
from formengine.fhir.common import (
    FE_CONVERSATION_ONLY,
    FE_DATE_LIMIT,
    FE_ITEM_TYPE,
    HIDDEN,
    MAX_OCCURS,
    MAX_VALUE,
    MIN_OCCURS,
    MIN_VALUE,
    SCORING_SYSTEM,
    UNIT,
    IdAllocator,
    extension_value,
    item_control,
    number,
)
from formengine.fhir.import_scoring import read_score_item
from formengine.fhir.options import read_options, value_sets
from formengine.fhir.scores import FE_SCALE
from formengine.i18n import N_, say

_SIMPLE = {
    "string": "text",
    "text": "long_text",
    "date": "date",
    "dateTime": "date",
    "time": "text",
    "url": "text",
}
_NUMBER = {"integer": True, "decimal": False, "quantity": False}
# UCUM codes as a person reads them (a unit without a display text shows this; the code is kept)
_UCUM_SHOWN = {"[in_i]": "in", "[lb_av]": "lb", "[ft_i]": "ft", "kg/m2": "kg/m²", "/min": "per minutt"}
_LOSSY = {
    "dateTime": N_("only the date is kept"),
    "time": N_("read as text"),
    "url": N_("read as text"),
    "quantity": N_("read as a number; the unit choice is lost"),
    "open-choice": N_("the free-text alternative is lost"),
    "free unit": N_(
        "no unit is declared: read as a number; a response's unit is kept, an answer typed here has none"
    ),
}


ENTRIES_SUFFIX = "_entries"  # the repeat group around a repeating question with child questions


def _descendants(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every item dict in ``items`` and inside their groups and repeat groups."""
    out: list[dict[str, Any]] = []
    for each in items:
        out.append(each)
        out += _descendants(each.get("items") or [])
    return out


def scoring_code(item: dict[str, Any]) -> str | None:
    """Return Helsenorge's scoring formula code (QS, SS, TS) of an item, if any."""
    for coding in item.get("code") or []:
        if isinstance(coding, dict) and coding.get("system") == SCORING_SYSTEM:
            return str(coding.get("code"))
    return None


class ItemReader:
    """Mixin for :class:`~formengine.fhir.importer.Importer`: reads items inside sections."""

    # The Importer's state and helpers that the item reader uses (declared for the type checker).
    q: dict[str, Any]
    lang: str
    ids: IdAllocator
    links: dict[str, tuple[str, str]]
    codes: dict[str, dict[str, str]]
    comments: dict[str, str]
    pending: list[tuple[dict[str, Any], dict[str, Any]]]
    calculations: list[tuple[dict[str, Any], dict[str, Any]]]
    scored: list[str]
    qs: list[tuple[str, tuple[str, ...]]]
    totals: list[tuple[str, object, tuple[str, ...], dict[str, Any]]]

    if TYPE_CHECKING:

        def warn(self, message: str, **args: object) -> None: ...
        def text(self, element: dict[str, Any], key: str) -> str | dict[str, str] | None: ...
        def remember(self, link: str, ident: str, kind: str) -> None: ...
        def placeholder(self) -> dict[str, Any]: ...

    def __init__(self) -> None:
        self.sets = value_sets(self.q)

    def help_of(self, item: dict[str, Any]) -> str | dict[str, str] | None:
        for child in item.get("item") or []:
            if isinstance(child, dict) and child.get("type") == "display" and item_control(child) == "help":
                return self.text(child, "text")
        return None

    def items(
        self, children: list[Any], path: tuple[Any, ...], parent: str | None, under: str | None = None
    ) -> list[dict[str, Any]]:
        """Read FHIR child items into our items (groups stay groups, nested at any depth).

        ``under``: the linkId of the source group or question these children are nested in (kept
        as ``fhir.under`` so that exports nest them as the source did)."""
        out: list[dict[str, Any]] = []
        for child in children:
            if not isinstance(child, dict):
                continue
            start = len(out)
            out += self.child(child, path, parent)
            own = self.links.get(str(child.get("linkId", "")), ("",))[0]
            if under and len(out) > start and out[start]["id"] == own:
                out[start].setdefault("fhir", {})["under"] = under
        return out

    def child(self, child: dict[str, Any], path: tuple[Any, ...], parent: str | None) -> list[dict[str, Any]]:
        """Our items for one FHIR item and what is nested in it."""
        kind, link = child.get("type"), str(child.get("linkId", ""))
        code = scoring_code(child)
        if kind == "display":
            return self.display(child, parent)
        if code in ("SS", "TS") or extension_value(child, FE_SCALE):  # FE_SCALE: our FHIRPath score
            self.score_item(child, code or "calc", path)
            return []
        if kind == "group":
            return self.group(child, path, parent)
        if (
            child.get("repeats") is True
            and kind not in ("choice", "open-choice")
            and any(not self._is_help(c) for c in child.get("item") or [])
        ):
            return self.repeating_question(child, path, parent)
        built = self.question(child, parent, path)
        nested = [c for c in child.get("item") or [] if not self._is_help(c)]
        return ([built] if built else []) + self.items(nested, path + (link,), parent, link)

    def repeating_question(
        self, item: dict[str, Any], path: tuple[Any, ...], parent: str | None
    ) -> list[dict[str, Any]]:
        """A repeating question with questions under each answer (LHC-Forms): a repeat group whose
        entries hold one answer of the question and the answers under it (``ENTRIES_SUFFIX``)."""
        link = str(item.get("linkId", ""))
        ident = self.ids(f"{link}{ENTRIES_SUFFIX}", "g")
        built = self.question(item, ident, path)
        if built is None:
            return []
        nested = [c for c in item.get("item") or [] if not self._is_help(c)]
        out = {"id": ident, "type": "repeat", "label": built["label"], "items": [built]}
        out["items"] += self.items(nested, path + (link,), ident)
        for n, (ours, theirs) in enumerate(self.pending):  # its enableWhen hides every entry
            if ours is built:
                self.pending[n] = (out, theirs)
        return [out]

    @staticmethod
    def _is_help(child: Any) -> bool:
        return isinstance(child, dict) and child.get("type") == "display" and item_control(child) == "help"

    def display(self, item: dict[str, Any], parent: str | None) -> list[dict[str, Any]]:
        link = str(item.get("linkId", ""))
        if self._is_help(item):
            return []
        if extension_value(item, HIDDEN) is True:
            self.warn(N_("display item '{link}' is hidden; left out"), link=link)
            return []
        text = self.text(item, "text")
        if not text:
            self.warn(N_("display item '{link}' has no text; left out"), link=link)
            return []
        ident = self.ids(link, "note")
        self.remember(link, ident, "note")
        out = {"id": ident, "type": "note", "text": text}
        self.source(out, item)
        self.pending.append((out, item))
        return [out]

    def score_item(self, item: dict[str, Any], code: str, path: tuple[Any, ...]) -> None:
        """An SS/TS item, or our own FHIRPath score: a scale (its questions are read later)."""
        read_score_item(self, item, code, path)

    def group(self, item: dict[str, Any], path: tuple[Any, ...], parent: str | None) -> list[dict[str, Any]]:
        link = str(item.get("linkId", ""))
        if extension_value(item, FE_ITEM_TYPE) == "matrix":
            return [self.matrix(item, parent)]
        if extension_value(item, FE_ITEM_TYPE) == "cards":
            from formengine.fhir.cards import read_questionnaire_cards

            if parent is not None:
                self.warn(
                    N_("cards '{link}' inside a repeating group cannot be asked; read as a plain group"),
                    link=link,
                )
            else:
                return [read_questionnaire_cards(self, item)]
        if item.get("repeats"):  # a repeating group, at any depth: one entry per repeated group item
            return [self.repeat(item, path, parent)]
        heading = self.text(item, "text")
        members = self.items(item.get("item") or [], path + (link,), parent)
        if not members and not heading:
            return []
        ident = self.ids(link, "g")
        if not members:  # a heading over nothing formengine can ask: keep the text
            self.remember(link, ident, "note")
            note = {"id": ident, "type": "note", "text": heading}
            self.source(note, item)
            self.pending.append((note, item))
            return [note]
        self.remember(link, ident, "group")
        out: dict[str, Any] = {"id": ident, "type": "group"}
        if heading:
            out["label"] = heading
        self.source(out, item)
        help_text = self.help_of(item)
        if help_text:
            out["help"] = help_text
        out["items"] = members
        self.pending.append((out, item))  # its enableWhen becomes the group's show_if: it hides all inside
        return [out]

    def base(self, item: dict[str, Any], kind: str, prefix: str = "q") -> dict[str, Any]:
        link = str(item.get("linkId", ""))
        ident = self.ids(link, prefix)
        self.remember(link, ident, kind)
        label = self.text(item, "text")
        if label and item.get("prefix"):
            label = (
                {k: f"{item['prefix']}{v}" for k, v in label.items()}
                if isinstance(label, dict)
                else f"{item['prefix']}{label}"
            )
        if not label:
            self.warn(N_("item '{link}' has no text; its linkId is used as label"), link=link)
        out: dict[str, Any] = {"id": ident, "type": kind, "label": label or link}
        self.source(out, item)
        help_text = self.help_of(item)
        if help_text:
            out["help"] = help_text
        if item.get("required") is True:
            out["required"] = True
        if item.get("readOnly") is True or has_calculation(item) or has_initial(item):
            self.calculations.append((out, item))
        marked = extension_value(item, FE_CONVERSATION_ONLY)
        if marked is True or marked == "default":
            out["conversation_only"] = marked
        self.pending.append((out, item))
        return out

    def source(self, out: dict[str, Any], item: dict[str, Any]) -> None:
        """Keep the source linkId (when our id differs) and item codes as ``fhir:`` (fhir_meta)."""
        link = str(item.get("linkId", ""))
        meta: dict[str, Any] = {"linkId": link} if link and link != out["id"] else {}
        codes = [
            {k: str(c[k]) for k in ("system", "code", "display") if c.get(k)}
            for c in item.get("code") or []
            if isinstance(c, dict) and c.get("code")
        ]
        if codes:
            meta["code"] = codes
        if meta and not extension_value(item, FE_ITEM_TYPE):  # our own exports need none
            out["fhir"] = meta

    def repeat(
        self, item: dict[str, Any], path: tuple[Any, ...], parent: str | None = None
    ) -> dict[str, Any]:
        out = self.base(item, "repeat", "g")
        out.pop("required", None)
        link = str(item.get("linkId", ""))
        children = self.items(item.get("item") or [], path + (link,), out["id"])
        out["items"] = children or [self.placeholder()]
        low, high = number(extension_value(item, MIN_OCCURS)), number(extension_value(item, MAX_OCCURS))
        if low:
            out["min"] = low
        if high:
            out["max"] = high
        inside = {each["id"] for each in _descendants(children)}
        for ident in [i for i in self.scored if i.partition(".")[0] in inside]:
            self.scored.remove(ident)  # a scale counts one answer per item: not an answer per entry
            self.qs[:] = [q for q in self.qs if q[0] != ident]
            self.warn(
                N_("item '{item}' inside the repeating group '{link}' has scores; no scale counts it"),
                item=ident,
                link=link,
            )
        return out

    def matrix(self, item: dict[str, Any], parent: str | None) -> dict[str, Any]:
        out = self.base(item, "matrix", "m")
        rows: list[dict[str, Any]] = []
        options: list[dict[str, Any]] = []
        for row in item.get("item") or []:
            if not isinstance(row, dict) or row.get("type") != "choice":
                continue
            link = str(row.get("linkId", ""))
            row_id = link.rpartition(".")[2]
            options, codes = read_options(row, self.sets, self.lang, self.warn)
            self.codes[link] = codes
            self.links[link] = (f"{out['id']}.{row_id}", "matrix")
            rows.append({"id": row_id, "label": self.text(row, "text") or row_id})
            if any("score" in o for o in options):
                self.scored.append(f"{out['id']}.{row_id}")
            if row.get("required") is True:
                out["required"] = True
        out.update(rows=rows, options=options)
        return out

    def question(
        self, item: dict[str, Any], parent: str | None, path: tuple[Any, ...]
    ) -> dict[str, Any] | None:
        kind, link = item.get("type"), str(item.get("linkId", ""))
        ours = extension_value(item, FE_ITEM_TYPE)
        if kind in _LOSSY and not ours:
            free = kind == "quantity" and not extension_value(item, UNIT)  # fhir.kept keeps a response's unit
            loss = say(_LOSSY["free unit" if free else str(kind)])
            self.warn(N_("item '{link}' of type {kind}: {loss}"), link=link, kind=kind, loss=loss)
        if kind in ("choice", "open-choice"):
            return self.choice(item, ours, path)
        if kind == "boolean":
            return self.base(item, "yes_no")
        if kind in _NUMBER:
            out = self.number_item(item, _NUMBER[kind])
            unit = extension_value(item, UNIT)
            if kind == "quantity":  # answered with valueQuantity, in the item's unit (fhir_meta)
                out.setdefault("fhir", {})["type"] = "quantity"
            if isinstance(unit, dict) and unit.get("code") and not extension_value(item, FE_ITEM_TYPE):
                meta = out.setdefault("fhir", {})  # the unit's coding (UCUM …) goes back on export
                meta["unit"] = {k: str(unit[k]) for k in ("system", "code", "display") if unit.get(k)}
            return out
        if kind in _SIMPLE:
            out = self.base(item, ours if ours in TEXT_TYPES else _SIMPLE[kind])
            if isinstance(item.get("maxLength"), int) and out["type"] != "date":
                out["max_length"] = item["maxLength"]
            if out["type"] == "date":
                self.date_limits(item, out)
            return out
        self.warn(
            N_("item '{link}' has type {kind}, which formengine cannot ask; left out"),
            link=link,
            kind=repr(kind),
        )
        return None

    def choice(self, item: dict[str, Any], ours: Any, path: tuple[Any, ...]) -> dict[str, Any] | None:
        link = str(item.get("linkId", ""))
        options, codes = read_options(item, self.sets, self.lang, self.warn)
        if not options:
            self.warn(N_("item '{link}' has no usable answer options; read as text"), link=link)
            return self.base(item, "text")
        many = item.get("repeats") is True or item_control(item) == "check-box"
        kind = (
            ours
            if ours in ITEM_TYPES and ITEM_TYPES[ours].has_options and ours != "matrix"
            else ("multi_choice" if many else "single_choice")
        )
        out = self.base(item, kind)
        self.codes[link] = codes
        builtin = [o.get("score") for o in options] == [None] * len(options)
        if not (
            ITEM_TYPES[kind].default_options
            and builtin
            and len(options) == len(ITEM_TYPES[kind].default_options)
        ):
            out["options"] = options
        limit = number(extension_value(item, MAX_OCCURS))
        if kind in LIST_CHOICE_TYPES and limit:
            out["max_choices"] = limit
        if any("score" in o for o in options):
            self.scored.append(out["id"])
            if scoring_code(item) == "QS":
                self.qs.append((out["id"], path))
        return out

    def number_item(self, item: dict[str, Any], integer: bool) -> dict[str, Any]:
        out = self.base(item, "number")
        out["integer"] = integer
        for key, url in (("min", MIN_VALUE), ("max", MAX_VALUE)):
            value = number(extension_value(item, url))
            if value is not None:
                out[key] = value
        unit = extension_value(item, UNIT)
        if isinstance(unit, dict) and (unit.get("display") or unit.get("code")):
            code = str(unit.get("code"))
            out["unit"] = self.text(unit, "display") or _UCUM_SHOWN.get(code, code)
        return out

    def date_limits(self, item: dict[str, Any], out: dict[str, Any]) -> None:
        for key, url in (("min", MIN_VALUE), ("max", MAX_VALUE)):
            fixed, dynamic = extension_value(item, url), extension_value(item, FE_DATE_LIMIT[url])
            if isinstance(fixed, str):
                out[key] = fixed[:10]
            elif isinstance(dynamic, dict) and dynamic.get("expression") == "today()":
                out[key] = "today"
