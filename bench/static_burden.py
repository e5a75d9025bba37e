"""Static burden estimate of one form version for one set of answers, read from the YAML.

A cross-check for the browser bench: it walks the definition as a relative on a phone meets
it (sections, items and card columns hidden by ``show_if`` are skipped, a task card ends at
"Ikke aktuelt") and counts the words the relative reads and the answers they give:

- words: section titles and descriptions, notes, labels, help texts, option and group labels,
  card row and column labels, repeat labels; the "for the conversation only" tick boxes are
  counted apart (``mark_words``), because ``formengine.estimate_minutes`` leaves them out;
- answers: one per question shown (a card cell, a repeat child and a checklist count as one
  question each), the model of ``formengine.estimate_minutes`` and the browser bench; the
  answers given (one per tick, skipped questions not counted) are reported beside it;
- every page also shows its navigation: ``PAGE_WORDS`` words;
- minutes: 200 words a minute of reading plus 6 seconds per answer (issue 11).

It reads the YAML directly, so it works for a form the engine cannot load yet. Expressions
are evaluated with a small, safe evaluator for the subset ``show_if`` uses in the shipped
forms (``==``, ``!=``, ``in``, ``not in``, ``and``, ``or``, ``not``, ``count()``).

Usage: ``python bench/static_burden.py forms/parorende-kartlegging/2.0.0.yaml ANSWERS.json …``
"""

from __future__ import annotations

import ast
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

WORDS_PER_MINUTE = 200
SECONDS_PER_ANSWER = 6
PAGE_WORDS = 20
# The tick box beside an item the relative may keep out of the record, as the web app labels it.
CONVERSATION_ONLY_WORDS = {
    "nb": "Bare til samtalen",
    "nn": "Berre til samtalen",
    "en": "For the conversation only",
}
WORD = re.compile(r"[\wæøåÆØÅ]+(?:[-–'][\wæøåÆØÅ]+)*")


@dataclass
class Burden:
    words: int = 0
    answers: int = 0  # questions shown
    given: int = 0  # answers given: one per tick, skipped questions not counted
    conversation_marks: int = 0  # "for the conversation only" tick boxes shown
    mark_words: int = 0  # the words of those tick boxes
    sections: list[str] = field(default_factory=list)

    @property
    def minutes(self) -> float:
        """Reading plus answering, without the tick boxes (the model of estimate_minutes)."""
        return self.words / WORDS_PER_MINUTE + self.answers * SECONDS_PER_ANSWER / 60

    @property
    def minutes_with_marks(self) -> float:
        """The same, reading every "for the conversation only" tick box too."""
        return self.minutes + self.mark_words / WORDS_PER_MINUTE


def words(text: Any, lang: str) -> int:
    if text is None:
        return 0
    if isinstance(text, dict):
        text = text.get(lang) or next(iter(text.values()))
    return len(WORD.findall(str(text)))


def evaluate(expr: str, answers: dict[str, Any]) -> Any:
    """Evaluate a show_if expression over answers (cells as ``a.b.c``); unanswered is None."""
    tree = ast.parse(expr.replace("\n", " "), mode="eval")

    def ev(node: ast.AST) -> Any:
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.BoolOp):
            values = [ev(v) for v in node.values]
            return all(values) if isinstance(node.op, ast.And) else any(values)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return not ev(node.operand)
        if isinstance(node, ast.Compare):
            left = ev(node.left)
            for op, comp in zip(node.ops, node.comparators, strict=True):
                right = ev(comp)
                if isinstance(op, ast.Eq):
                    ok = left == right
                elif isinstance(op, ast.NotEq):
                    ok = left != right
                elif isinstance(op, ast.In | ast.NotIn):
                    ok = left is not None and right is not None and left in right
                    ok = ok if isinstance(op, ast.In) else (left is not None and not ok)
                else:
                    ok = (
                        left is not None
                        and right is not None
                        and {
                            ast.Lt: left < right,
                            ast.LtE: left <= right,
                            ast.Gt: left > right,
                            ast.GtE: left >= right,
                        }[type(op)]
                    )
                if not ok:
                    return False
                left = right
            return True
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.List):
            return [ev(e) for e in node.elts]
        if isinstance(node, ast.Name):
            return {"true": True, "false": False, "null": None}.get(node.id, answers.get(node.id))
        if isinstance(node, ast.Attribute):
            base = ev(node.value)
            return base.get(node.attr) if isinstance(base, dict) else None
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            arg = ev(node.args[0])
            if node.func.id == "count":
                return len(arg) if isinstance(arg, list | dict | str) else 0
            if node.func.id == "answered":
                return arg not in (None, "", [], {})
        raise ValueError(f"unsupported expression: {expr}")

    return ev(tree)


def options_of(item: dict[str, Any], option_sets: dict[str, Any]) -> list[dict[str, Any]]:
    opts = item.get("options")
    if isinstance(opts, str):
        return list(option_sets[opts])
    if opts is None and item.get("type") == "yes_no":
        return [{"value": "yes", "label": "Ja"}, {"value": "no", "label": "Nei"}]
    return list(opts or [])


def measure(definition: dict[str, Any], answers: dict[str, Any], lang: str = "nb") -> Burden:
    sets = definition.get("option_sets") or {}
    b = Burden()

    def item_words(item: dict[str, Any]) -> int:
        n = words(item.get("label"), lang) + words(item.get("help"), lang) + words(item.get("text"), lang)
        n += sum(words(o["label"], lang) for o in options_of(item, sets))
        n += sum(words(g["label"], lang) for g in item.get("groups") or [])
        if item.get("conversation_only"):
            b.conversation_marks += 1
            b.mark_words += words(CONVERSATION_ONLY_WORDS[lang], lang)
        return n

    def count_answer(item: dict[str, Any], value: Any) -> int:
        if value in (None, "", [], {}):
            return 0
        return len(value) if isinstance(value, list) else 1

    for section in definition["sections"]:
        if section.get("show_if") and not evaluate(section["show_if"], answers):
            continue
        b.sections.append(section["id"])
        b.words += PAGE_WORDS + words(section.get("title"), lang) + words(section.get("description"), lang)
        for item in section["items"]:
            if item.get("show_if") and not evaluate(item["show_if"], answers):
                continue
            kind = item["type"]
            value = answers.get(item["id"])
            if kind == "cards":
                b.words += words(item.get("label"), lang)
                rows = (
                    (answers.get(item["rows_from"]) or [])
                    if "rows_from" in item
                    else [r["id"] for r in item["rows"]]
                )
                for row in rows:
                    cells = (value or {}).get(row, {})
                    b.words += words(row_label(definition, item, row, sets), lang)
                    for column in item["columns"]:
                        # a column with a condition on the card's earlier columns is asked only
                        # when it holds (cells are named by column id inside the card)
                        if column.get("show_if") and not evaluate(column["show_if"], cells):
                            continue
                        b.words += item_words(column)
                        cell = cells.get(column["id"])
                        b.answers += 1
                        b.given += count_answer(column, cell)
                        na = {o["value"] for o in options_of(column, sets) if o.get("not_applicable")}
                        if cell in na:
                            break
                    if item.get("conversation_only"):
                        b.conversation_marks += 1
                        b.mark_words += words(CONVERSATION_ONLY_WORDS[lang], lang)
            elif kind == "matrix":  # the rows of a grid, each with the shared options
                b.words += words(item.get("label"), lang) + words(item.get("help"), lang)
                per_row = sum(words(o["label"], lang) for o in options_of(item, sets))
                for row in item["rows"]:
                    b.words += words(row["label"], lang) + per_row
                    b.answers += 1
                    b.given += count_answer(item, (value or {}).get(row["id"]))
                if item.get("conversation_only"):
                    b.conversation_marks += 1
                    b.mark_words += words(CONVERSATION_ONLY_WORDS[lang], lang)
            elif kind == "repeat":
                b.words += words(item.get("label"), lang) + words(item.get("add_label"), lang)
                for entry in value or []:
                    b.given += 1  # the "add" tap
                    for child in item["items"]:
                        b.words += item_words(child)
                        b.answers += 1
                        b.given += count_answer(child, entry.get(child["id"]))
            else:
                b.words += item_words(item)
                if kind != "note":
                    b.answers += 1
                    b.given += count_answer(item, value)
    return b


def row_label(definition: dict[str, Any], item: dict[str, Any], row: str, sets: dict[str, Any]) -> Any:
    if "rows" in item:
        return next(r["label"] for r in item["rows"] if r["id"] == row)
    source = next(i for s in definition["sections"] for i in s["items"] if i["id"] == item["rows_from"])
    return next(o["label"] for o in options_of(source, sets) if o["value"] == row)


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        print("usage: python bench/static_burden.py FORM.yaml ANSWERS.json [ANSWERS.json …]", file=sys.stderr)
        return 2
    definition = yaml.safe_load(Path(argv[1]).read_text("utf-8"))
    print(
        f"{'answers file':36} {'pages':>5} {'words':>6} {'shown':>6} {'given':>6} {'marks':>6}"
        f" {'minutes':>8} {'+marks':>7}"
    )
    for path in argv[2:]:
        data = json.loads(Path(path).read_text("utf-8"))
        b = measure(definition, data.get("answers", data), data.get("lang", "nb"))
        print(
            f"{Path(path).name:36} {len(b.sections):5d} {b.words:6d} {b.answers:6d} {b.given:6d}"
            f" {b.conversation_marks:6d} {b.minutes:8.1f} {b.minutes_with_marks:7.1f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
