"""Read and check ``prefill:``: how answers to an older form version pre-fill a new one.

Checked here, with the form alone: the source is ``FORM@MAJOR`` or ``FORM@VERSION`` (FE321),
every target is an item, matrix row or card cell of this form (FE322), and every value the
mapping writes is an option of its target (FE323). What needs the older version itself (its
item ids and option values, FE324 and FE325) is checked by the registry once every version is
loaded (:mod:`formengine.definition.crosscheck`).
"""

from __future__ import annotations

import re
from typing import Any

from formengine.definition.builder.references import index_items, option_values_of
from formengine.definition.builder.texts import Checker
from formengine.definition.model import Item, PrefillSource, Section
from formengine.errors.problems import suggest

SOURCE = re.compile(r"^[a-z][a-z0-9-]*@(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*))?$")
PREFILL_KEYS = ("from", "map", "values")
_PATH = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+){0,2}$")


def target_kind(index: dict[str, Item], name: str) -> str | None:
    """What an answer path names: "item", "row" (matrix row), "cell" (card cell), or None."""
    item = index.get(name)
    if item is None:
        return None
    depth = name.count(".")
    if depth == 0:
        return "item"
    if item.type == "matrix" and depth == 1:
        return "row"
    if item.type == "cards" and depth == 2:
        return "cell"
    return None  # a whole card row ("cards.row") or a repeat child is not a target


def build_prefill(
    b: Checker, data: dict[str, Any], sections: tuple[Section, ...]
) -> tuple[PrefillSource, ...]:
    """Read ``prefill:`` (a list of sources) and check it against this form's items."""
    index = index_items(sections)
    out: list[PrefillSource] = []
    for path, entry in b.list_of_maps(data, "prefill"):
        b.keys(entry, path, PREFILL_KEYS, "a prefill source", required=("from", "map"))
        source = entry.get("from")
        if "from" in entry and (not isinstance(source, str) or not SOURCE.match(source)):
            b.error("FE321", path + ("from",), source=source)
            source = None
        mapping = entry.get("map")
        pairs: list[tuple[str, str]] = []
        if mapping is not None and b.mapping(mapping, path + ("map",), "map") is not None:
            for old, new in mapping.items():
                if not isinstance(new, str) or target_kind(index, new) is None:
                    b.error(
                        "FE322",
                        path + ("map", old),
                        target=new,
                        suggestion=suggest(str(new), [k for k in index if target_kind(index, k)]),
                    )
                    continue
                if not isinstance(old, str) or not _PATH.match(old):
                    b.error(
                        "FE324",
                        path + ("map", old),
                        at_key=True,
                        name=old,
                        source=source or "?",
                        suggestion="",
                    )
                    continue
                pairs.append((old, new))
        targets = {new for _, new in pairs}
        values: list[tuple[str, tuple[tuple[str, str | None], ...]]] = []
        raw_values = entry.get("values")
        if raw_values is not None and b.mapping(raw_values, path + ("values",), "values") is not None:
            for target, table in raw_values.items():
                vpath = path + ("values", target)
                if target not in targets:
                    b.error(
                        "FE322", vpath, at_key=True, target=target, suggestion=suggest(str(target), targets)
                    )
                    continue
                if b.mapping(table, vpath, "values") is None:
                    continue
                allowed = option_values_of(index, target)
                translated: list[tuple[str, str | None]] = []
                for old_value, new_value in table.items():
                    new_value = (
                        str(new_value)
                        if isinstance(new_value, int) and not isinstance(new_value, bool)
                        else new_value
                    )
                    if new_value is None:  # said outright: this old answer pre-fills nothing
                        translated.append((str(old_value), None))
                        continue
                    if not isinstance(new_value, str) or new_value not in allowed:
                        b.error(
                            "FE323",
                            vpath + (old_value,),
                            value=new_value,
                            target=target,
                            options=", ".join(allowed),
                        )
                        continue
                    translated.append((str(old_value), new_value))
                values.append((target, tuple(translated)))
        if source:
            out.append(PrefillSource(source, tuple(pairs), tuple(values), b.doc.loc(path)))
    return tuple(out)
