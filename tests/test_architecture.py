"""The layout's promises, checked from the source: no import circles, small modules, a real boundary.

The import graph is read with ``ast`` (nothing is imported). Every ``import`` statement counts:
at module level, inside functions (a late import hides a circle, it does not remove it) and under
``if TYPE_CHECKING:`` (a type-only back-reference is still a part that knows its whole). An edge
goes to the module named: ``from formengine.render import wtforms_builder`` depends on
``formengine.render.wtforms_builder``, not on ``formengine/render/__init__.py``; a package's
``__init__`` is a facade that re-exports its parts, so importing a sibling does not depend on it.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

import formengine

REPO = Path(__file__).resolve().parent.parent
MAX_TOP_LEVEL_FILES = 8
MAX_MODULE_LINES = 400


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules(package: str) -> dict[str, Path]:
    """Every module of a package (``__init__`` files as the package's own name)."""
    return {module_name(p): p for p in sorted((REPO / package).rglob("*.py"))}


def imports(path: Path, known: set[str]) -> Iterator[tuple[str, list[str], int]]:
    """(module imported, names taken from it, line) for every import statement in a file."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, [], node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            plain = []
            for alias in node.names:
                if f"{base}.{alias.name}" in known:  # ``from pkg import submodule``
                    yield f"{base}.{alias.name}", [], node.lineno
                else:
                    plain.append(alias.name)
            if plain or not node.names:
                yield base, plain, node.lineno


def graph(package: str) -> dict[str, set[str]]:
    found = modules(package)
    known = set(found)
    edges: dict[str, set[str]] = {name: set() for name in found}
    for name, path in found.items():
        for target, _names, _line in imports(path, known):
            if target in known and target != name:
                edges[name].add(target)
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return out


@pytest.mark.parametrize("package", ["formengine", "webapp"])
def test_no_import_circles(package: str) -> None:
    assert cycles(graph(package)) == []


def test_the_cycle_finder_finds_a_circle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_formengine_top_level_is_small() -> None:
    top = sorted(p.name for p in (REPO / "formengine").glob("*.py"))
    assert len(top) <= MAX_TOP_LEVEL_FILES, top


@pytest.mark.parametrize("package", ["formengine", "webapp"])
def test_no_module_over_the_line_limit(package: str) -> None:
    long = {
        name: n
        for name, path in modules(package).items()
        if (n := len(path.read_text("utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}


def test_public_api_is_documented_and_importable() -> None:
    doc = formengine.__doc__ or ""
    for name in formengine.__all__:
        assert hasattr(formengine, name), name
    for module in formengine.DOCUMENTED_MODULES:
        assert f"``{module}``" in doc, f"{module} is in DOCUMENTED_MODULES but not in the docstring"
        __import__(module)


def _outside_imports(folders: tuple[str, ...]) -> Iterator[tuple[str, str, list[str]]]:
    known = set(modules("formengine"))
    for folder in folders:
        for path in sorted((REPO / folder).rglob("*.py")):
            for target, names, line in imports(path, known):
                if target == "formengine" or target.startswith("formengine."):
                    yield f"{path.relative_to(REPO)}:{line}", target, names


# The shells around the library use its public API only. The tests may also import the modules
# they test (unit tests of the parser, the loader, ...), but no private name either.
SHELLS = ("webapp", "bench", "scripts")
EVERYONE = (*SHELLS, "tests")


def test_the_shells_import_only_the_documented_api() -> None:
    allowed = {"formengine", *formengine.DOCUMENTED_MODULES}
    wrong = [(where, target) for where, target, _names in _outside_imports(SHELLS) if target not in allowed]
    assert wrong == []


def test_outside_formengine_no_private_name_is_imported() -> None:
    wrong = []
    for where, target, names in _outside_imports(EVERYONE):
        wrong += [(where, target, name) for name in names if name.startswith("_") and name != "__version__"]
        if any(part.startswith("_") for part in target.split(".")):
            wrong.append((where, target, ""))
    assert wrong == []


def test_the_readme_names_every_module() -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    section = readme[readme.index("## Architecture") : readme.index("## Measured figures")]
    named = set()
    for token in re.findall(r"`([^`\n]+)`", section):
        token = token.rstrip("/")
        named.add(token)
        named.add(token.removesuffix(".py").rsplit("/", 1)[-1])
    missing = []
    for package in ("formengine", "webapp"):
        for name, path in modules(package).items():
            if path.name == "__init__.py" or "migrations" in path.parts:
                continue
            if path.stem not in named:
                missing.append(name)
    assert missing == []
