"""Which scales of two answer sets may be compared (a follow-up with its assessment, a re-assessment).

Only like with like: within one form lineage and major version (a municipal variant shares its
core's), scales with the same id; across forms or major versions, only the pairs a scale declares
with ``compares_to: FORM@VERSION#SCALE`` (checked at load, FE326: same item count, method and
score range). A scale that declares nothing is never compared under the same name with a scale
of another form or major version.
"""

from __future__ import annotations

from formengine.definition.model import FormDefinition


def _lineage(defn: FormDefinition) -> tuple[str, str, str]:
    """(form id, version, major) of the core form a definition is, or extends."""
    form, _, version = (defn.extends or defn.key).partition("@")
    return form, version, version.split(".")[0]


def _targets(defn: FormDefinition) -> set[str]:
    """The ``FORM@VERSION`` names a ``compares_to`` may use for ``defn`` (itself, or the core it extends)."""
    return {defn.key} | ({defn.extends} if defn.extends else set())


def comparable_scales(current: FormDefinition, previous: FormDefinition) -> dict[str, str]:
    """Map each scale id of ``current`` to the scale id of ``previous`` it may be compared with."""
    before = {s.id for s in previous.scoring.scales}
    now_form, _, now_major = _lineage(current)
    then_form, _, then_major = _lineage(previous)
    if (now_form, now_major) == (then_form, then_major):
        return {s.id: s.id for s in current.scoring.scales if s.id in before}
    pairs: dict[str, str] = {}
    then_names, now_names = _targets(previous), _targets(current)
    for scale in current.scoring.scales:
        target, _, other = (scale.compares_to or "").partition("#")
        if target in then_names and other in before:
            pairs[scale.id] = other
    now_ids = {s.id for s in current.scoring.scales}
    for scale in previous.scoring.scales:  # e.g. an assessment after a follow-up that declared the pair
        target, _, other = (scale.compares_to or "").partition("#")
        if target in now_names and other in now_ids:
            pairs.setdefault(other, scale.id)
    return pairs
