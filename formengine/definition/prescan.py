"""Scans of the raw text before YAML parsing: tabs in indentation and over-deep nesting.

They let the loader refuse a hostile file with a located problem before PyYAML builds anything.
"""

from __future__ import annotations

MAX_DEPTH = 60  # nesting deeper than this is refused (FE012)


def find_indent_tab(text: str) -> tuple[int, int] | None:
    for number, line in enumerate(text.splitlines(), start=1):
        indent = len(line) - len(line.lstrip(" \t"))
        if "\t" in line[:indent]:
            return number, line.index("\t") + 1
    return None


def find_deep_nesting(text: str) -> tuple[int, int] | None:
    """Find flow brackets or indentation nested deeper than the parser should recurse.

    A cheap scan before parsing, so that a hostile file is refused in milliseconds rather
    than after the YAML parser has recursed a thousand levels. Brackets inside quoted
    strings are counted too; a real form never comes near the limit.
    """
    depth = 0
    line, col = 1, 0
    for char in text:
        col += 1
        if char == "\n":
            line, col = line + 1, 0
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return line, col
        elif char in "]}" and depth:
            depth -= 1
    for number, row in enumerate(text.splitlines(), start=1):
        if len(row) - len(row.lstrip(" ")) > MAX_DEPTH * 4:
            return number, 1
    return None
