"""Municipal variants: apply a variant's overlay to a copy of its national base form.

The merge works on located data (before validation), so the merged document is then
validated like any other form and every problem points at the file and line it came from —
the base for inherited parts, the variant for what it adds or replaces.
"""

from __future__ import annotations

from typing import Any

from formengine.definition.loader import Document
from formengine.errors.problems import Location, Problem, suggest
from formengine.expressions.parser import parse
from formengine.expressions.tokens import ExpressionSyntaxError

OPS = ("add_items", "add_section", "set_text", "hide")
TEXT_KEYS = ("label", "title", "help", "description", "text")
REPLACED_KEYS = (  # a variant's value replaces the base's
    "id",
    "version",
    "status",
    "kind",
    "title",
    "description",
    "extends",
    "municipality",
    "languages",
    "default_language",
)
VARIANT_KEYS = (
    *REPLACED_KEYS,
    "contacts",
    "offers",
    "domains",
    "option_sets",
    "scoring",
    "changes",
    "sections",
)


class _Merge:
    def __init__(self, base: Document, variant: Document):
        self.base, self.variant = base, variant
        self.origin: dict[int, tuple[Document, tuple[Any, ...]]] = {}
        self.forced: dict[tuple[int, Any], tuple[Document, tuple[Any, ...]]] = {}
        self.problems: list[Problem] = []

    def clone(self, obj: Any, doc: Document, path: tuple[Any, ...]) -> Any:
        """Deep-copy located data, remembering where every container came from."""
        out: dict[Any, Any] | list[Any]
        if isinstance(obj, dict):
            out = {k: self.clone(v, doc, path + (k,)) for k, v in obj.items()}
        elif isinstance(obj, list):
            out = [self.clone(v, doc, path + (i,)) for i, v in enumerate(obj)]
        else:
            return obj
        self.origin[id(out)] = (doc, path)
        return out

    def put(self, parent: dict[str, Any], key: Any, value: Any, doc: Document, path: tuple[Any, ...]) -> None:
        parent[key] = self.clone(value, doc, path)
        self.forced[(id(parent), key)] = (doc, path)

    def error(self, code: str, path: tuple[Any, ...], at_key: bool = False, **args: object) -> None:
        loc = self.variant.key_loc(path) if at_key else self.variant.loc(path)
        self.problems.append(Problem(code, loc, args))

    def relocate(self, data: Any) -> Document:
        """Build the merged document's location map by walking the merged data."""
        merged = Document(file=self.variant.file, data=data, text=self.variant.text)
        merged.values[()] = self.variant.loc(())
        self._walk(merged, data, ())
        return merged

    def _walk(self, merged: Document, node: Any, path: tuple[Any, ...]) -> None:
        if not isinstance(node, (dict, list)):
            return
        origin: tuple[Document | None, tuple[Any, ...] | None] = self.origin.get(id(node), (None, None))
        doc, opath = origin
        children = node.items() if isinstance(node, dict) else enumerate(node)
        src: Document | None
        spath: tuple[Any, ...] | None
        for key, child in children:
            # A moved or inserted container knows its own origin; a replaced scalar is forced.
            if isinstance(child, (dict, list)) and id(child) in self.origin:
                src, spath = self.origin[id(child)]
            else:
                forced = self.forced.get((id(node), key))
                src, spath = (
                    forced
                    if forced is not None
                    else (doc, opath + (key,) if doc and opath is not None else None)
                )
            if src is not None:
                if spath in src.values:
                    merged.values[path + (key,)] = src.values[spath]
                if spath in src.keys:
                    merged.keys[path + (key,)] = src.keys[spath]
            self._walk(merged, child, path + (key,))


def resolve(variant: Document, base: Document) -> tuple[Document, list[Problem]]:
    """Return the merged document for ``variant`` over ``base`` and the overlay problems."""
    m = _Merge(base, variant)
    data = m.clone(base.data, base, ())
    vdata = variant.data
    for key, value in vdata.items():
        if key not in VARIANT_KEYS:
            m.error(
                "FE102",
                (key,),
                at_key=True,
                key=key,
                where="a variant",
                suggestion=suggest(key, VARIANT_KEYS),
            )
        elif key in REPLACED_KEYS:
            m.put(data, key, value, variant, (key,))
    if "sections" in vdata:
        m.error(
            "FE302",
            ("sections",),
            at_key=True,
            target=vdata.get("extends"),
            reason="a variant cannot redefine the sections; use 'changes'",
        )
    for key in ("contacts", "offers", "domains"):
        if isinstance(vdata.get(key), list):
            data.setdefault(key, [])
            m.origin.setdefault(id(data[key]), (variant, (key,)))
            data[key].extend(m.clone(entry, variant, (key, i)) for i, entry in enumerate(vdata[key]))
    _option_sets(m, data, vdata)
    _scoring(m, data, vdata)
    used = scored_items(base.data)
    changes = vdata.get("changes") or []
    if not isinstance(changes, list):
        m.error("FE103", ("changes",), key="changes", expected="a list", actual=type(changes).__name__)
        changes = []
    for i, op in enumerate(changes):
        if isinstance(op, dict):
            _apply(m, data, op, ("changes", i), used)
        else:
            m.error(
                "FE103", ("changes", i), key="changes", expected="a mapping (op: …)", actual=type(op).__name__
            )
    return m.relocate(data), m.problems


def _option_sets(m: _Merge, data: dict[str, Any], vdata: dict[str, Any]) -> None:
    sets = vdata.get("option_sets")
    if not isinstance(sets, dict):
        return
    data.setdefault("option_sets", {})
    m.origin.setdefault(id(data["option_sets"]), (m.variant, ("option_sets",)))
    for name, value in sets.items():
        if name in data["option_sets"]:
            m.error(
                "FE305", ("option_sets", name), at_key=True, reason=f"option set '{name}' belongs to the core"
            )
        else:
            m.put(data["option_sets"], name, value, m.variant, ("option_sets", name))


def _scoring(m: _Merge, data: dict[str, Any], vdata: dict[str, Any]) -> None:
    extra = vdata.get("scoring")
    if not isinstance(extra, dict):
        return
    scoring = data.setdefault("scoring", {})
    m.origin.setdefault(id(scoring), (m.variant, ("scoring",)))
    core_items = set(_item_ids(m.base.data))
    for key, value in extra.items():
        if key not in ("scales", "flags", "offer_triggers", "gaps"):
            m.error("FE305", ("scoring", key), at_key=True, reason=f"'{key}' belongs to the core")
            continue
        if not isinstance(value, list):
            continue
        existing = scoring.setdefault(key, [])
        m.origin.setdefault(id(existing), (m.variant, ("scoring", key)))
        taken = {e.get("id") for e in existing if isinstance(e, dict) and e.get("id") is not None}
        for i, entry in enumerate(value):
            path = ("scoring", key, i)
            if isinstance(entry, dict) and entry.get("id") is not None and entry.get("id") in taken:
                m.error("FE305", path + ("id",), reason=f"'{entry.get('id')}' is a core {key[:-1]}")
                continue
            if key == "scales" and isinstance(entry, dict):
                core = [x for x in entry.get("items") or [] if str(x).split(".")[0] in core_items]
                if core:
                    m.error(
                        "FE305", path + ("items",), reason=f"a local scale may not score core items {core}"
                    )
                    continue
            existing.append(m.clone(entry, m.variant, path))


def _apply(
    m: _Merge, data: dict[str, Any], op: dict[str, Any], path: tuple[Any, ...], used: set[str]
) -> None:
    name = op.get("op")
    if name not in OPS:
        m.error("FE307", path + ("op",) if "op" in op else path, op=name, suggestion=suggest(str(name), OPS))
        return
    allowed = {
        "add_items": ("op", "after", "before", "items"),
        "add_section": ("op", "after", "before", "section"),
        "set_text": ("op", "target", "column", "option", "row") + TEXT_KEYS,
        "hide": ("op", "target"),
    }[name]
    for key in op:
        if key not in allowed:
            m.error(
                "FE102",
                path + (key,),
                at_key=True,
                key=key,
                where=f"a '{name}' change",
                suggestion=suggest(key, allowed),
            )
    if name in ("add_items", "add_section"):
        _insert(m, data, op, path, name)
    elif name == "set_text":
        _set_text(m, data, op, path)
    else:
        _hide(m, data, op, path, used)


def _insert(m: _Merge, data: dict[str, Any], op: dict[str, Any], path: tuple[Any, ...], name: str) -> None:
    if ("after" in op) == ("before" in op):
        m.error("FE308", path)
        return
    where = "after" if "after" in op else "before"
    target = op[where]
    sections = data.get("sections") or []
    if name == "add_section":
        index = next(
            (i for i, s in enumerate(sections) if isinstance(s, dict) and s.get("id") == target), None
        )
        if index is None or not isinstance(op.get("section"), dict):
            m.error(
                "FE303", path + (where,), target=target, suggestion=suggest(str(target), _section_ids(data))
            )
            if index is None and isinstance(op.get("section"), dict):  # validate it anyway, at the end
                sections.append(m.clone(op["section"], m.variant, path + ("section",)))
            return
        sections.insert(index + (where == "after"), m.clone(op["section"], m.variant, path + ("section",)))
        return
    found = _find_item(data, target)
    if found is None or not isinstance(op.get("items"), list):
        m.error("FE303", path + (where,), target=target, suggestion=suggest(str(target), _item_ids(data)))
        if found is None and isinstance(op.get("items"), list) and sections:
            # still validate the new items (at the end), so their own problems show in this run
            last = sections[-1].get("items") if isinstance(sections[-1], dict) else None
            if isinstance(last, list):
                last.extend(m.clone(e, m.variant, path + ("items", i)) for i, e in enumerate(op["items"]))
        return
    items, index = found
    at = index + (where == "after")
    items[at:at] = [m.clone(entry, m.variant, path + ("items", i)) for i, entry in enumerate(op["items"])]


def _set_text(m: _Merge, data: dict[str, Any], op: dict[str, Any], path: tuple[Any, ...]) -> None:
    target = op.get("target")
    found = _find_item(data, target)
    node: Any = (
        found[0][found[1]]
        if found
        else next(
            (s for s in data.get("sections") or [] if isinstance(s, dict) and s.get("id") == target), None
        )
    )
    if node is None:
        m.error(
            "FE303",
            path + ("target",),
            target=target,
            suggestion=suggest(str(target), _item_ids(data) + _section_ids(data)),
        )
        return
    for sub in ("column", "option", "row"):  # a card question first: its option is then the column's
        if sub in op:
            pool = node.get({"option": "options", "row": "rows", "column": "columns"}[sub])
            if isinstance(pool, str):  # a shared option set: copy it onto this item first
                pool = m.clone(
                    data.get("option_sets", {}).get(pool, []), *m.origin[id(data["option_sets"][pool])]
                )
                node["options"] = pool
            match = next(
                (
                    e
                    for e in pool or []
                    if isinstance(e, dict)
                    and str(e.get("value" if sub == "option" else "id")) == str(op[sub])
                ),
                None,
            )
            if match is None and sub == "row" and isinstance(node, dict) and node.get("rows_from"):
                m.error(
                    "FE303",
                    path + (sub,),
                    target=f"{target}/{op[sub]}",
                    suggestion=f" (the cards come from '{node['rows_from']}': rename its option instead)",
                )
                return
            if match is None:
                m.error("FE303", path + (sub,), target=f"{target}/{op[sub]}", suggestion="")
                return
            node = match
    for key in TEXT_KEYS:
        if key in op:
            m.put(node, key, op[key], m.variant, path + (key,))


def _hide(m: _Merge, data: dict[str, Any], op: dict[str, Any], path: tuple[Any, ...], used: set[str]) -> None:
    target = op.get("target")
    found = _find_item(data, target)
    if found is None:
        m.error("FE303", path + ("target",), target=target, suggestion=suggest(str(target), _item_ids(data)))
        return
    items, index = found
    item = items[index]
    if item.get("required") is True or item.get("required_if"):
        m.error("FE304", path + ("target",), target=target, reason="it is required")
    elif target in used:
        m.error("FE304", path + ("target",), target=target, reason="it is used in the national scoring")
    else:
        del items[index]


def _find_item(data: dict[str, Any], target: object) -> tuple[list[Any], int] | None:
    """The list holding item ``target`` and its position, at any depth (groups, repeat groups)."""

    def search(items: list[Any]) -> tuple[list[Any], int] | None:
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                continue
            if item.get("id") == target:
                return items, i
            inner = item.get("items")
            found = search(inner) if isinstance(inner, list) else None
            if found is not None:
                return found
        return None

    for section in data.get("sections") or []:
        items = section.get("items") if isinstance(section, dict) else None
        found = search(items) if isinstance(items, list) else None
        if found is not None:
            return found
    return None


def _item_ids(data: dict[str, Any]) -> list[str]:
    out: list[str] = []

    def collect(items: Any) -> None:
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                out.append(item["id"])
                collect(item.get("items"))

    for section in data.get("sections") or []:
        collect(section.get("items") if isinstance(section, dict) else None)
    return out


def _section_ids(data: dict[str, Any]) -> list[str]:
    return [s["id"] for s in data.get("sections") or [] if isinstance(s, dict) and s.get("id")]


def scored_items(data: dict[str, Any]) -> set[str]:
    """Return the ids of items that the base's scoring uses (scales, flags, gaps, priorities)."""
    scoring = data.get("scoring") if isinstance(data, dict) else None
    if not isinstance(scoring, dict):
        return set()
    used: set[str] = set()
    for scale in scoring.get("scales") or []:
        used.update(str(name).split(".")[0].removesuffix("[*]") for name in (scale or {}).get("items") or [])
    for gap in scoring.get("gaps") or []:
        used.update(str(v) for v in ((gap or {}).get("bind") or {}).values())
        if (gap or {}).get("cards"):
            used.add(str(gap["cards"]))
    if isinstance(scoring.get("priorities"), str):
        used.add(scoring["priorities"])
    for entry in (scoring.get("flags") or []) + (scoring.get("offer_triggers") or []):
        try:
            used.update(
                ref.name.split(".")[0] for ref in parse(str((entry or {}).get("when", ""))).references()
            )
        except ExpressionSyntaxError:
            continue
    for section in data.get("sections") or []:  # the checklist a scored cards item takes its rows from
        for item in (section.get("items") or []) if isinstance(section, dict) else []:
            if isinstance(item, dict) and item.get("id") in used and item.get("rows_from"):
                used.add(str(item["rows_from"]))
    return used


def variant_location(doc: Document) -> Location:
    return doc.loc(("extends",))
