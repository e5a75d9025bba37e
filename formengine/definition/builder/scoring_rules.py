"""Validate the `scoring:` block and every expression's references, once all items are known."""
from __future__ import annotations

from typing import TYPE_CHECKING

from formengine.definition.model import Band, Flag, Gap, Item, OfferTrigger, Scale, Scoring, Section
from formengine.errors.problems import suggest
from formengine.definition.item_types import SCORABLE_TYPES

if TYPE_CHECKING:  # pragma: no cover
    from formengine.definition.builder.validation import Builder

SCORING_KEYS = ("scales", "flags", "priorities", "gaps", "offer_triggers")
SCALE_KEYS = ("id", "label", "domain", "items", "method", "reverse", "weights", "min_answered", "prorate", "bands")
BAND_KEYS = ("id", "label", "max", "colour", "suggest_offers")
SEVERITIES = ("high", "medium", "info")


def index_items(sections: tuple[Section, ...]) -> dict[str, Item]:
    """Map every item id (repeat children too) and every matrix row ``m.r`` to its item."""
    out: dict[str, Item] = {}
    for section in sections:
        for item in section.items:
            for each in (item, *item.items):
                out[each.id] = each
                for row in each.rows:
                    out[f"{each.id}.{row.id}"] = each
    return out


def build_scoring(b: "Builder", data: dict, sections: tuple[Section, ...]) -> Scoring:
    """Read and check the scoring block."""
    b.items_index = index_items(sections)
    b.scale_ids = set()
    raw = data.get("scoring")
    if raw is None or b.mapping(raw, ("scoring",), "scoring") is None:
        return Scoring()
    path = ("scoring",)
    b.keys(raw, path, SCORING_KEYS, "scoring")
    scales = tuple(s for p, e in b._list_of_maps(raw, "scales", path) if (s := _scale(b, e, p)))
    flags = tuple(f for p, e in b._list_of_maps(raw, "flags", path) if (f := _flag(b, e, p)))
    gaps = tuple(g for p, e in b._list_of_maps(raw, "gaps", path) if (g := _gap(b, e, p)))
    triggers = []
    for tpath, entry in b._list_of_maps(raw, "offer_triggers", path):
        b.keys(entry, tpath, ("when", "domains"), "an offer trigger", required=("when", "domains"))
        when = b.expression(entry, "when", tpath, "scoring")
        domains = b.domain_list(entry.get("domains") or [], tpath + ("domains",))
        if when is not None:
            triggers.append(OfferTrigger(when, domains))
    priorities = raw.get("priorities")
    if priorities is not None:
        item = b.items_index.get(priorities) if isinstance(priorities, str) else None
        if item is None or item.type != "priority":
            b.error("FE406", path + ("priorities",), item=priorities)
            priorities = None
    return Scoring(scales, flags, priorities, gaps, tuple(triggers))


def _scale(b: "Builder", entry: dict, path: tuple) -> Scale | None:
    b.keys(entry, path, SCALE_KEYS, "a scale", required=("id", "label", "items"))
    ident = b.ident(entry.get("id"), path + ("id",)) if "id" in entry else None
    if ident in b.scale_ids:
        b.error("FE105", path + ("id",), id=ident, first_line=b.doc.loc(path).line)
    b.scale_ids.add(ident)
    items = _scale_items(b, entry.get("items") or [], path + ("items",))
    method = entry.get("method", "sum")
    if method not in ("sum", "mean"):
        b.error("FE103", path + ("method",), key="method", expected="sum or mean", actual=method)
    domain = entry.get("domain")
    if domain is not None and domain not in b.domain_ids:
        b.error("FE129", path + ("domain",), domain=domain, suggestion=suggest(str(domain), b.domain_ids))
    reverse = entry.get("reverse") or []
    weights = entry.get("weights") or {}
    if b.sequence(reverse, path + ("reverse",), "reverse") is None:
        reverse = []
    if b.mapping(weights, path + ("weights",), "weights") is None:
        weights = {}
    for i, name in enumerate(reverse):
        if name not in items:
            b.error("FE408", path + ("reverse", i), name=name)
    for name, weight in weights.items():
        if name not in items:
            b.error("FE408", path + ("weights", name), at_key=True, name=name)
        if b.typed(weight, path + ("weights", name), (int, float), "a number", "weight"):
            b.in_range(weight, path + ("weights", name), "weight")
    min_answered = entry.get("min_answered", 1)
    if isinstance(min_answered, bool) or not isinstance(min_answered, (int, float)) or min_answered <= 0 \
            or (isinstance(min_answered, float) and min_answered > 1):
        b.error("FE404", path + ("min_answered",))
        min_answered = 1
    bands = _bands(b, entry, path)
    if b.has_errors or not ident:
        return None
    return Scale(ident, b.text(entry, "label", path, f"scale '{ident}'", True), items, method, domain,
                 tuple(reverse), tuple((k, float(v)) for k, v in weights.items()), min_answered,
                 b.boolean(entry, "prorate", path), bands, b.origin(path))


def _scale_items(b: "Builder", value, path: tuple) -> tuple[str, ...]:
    if b.sequence(value, path, "items") is None:
        return ()
    out: list[str] = []
    for i, name in enumerate(value):
        item = b.items_index.get(name) if isinstance(name, str) else None
        if item is None:
            b.error("FE401", path + (i,), item=name)
            continue
        if item.type not in SCORABLE_TYPES or not item.scored:
            b.error("FE402", path + (i,), item=name, type=item.type)
            continue
        if item.type == "matrix" and "." not in name:
            out.extend(f"{name}.{row.id}" for row in item.rows)  # a whole matrix: every row
        else:
            out.append(name)
    return tuple(out)


def _bands(b: "Builder", entry: dict, path: tuple) -> tuple[Band, ...]:
    out: list[Band] = []
    listed = b._list_of_maps(entry, "bands", path)
    last_max = None
    for i, (bpath, band) in enumerate(listed):
        b.keys(band, bpath, BAND_KEYS, "a band", required=("id", "label"))
        ident = b.ident(band.get("id"), bpath + ("id",)) if "id" in band else None
        upper = b.number(band, "max", bpath)
        is_last = i == len(listed) - 1
        if (upper is None) != is_last:
            b.error("FE407", bpath)
        if upper is not None and last_max is not None and upper <= last_max:
            b.error("FE403", bpath + ("max",), band=ident)
        last_max = upper if upper is not None else last_max
        colour = band.get("colour", f"neutral-{min(i + 1, 5)}")
        out.append(Band(ident or "", b.text(band, "label", bpath, f"band '{ident}'", True), upper, str(colour),
                        b.boolean(band, "suggest_offers", bpath)))
    return tuple(out)


def _flag(b: "Builder", entry: dict, path: tuple) -> Flag | None:
    b.keys(entry, path, ("id", "when", "severity", "message", "action"), "a flag",
           required=("id", "when", "severity", "message"))
    ident = b.ident(entry.get("id"), path + ("id",)) if "id" in entry else None
    severity = entry.get("severity", "info")
    if severity not in SEVERITIES:
        b.error("FE103", path + ("severity",), key="severity", expected="high, medium or info", actual=severity)
    when = b.expression(entry, "when", path, "scoring")
    message = b.text(entry, "message", path, f"flag '{ident}'", True)
    action = b.text(entry, "action", path, f"flag '{ident}'")
    if not ident or when is None:
        return None
    return Flag(ident, when, severity, message, action, b.origin(path))


def _gap(b: "Builder", entry: dict, path: tuple) -> Gap | None:
    b.keys(entry, path, ("id", "rows", "bind", "when", "label"), "a gap", required=("id", "bind", "when", "label"))
    ident = b.ident(entry.get("id"), path + ("id",)) if "id" in entry else None
    bind = entry.get("bind") or {}
    if b.mapping(bind, path + ("bind",), "bind") is None:
        bind = {}
    rows = None
    for name, matrix_id in bind.items():
        item = b.items_index.get(matrix_id) if isinstance(matrix_id, str) else None
        if item is None or item.type != "matrix":
            b.error("FE401", path + ("bind", name), item=matrix_id)
            continue
        these = tuple(r.id for r in item.rows)
        if rows is not None and these != rows[1]:
            b.error("FE405", path + ("bind", name), a=rows[0], b=matrix_id)
        rows = rows or (matrix_id, these)
    when = b.expression(entry, "when", path, "gap", names=frozenset(bind))
    label = b.text(entry, "label", path, f"gap '{ident}'", True)
    if not ident or when is None:
        return None
    return Gap(ident, tuple((str(k), str(v)) for k, v in bind.items()), when, label, b.origin(path))


def check_expressions(b: "Builder", sections: tuple[Section, ...]) -> None:
    """Check every expression's references against the form's items, rows and scales."""
    index = getattr(b, "items_index", None) or index_items(sections)
    answerable = {name for name, item in index.items() if item.type != "note"}
    scales = {f"score.{s}" for s in getattr(b, "scale_ids", set()) if s}
    for pending in b.expressions:
        known = set(answerable) | set(pending.names)
        if pending.context in ("scoring", "gap"):
            known |= scales
        for ref in pending.expr.references():
            if ref.name == "value":
                if pending.context != "constraint":
                    b.problems.append(_problem(b, "FE206", pending, ref.offset, {}))
                continue
            if ref.name not in known:
                b.problems.append(_problem(b, "FE202", pending, ref.offset,
                                           {"name": ref.name, "suggestion": suggest(ref.name, known)}))
            elif pending.context == "show_if" and ref.name == pending.owner:
                b.problems.append(_problem(b, "FE205", pending, ref.offset, {"name": ref.name}))
        for offset in pending.expr.zero_divisions():
            b.problems.append(_problem(b, "FE208", pending, offset, {}))
        for ref, literal in pending.expr.literal_comparisons():
            item = index.get(ref.name)
            if item is None or not item.options or not isinstance(literal, str):
                continue
            if literal not in item.option_values:
                b.problems.append(_problem(b, "FE204", pending, ref.offset, {
                    "value": literal, "item": ref.name, "options": ", ".join(item.option_values)}))


def check_show_if_cycles(b: "Builder", sections: tuple[Section, ...]) -> None:
    """FE207 for show_if conditions that depend on each other in a circle (none of them can ever
    be shown). An item in a section with a show_if depends on that section's condition too."""
    edges: dict[str, list[tuple[str, object, int]]] = {}
    for pending in b.expressions:
        if pending.context == "show_if" and pending.owner:
            for ref in pending.expr.references():
                if ref.name != pending.owner:
                    edges.setdefault(pending.owner, []).append((ref.name, pending, ref.offset))
    for section in sections:
        if section.show_if is not None and section.id:
            for item in section.items:
                edges.setdefault(item.id, []).append((section.id, None, 0))
    reported: set[frozenset] = set()
    for start in sorted(edges):
        cycle = _cycle_from(start, edges)
        if cycle is None or frozenset(cycle) in reported:
            continue
        reported.add(frozenset(cycle))
        first = next(((p, o) for name in cycle for (to, p, o) in edges.get(name, ())
                      if p is not None and to in cycle), None)
        if first is not None:
            b.problems.append(_problem(b, "FE207", first[0], first[1], {"cycle": " → ".join(cycle + [cycle[0]])}))


def _cycle_from(start: str, edges: dict) -> list[str] | None:
    """The names on a circle through ``start`` (depth-first, iterative), or None."""
    stack = [(start, [start])]
    seen: set[str] = set()
    while stack:
        node, trail = stack.pop()
        for target, _pending, _offset in edges.get(node, ()):
            if target == start:
                return trail
            if target not in seen:
                seen.add(target)
                stack.append((target, trail + [target]))
    return None


def _problem(b: "Builder", code: str, pending, offset: int, args: dict):
    from formengine.errors.problems import Problem
    return Problem(code, b.expr_loc(pending.path, offset), args)
