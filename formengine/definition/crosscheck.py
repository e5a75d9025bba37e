"""Checks across form versions, run by the registry once every version is loaded.

- ``prefill:`` (FE324, FE325): every old answer path exists in at least one loaded version the
  source names, and every option value it can hold becomes an option of the new target (after
  ``values:``); a value with no counterpart is a warning (an error with ``--strict``): that
  answer is simply not pre-filled.
- ``compares_to`` (FE326): the named form version and scale exist, and the two scales have the
  same number of items and the same score range, so a follow-up never compares one item with a
  four-item mean under the same name.

Sources that are not loaded (another folder, an archive) are not checked here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from formengine.definition.model import FormDefinition, Option, PrefillSource, Scale
from formengine.errors.problems import ERROR, WARNING, Location, Problem, suggest

if TYPE_CHECKING:  # pragma: no cover
    from formengine.definition.loader import Document


def source_options(defn: FormDefinition, path: str) -> tuple[Option, ...] | None:
    """The options of an old answer path (item or ``matrix.row``); None if the path is not in ``defn``."""
    head, _, row = path.partition(".")
    item = defn.items_by_id.get(head)
    if item is None or (row and item.row(row) is None) or path.count(".") > 1:
        return None
    return item.options


def source_paths(defn: FormDefinition) -> list[str]:
    """Every answer path of a form version (for suggestions)."""
    return [p for item in defn.iter_items() for p in (item.id, *(f"{item.id}.{r.id}" for r in item.rows))]


def scale_range(defn: FormDefinition, scale: Scale) -> tuple[float, float]:
    """The lowest and highest value a scale can take, from its items' option scores and weights."""
    weights = dict(scale.weights)
    lows, highs = [], []
    for name in scale.items:
        scores = [o.score for o in defn.options_at(name) if o.score is not None and not o.not_applicable]
        if scores:
            w = weights.get(name, 1.0)
            lows.append(min(scores) * w)
            highs.append(max(scores) * w)
    if not lows:
        return 0.0, 0.0
    if scale.method == "mean":
        return min(lows), max(highs)
    return sum(lows), sum(highs)


class FormRegistry(Protocol):
    """What the cross-version checks read from :class:`formengine.definition.registry.FormRegistry`."""

    definitions: dict[tuple[str, str], FormDefinition]
    documents: dict[tuple[str, str], Document]
    problems: list[Problem]


def check_registry(registry: FormRegistry, strict: bool = False) -> None:
    """Add the cross-version problems of every loaded core form version to ``registry.problems``."""
    for key, defn in sorted(registry.definitions.items()):
        doc = registry.documents.get(key)
        if doc is None or defn.extends is not None:
            continue  # a variant inherits (and was checked with) its base's mapping and scales
        for index, source in enumerate(defn.prefill):
            _check_prefill(registry, defn, doc, index, source, strict)
        for index, scale in enumerate(defn.scoring.scales):
            if scale.compares_to:
                _check_compares(registry, defn, doc, index, scale)


def _prefill_index(doc: Document, source: PrefillSource, fallback: int) -> int:
    entries = (doc.data or {}).get("prefill") or []
    for i, entry in enumerate(entries):
        if isinstance(entry, dict) and entry.get("from") == source.source:
            return i
    return fallback


def _check_prefill(
    registry: FormRegistry,
    defn: FormDefinition,
    doc: Document,
    index: int,
    source: PrefillSource,
    strict: bool,
) -> None:
    versions = [d for (form, version), d in registry.definitions.items() if source.matches(form, version)]
    if not versions:
        return
    at = ("prefill", _prefill_index(doc, source, index), "map")
    severity = ERROR if strict else WARNING
    for old, new in source.map:
        found = [opts for d in versions if (opts := source_options(d, old)) is not None]
        if not found:
            names = {p for d in versions for p in source_paths(d)}
            registry.problems.append(
                Problem(
                    "FE324",
                    doc.key_loc(at + (old,)),
                    {"name": old, "source": source.source, "suggestion": suggest(old, names)},
                )
            )
            continue
        target = defn.options_at(new)
        if not target:
            continue  # a text or number target: the answer is copied as it is
        table = source.value_map(new) or {}
        allowed = {o.value for o in target}
        allowed_or_dropped = allowed | {None}  # null in values: said outright that it pre-fills nothing
        missing = sorted(
            {o.value for opts in found for o in opts if table.get(o.value, o.value) not in allowed_or_dropped}
        )
        for value in missing:
            registry.problems.append(
                Problem(
                    "FE325",
                    doc.loc(at + (old,)),
                    {"value": value, "source": source.source, "name": old, "target": new},
                    severity,
                )
            )


def _check_compares(
    registry: FormRegistry, defn: FormDefinition, doc: Document, index: int, scale: Scale
) -> None:
    ref = scale.compares_to or ""
    form_version, _, scale_id = ref.partition("#")
    form_id, _, version = form_version.partition("@")
    where: Location = doc.loc(("scoring", "scales", index, "compares_to"))
    other = registry.definitions.get((form_id, version))
    reason = None
    if other is None:
        reason = "that form version is not loaded"
    else:
        target = next((s for s in other.scoring.scales if s.id == scale_id), None)
        if target is None:
            names = [s.id for s in other.scoring.scales]
            reason = f"{form_version} has no scale '{scale_id}'{suggest(scale_id, names)}"
        elif len(target.items) != len(scale.items):
            reason = f"it has {len(target.items)} item(s), this scale {len(scale.items)}"
        elif scale_range(other, target) != scale_range(defn, scale) or target.method != scale.method:
            low, high = scale_range(other, target)
            mine = scale_range(defn, scale)
            reason = (
                f"its scores run {low:g}–{high:g} ({target.method}), "
                f"this scale's {mine[0]:g}–{mine[1]:g} ({scale.method})"
            )
    if reason:
        registry.problems.append(Problem("FE326", where, {"target": ref, "reason": reason}))
