"""docs/authoring.md documents every item type and error code, and its YAML examples validate.

A YAML block that is a whole form (has ``id`` and ``sections`` or ``extends``) is checked as a
form file next to a copy of the shipped forms; a block that is a list of items is checked inside
a minimal form. Fragments (a ``changes:`` list, a ``contacts:`` entry …) are not checked. An
intentionally broken example is marked with ``<!-- not-checked -->`` on the line before it.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
import yaml

from formengine.definition.item_types import ITEM_TYPES
from formengine.definition.registry import load_registry
from formengine.errors.problems import CATALOGUE, ERROR

DOC = Path(__file__).resolve().parents[2] / "docs" / "authoring.md"
TEXT = DOC.read_text("utf-8")
FENCE = re.compile(r"(?P<before>[^\n]*)\n```yaml\n(?P<body>.*?)\n```", re.S)
SKIP = "<!-- not-checked -->"

ITEM_FORM = """\
id: doc-example
version: 1.0.0
status: draft
title: Eksempel
languages: [nb, nn, en]
default_language: nb
sections:
  - id: s1
    title: Del 1
    items:
{items}
"""


def yaml_blocks() -> list[tuple[int, str]]:
    """Return (line number, text) of every checked ```yaml block of the doc."""
    out = []
    for match in FENCE.finditer(TEXT):
        if match.group("before").strip() == SKIP:
            continue
        line = TEXT.count("\n", 0, match.start("body")) + 1
        out.append((line, textwrap.dedent(match.group("body"))))
    return out


def kind_of(body: str) -> str:
    data = yaml.safe_load(body)
    if isinstance(data, dict) and "id" in data and ("sections" in data or "extends" in data):
        return "form"
    if isinstance(data, list) and data and all(isinstance(e, dict) and "type" in e for e in data):
        return "items"
    return "fragment"


BLOCKS = yaml_blocks()


def test_every_item_type_has_a_heading_and_an_example():
    for name in ITEM_TYPES:
        heading = f"### `{name}`"
        assert heading in TEXT, f"docs/authoring.md has no heading {heading}"
        section = TEXT.split(heading, 1)[1].split("\n### ", 1)[0]
        assert "```yaml" in section and f"type: {name}" in section, f"no YAML example for {name}"


def test_error_table_lists_exactly_the_catalogue():
    table = TEXT.split("## Error codes", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `(FE\d{3})` \|([^|]+)\|([^|]+)\|", table, re.M)
    codes = [code for code, _, _ in rows]
    assert sorted(codes) == sorted(CATALOGUE), set(codes) ^ set(CATALOGUE)
    assert len(codes) == len(set(codes))
    assert all(meaning.strip() and fix.strip() for _, meaning, fix in rows)


def test_the_doc_has_checkable_examples_of_both_kinds():
    kinds = [kind_of(body) for _, body in BLOCKS]
    assert kinds.count("form") >= 2 and kinds.count("items") >= len(ITEM_TYPES)


@pytest.mark.parametrize(
    "line,body",
    [b for b in BLOCKS if kind_of(b[1]) != "fragment"],
    ids=lambda v: f"line{v}" if isinstance(v, int) else "",
)
def test_yaml_example_validates(line, body, shipped_forms: Path):
    if kind_of(body) == "form":
        data = yaml.safe_load(body)
        path = shipped_forms / data["id"] / f"{data['version']}.yaml"
        if path.exists():
            path.unlink()  # the doc's example replaces the shipped file of the same name
        text = body
    else:
        data = {"id": "doc-example", "version": "1.0.0"}
        path = shipped_forms / "doc-example" / "1.0.0.yaml"
        text = ITEM_FORM.format(items=textwrap.indent(body, "      "))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    registry = load_registry(shipped_forms)
    errors = [p.format() for p in registry.problems_for(path) if p.severity == ERROR]
    assert not errors, f"docs/authoring.md line {line}:\n" + "\n".join(errors)
    assert (data["id"], data["version"]) in registry.definitions


def test_cli_commands_are_documented():
    for command in (
        "check",
        "list",
        "show",
        "diff",
        "publish",
        "schema",
        "new-variant",
        "i18n export",
        "i18n import",
    ):
        assert f"formengine {command}" in TEXT
