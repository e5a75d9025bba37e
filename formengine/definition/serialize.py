"""Plain-JSON views of a resolved definition (for `show --json`, the API and FHIR export)."""

from __future__ import annotations

from typing import Any

from formengine.definition.model import FormDefinition, Item, Option, Section, Text
from formengine.expressions.parser import Expression


def _text(text: Text, lang: str | None) -> Any:
    if not text:
        return None
    return text.get(lang) if lang else text.as_json()


def _expr(expr: Expression | None) -> str | None:
    return expr.source if expr is not None else None


def _option_json(opt: Option, lang: str | None) -> dict[str, Any]:
    entry: dict[str, Any] = {"value": opt.value, "label": _text(opt.label, lang)}
    if opt.score is not None:
        entry["score"] = opt.score
    if opt.not_applicable:
        entry["not_applicable"] = True
    if opt.exclusive:
        entry["exclusive"] = True
    return entry


def item_json(item: Item, lang: str | None = None) -> dict[str, Any]:
    """Return one item as JSON (children of repeat groups nested)."""
    out: dict[str, Any] = {"id": item.id, "type": item.type, "required": item.required}
    for key in ("label", "help", "text", "constraint_message", "unit", "add_label"):
        value = _text(getattr(item, key), lang)
        if value:
            out[key] = value
    for key in ("required_if", "show_if", "constraint"):
        if getattr(item, key) is not None:
            out[key] = _expr(getattr(item, key))
    if item.options:
        out["options"] = []
        for opt in item.options:
            entry: dict[str, Any] = {"value": opt.value, "label": _text(opt.label, lang)}
            if opt.score is not None:
                entry["score"] = opt.score
            if opt.not_applicable:
                entry["not_applicable"] = True
            if opt.group is not None:
                entry["group"] = opt.group
            if opt.exclusive:
                entry["exclusive"] = True
            out["options"].append(entry)
    if item.groups:
        out["groups"] = [{"id": g.id, "label": _text(g.label, lang)} for g in item.groups]
    if item.rows:
        out["rows"] = [{"id": r.id, "label": _text(r.label, lang)} for r in item.rows]
    if item.rows_from is not None:
        out["rows_from"] = item.rows_from
    if item.columns:
        out["columns"] = [
            {
                "id": c.id,
                "label": _text(c.label, lang),
                **({"help": _text(c.help, lang)} if c.help else {}),
                **({"show_if": _expr(c.show_if)} if c.show_if is not None else {}),
                "options": [_option_json(o, lang) for o in c.options],
            }
            for c in item.columns
        ]
    if item.items:
        out["items"] = [item_json(child, lang) for child in item.items]
    for key in ("min", "max", "max_length", "max_choices"):
        if getattr(item, key) is not None:
            out[key] = getattr(item, key)
    if item.type == "number":
        out["integer"] = item.integer
    if item.conversation_only:
        out["conversation_only"] = "default" if item.conversation_only_default else True
    out["origin"] = item.origin
    return out


def section_json(section: Section, lang: str | None = None) -> dict[str, Any]:
    out = {"id": section.id, "title": _text(section.title, lang)}
    if section.description:
        out["description"] = _text(section.description, lang)
    if section.show_if is not None:
        out["show_if"] = _expr(section.show_if)
    out["origin"] = section.origin
    out["items"] = [item_json(item, lang) for item in section.items]
    return out


def definition_json(defn: FormDefinition, lang: str | None = None) -> dict[str, Any]:
    """Return the resolved definition in the documented `show --json` shape."""
    out = _definition_json(defn, lang)
    for scale, entry in zip(defn.scoring.scales, out["scales"], strict=True):
        if scale.compares_to:
            entry["compares_to"] = scale.compares_to
    for gap, entry in zip(defn.scoring.gaps, out["gaps"], strict=True):
        if gap.cards is not None:
            entry["cards"] = gap.cards
    if defn.prefill:
        out["prefill"] = [
            {"from": p.source, "map": dict(p.map), "values": {k: dict(v) for k, v in p.values}}
            for p in defn.prefill
        ]
    return out


def _definition_json(defn: FormDefinition, lang: str | None) -> dict[str, Any]:
    scoring = defn.scoring
    return {
        "id": defn.id,
        "version": defn.version,
        "status": defn.status,
        "kind": defn.kind,
        "title": _text(defn.title, lang),
        "description": _text(defn.description, lang),
        "languages": list(defn.languages),
        "default_language": defn.default_language,
        "extends": defn.extends,
        "municipality": {"id": defn.municipality.id, "name": defn.municipality.name}
        if defn.municipality
        else None,
        "hash": defn.hash,
        "source": defn.source,
        "sections": [section_json(s, lang) for s in defn.sections],
        "domains": [{"id": d.id, "label": _text(d.label, lang)} for d in defn.domains],
        "scales": [
            {
                "id": s.id,
                "label": _text(s.label, lang),
                "items": list(s.items),
                "method": s.method,
                "domain": s.domain,
                "reverse": list(s.reverse),
                "weights": dict(s.weights),
                "min_answered": s.min_answered,
                "prorate": s.prorate,
                "origin": s.origin,
                "bands": [
                    {
                        "id": b.id,
                        "max": b.max,
                        "label": _text(b.label, lang),
                        "colour": b.colour,
                        "suggest_offers": b.suggest_offers,
                    }
                    for b in s.bands
                ],
            }
            for s in scoring.scales
        ],
        "flags": [
            {
                "id": f.id,
                "when": f.when.source,
                "severity": f.severity,
                "message": _text(f.message, lang),
                "action": _text(f.action, lang),
                "origin": f.origin,
            }
            for f in scoring.flags
        ],
        "priorities": scoring.priorities,
        "gaps": [
            {"id": g.id, "bind": dict(g.bind), "when": g.when.source, "label": _text(g.label, lang)}
            for g in scoring.gaps
        ],
        "offer_triggers": [
            {"when": t.when.source, "domains": list(t.domains)} for t in scoring.offer_triggers
        ],
        "contacts": [
            {
                "id": c.id,
                "name": _text(c.name, lang),
                "phone": c.phone,
                "email": c.email,
                "hours": _text(c.hours, lang),
            }
            for c in defn.contacts
        ],
        "offers": [
            {
                "id": o.id,
                "title": _text(o.title, lang),
                "description": _text(o.description, lang),
                "contact": o.contact,
                "domains": list(o.domains),
                "url": o.url,
            }
            for o in defn.offers
        ],
    }
