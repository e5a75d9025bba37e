"""``show_if`` conditions that depend on each other in a circle (FE207): none of them can ever be shown.

An item depends on the items its ``show_if`` refers to, and on its section's ``show_if``; a
section depends on the items its ``show_if`` refers to. A circle in that graph is refused, once,
at the first condition in it that names the next member.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from formengine.definition.model import Section, walk
from formengine.errors.problems import Problem

if TYPE_CHECKING:
    from formengine.definition.builder.references import PendingExpression

Edge = tuple[str, "PendingExpression | None", int]  # (depends on, the condition that says so, offset)


def check_show_if_cycles(
    expressions: Iterable[PendingExpression],
    sections: tuple[Section, ...],
    expr_loc: Callable[[tuple[Any, ...], int], Any],
    problems: list[Problem],
) -> None:
    """Append one FE207 to ``problems`` for each circle of ``show_if`` conditions."""
    edges: dict[str, list[Edge]] = {}
    for pending in expressions:
        if pending.context == "show_if" and pending.owner:
            for ref in pending.expr.references():
                if ref.name != pending.owner:
                    edges.setdefault(pending.owner, []).append((ref.name, pending, ref.offset))
    for section in sections:
        for item, box in walk(section.items):
            if section.show_if is not None and section.id:
                edges.setdefault(item.id, []).append((section.id, None, 0))
            if box is not None and box.show_if is not None:  # a hidden group hides what it holds
                edges.setdefault(item.id, []).append((box.id, None, 0))
    reported: set[frozenset[str]] = set()
    for start in sorted(edges):
        cycle = _cycle_from(start, edges)
        if cycle is None or frozenset(cycle) in reported:
            continue
        reported.add(frozenset(cycle))
        first = next(
            ((p, o) for name in cycle for (to, p, o) in edges.get(name, ()) if p is not None and to in cycle),
            None,
        )
        if first is not None:
            pending, offset = first
            problems.append(
                Problem("FE207", expr_loc(pending.path, offset), {"cycle": " → ".join([*cycle, cycle[0]])})
            )


def _cycle_from(start: str, edges: dict[str, list[Edge]]) -> list[str] | None:
    """The names on a circle through ``start`` (depth-first, iterative), or None."""
    stack: list[tuple[str, list[str]]] = [(start, [start])]
    seen: set[str] = set()
    while stack:
        node, trail = stack.pop()
        for target, _pending, _offset in edges.get(node, ()):
            if target == start:
                return trail
            if target not in seen:
                seen.add(target)
                stack.append((target, [*trail, target]))
    return None
