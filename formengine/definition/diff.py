"""Compare two form versions and say which semver bump the change needs.

- major: an answer or a score could mean something else (item or option removed, type or
  option value changed, scores or scales changed), or a stored answer could become invalid
  (a limit tightened, an option made ``exclusive``);
- minor: something was added (items, options, sections, flags, offers) or loosened (an
  option no longer ``exclusive``);
- patch: only texts changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from formengine.definition.model import FormDefinition, Item
from formengine.definition.serialize import definition_json

LEVELS = ("none", "patch", "minor", "major")


@dataclass
class Diff:
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (level, kind, description)

    def add(self, level: str, kind: str, text: str) -> None:
        self.changes.append((level, kind, text))

    @property
    def level(self) -> str:
        return max((c[0] for c in self.changes), key=LEVELS.index, default="none")

    def as_json(self) -> dict[str, Any]:
        return {
            "needs": self.level,
            "changes": [{"level": lv, "kind": k, "change": t} for lv, k, t in self.changes],
        }


def diff(old: FormDefinition, new: FormDefinition) -> Diff:
    """Return every difference between two resolved definitions."""
    out = Diff()
    a, b = old.items_by_id, new.items_by_id
    for item_id in a.keys() - b.keys():
        out.add("major", "item removed", item_id)
    for item_id in sorted(b.keys() - a.keys(), key=list(b).index):
        out.add("minor", "item added", f"{item_id} ({b[item_id].type})")
    for item_id in [i for i in b if i in a]:
        _item(out, a[item_id], b[item_id])
    old_sections = [s.id for s in old.sections]
    for section in new.sections:
        if section.id not in old_sections:
            out.add("minor", "section added", section.id)
    for section_id in set(old_sections) - {s.id for s in new.sections}:
        out.add("major", "section removed", section_id)
    _scoring(out, old, new)
    return out


def _item(out: Diff, old: Item, new: Item) -> None:
    if old.type != new.type:
        out.add("major", "type changed", f"{new.id}: {old.type} → {new.type}")
        return
    if old.parent != new.parent:  # into or out of a repeat group: its answers change shape
        out.add("major", "moved", f"{new.id}: repeat group {old.parent or '–'} → {new.parent or '–'}")
    old_opts, new_opts = {o.value: o for o in old.options}, {o.value: o for o in new.options}
    for value in old_opts.keys() - new_opts.keys():
        out.add("major", "option removed", f"{new.id}: {value}")
    for value in [v for v in new_opts if v not in old_opts]:
        out.add("minor", "option added", f"{new.id}: {value}")
    for value in [v for v in new_opts if v in old_opts]:
        before, after = old_opts[value], new_opts[value]
        if before.score != after.score or before.not_applicable != after.not_applicable:
            out.add("major", "score changed", f"{new.id}: {value} {before.score} → {after.score}")
        if before.label != after.label:
            out.add("patch", "text changed", f"{new.id}: option {value}")
        if before.exclusive != after.exclusive:  # made exclusive: a stored mix becomes invalid
            level = "major" if after.exclusive else "minor"
            out.add(level, "exclusive changed", f"{new.id}: {value} {before.exclusive} → {after.exclusive}")
    if [r.id for r in old.rows] != [r.id for r in new.rows] or old.rows_from != new.rows_from:
        out.add("major", "rows changed", new.id)
    _columns(out, old, new)
    if [(g.id, g.label) for g in old.groups] != [(g.id, g.label) for g in new.groups] or [
        o.group for o in old.options
    ] != [o.group for o in new.options]:
        out.add("patch", "option groups changed", new.id)
    for key in ("label", "help", "text", "constraint_message"):
        if getattr(old, key) != getattr(new, key):
            out.add("patch", "text changed", f"{new.id}: {key}")
    for key in ("show_if", "required_if", "constraint"):
        was = getattr(old, key).source if getattr(old, key) is not None else None
        now = getattr(new, key).source if getattr(new, key) is not None else None
        if was != now:
            out.add("minor", "condition changed", f"{new.id}: {key} {was!r} → {now!r}")
    if old.required != new.required:
        out.add("minor" if not new.required else "major", "required changed", f"{new.id}: {new.required}")
    for key in ("min", "max", "max_length", "max_choices", "integer"):
        if getattr(old, key) != getattr(new, key):
            out.add("major", "limit changed", f"{new.id}: {key} {getattr(old, key)} → {getattr(new, key)}")


def _columns(out: Diff, old: Item, new: Item) -> None:
    """A cards item's questions: removed or re-scored is major, added minor, reworded patch."""
    before, after = {c.id: c for c in old.columns}, {c.id: c for c in new.columns}
    for column_id in before.keys() - after.keys():
        out.add("major", "column removed", f"{new.id}.{column_id}")
    for column_id in [c for c in after if c not in before]:
        out.add("minor", "column added", f"{new.id}.{column_id}")
    for column_id in [c for c in after if c in before]:
        a, b = before[column_id], after[column_id]
        where = f"{new.id}.{column_id}"
        old_opts, new_opts = {o.value: o for o in a.options}, {o.value: o for o in b.options}
        for value in old_opts.keys() - new_opts.keys():
            out.add("major", "option removed", f"{where}: {value}")
        for value in [v for v in new_opts if v not in old_opts]:
            out.add("minor", "option added", f"{where}: {value}")
        for value in [v for v in new_opts if v in old_opts]:
            x, y = old_opts[value], new_opts[value]
            if x.score != y.score or x.not_applicable != y.not_applicable:
                out.add("major", "score changed", f"{where}: {value} {x.score} → {y.score}")
            if x.label != y.label:
                out.add("patch", "text changed", f"{where}: option {value}")
        if (a.label, a.help) != (b.label, b.help):
            out.add("patch", "text changed", f"{where}: label")
        was, now = (c.show_if.source if c.show_if is not None else None for c in (a, b))
        if was != now:  # which cards ask the column: like an item's show_if
            out.add("minor", "condition changed", f"{where}: show_if {was!r} → {now!r}")


def _scoring(out: Diff, old: FormDefinition, new: FormDefinition) -> None:
    a, b = definition_json(old), definition_json(new)
    for key in ("scales", "gaps"):
        before, after = {s["id"]: s for s in a[key]}, {s["id"]: s for s in b[key]}
        for ident in before.keys() - after.keys():
            out.add("major", f"{key[:-1]} removed", ident)
        for ident in after.keys() - before.keys():
            out.add("minor", f"{key[:-1]} added", ident)
        for ident in before.keys() & after.keys():
            x = {k: v for k, v in before[ident].items() if k not in ("label", "origin")}
            y = {k: v for k, v in after[ident].items() if k not in ("label", "origin")}
            if key == "scales":
                _strip_band_labels(x)
                _strip_band_labels(y)
            if x != y:
                out.add("major", f"{key[:-1]} changed", ident)
            elif before[ident]["label"] != after[ident]["label"]:
                out.add("patch", "text changed", f"{key[:-1]} {ident}")
    flags_a, flags_b = {f["id"]: f for f in a["flags"]}, {f["id"]: f for f in b["flags"]}
    for ident in flags_b.keys() - flags_a.keys():
        out.add("minor", "flag added", ident)
    for ident in flags_a.keys() - flags_b.keys():
        out.add("minor", "flag removed", ident)
    for ident in flags_a.keys() & flags_b.keys():
        if (flags_a[ident]["when"], flags_a[ident]["severity"]) != (
            flags_b[ident]["when"],
            flags_b[ident]["severity"],
        ):
            out.add("minor", "flag changed", ident)
    if a["priorities"] != b["priorities"]:
        out.add("major", "priorities changed", f"{a['priorities']} → {b['priorities']}")
    offers_a, offers_b = {o["id"] for o in a["offers"]}, {o["id"] for o in b["offers"]}
    for ident in offers_b - offers_a:
        out.add("minor", "offer added", ident)
    for ident in offers_a - offers_b:
        out.add("minor", "offer removed", ident)


def _strip_band_labels(scale: dict[str, Any]) -> None:
    scale["bands"] = [{k: v for k, v in band.items() if k != "label"} for band in scale["bands"]]
