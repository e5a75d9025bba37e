"""Check an answer set against its form version: unknown items and wrong values are errors.

Nothing is silently dropped: an answer that does not fit is reported with a code.
"""
from __future__ import annotations

import datetime as dt
import math
import json
import re
from pathlib import Path
from typing import Any

from formengine.answers.conditions import effective_answers
from formengine.definition.model import FormDefinition, Item
from formengine.errors.problems import AnswerError, Location, Problem
from formengine.definition.item_types import ANSWER_NUMBER_LIMIT, ITEM_TYPES

DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def prune_hidden(defn: FormDefinition, answers: dict) -> dict:
    """Return the answers without those to hidden items."""
    return effective_answers(defn, answers)


def read_answers_file(path: str | Path) -> dict:
    """Read ANSWERS.json: ``{"form", "version", "lang", "answers": {…}}``; raise AnswerError FE507."""
    where = Location(str(path), 1, 1)
    try:
        data = json.loads(Path(path).read_text("utf-8"), parse_constant=_refuse_constant)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise AnswerError([Problem("FE507", where, {"reason": str(exc)})]) from None
    return check_envelope(data, str(path))


def _refuse_constant(name: str) -> Any:
    """NaN and Infinity are not JSON (RFC 8259): refuse them instead of reading a non-number."""
    raise ValueError(f"{name} is not a JSON number")


def check_envelope(data: Any, name: str = "answers") -> dict:
    """Check the shape of an answers document and return it."""
    where = Location(name, 1, 1)
    if not isinstance(data, dict) or not isinstance(data.get("answers"), dict):
        raise AnswerError([Problem("FE507", where, {"reason": "expected an object with an 'answers' object"})])
    for key in ("form", "version"):
        if key in data and not isinstance(data[key], str):
            raise AnswerError([Problem("FE507", where, {"reason": f"'{key}' must be text"})])
    return data


def check_answers(defn: FormDefinition, document: dict, name: str = "answers") -> dict:
    """Validate an answers document against ``defn``; return its answers or raise AnswerError."""
    got = f"{document.get('form')}@{document.get('version')}"
    if document.get("form") not in (None, defn.id) or document.get("version") not in (None, defn.version):
        raise AnswerError([Problem("FE505", Location(name, 1, 1), {"got": got, "expected": defn.key})])
    answers = document["answers"]
    problems = validate_answers(defn, answers, name)
    if problems:
        raise AnswerError(problems)
    return answers


def validate_answers(defn: FormDefinition, answers: dict, name: str = "answers",
                     today: dt.date | None = None) -> list[Problem]:
    """Return every problem with ``answers`` (an empty list when they fit the form).

    Date limits written as ``today`` only apply when ``today`` is given (at entry time): a
    stored answer that was valid when it was given stays valid as the calendar moves on.
    """
    problems: list[Problem] = []
    top = {item.id: item for section in defn.sections for item in section.items}
    for item_id, value in answers.items():
        item = top.get(item_id)
        if item is None:
            problems.append(Problem("FE501", Location(name, 0, 0), {"item": item_id}))
        elif value is not None:
            problems.extend(check_value(item, value, name, today))
    return problems


def check_value(item: Item, value: Any, name: str = "answers", today: dt.date | None = None) -> list[Problem]:
    """Return the problems with one answer to one item."""
    where = Location(name, 0, 0)
    kind = ITEM_TYPES[item.type].answer
    checker = _CHECKS.get(kind)
    if checker is None:
        return [Problem("FE503", where, {"item": item.id, "expected": "no answer (it is a note)"})]
    return checker(item, value, where, today)


def _choice(item, value, where, today):
    if not isinstance(value, str):
        return [Problem("FE503", where, {"item": item.id, "expected": "one option value (text)"})]
    if item.option(value) is None:
        return [Problem("FE502", where, {"value": value, "item": item.id, "options": ", ".join(item.option_values)})]
    return []


def _choices(item, value, where, today):
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value) or len(set(value)) != len(value):
        return [Problem("FE503", where, {"item": item.id, "expected": "a list of different option values"})]
    bad = [v for v in value if item.option(v) is None]
    if bad:
        return [Problem("FE502", where, {"value": bad[0], "item": item.id, "options": ", ".join(item.option_values)})]
    if item.max_choices and len(value) > item.max_choices:
        return [Problem("FE506", where, {"item": item.id, "max": item.max_choices})]
    return []


def _number(item, value, where, today):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        return [Problem("FE503", where, {"item": item.id, "expected": "a number"})]
    if isinstance(value, float) and not math.isfinite(value):
        return [Problem("FE503", where, {"item": item.id, "expected": "a number"})]
    if isinstance(value, int) and value.bit_length() > 64:
        return [Problem("FE504", where, {"item": item.id, "detail": "too large"})]
    if item.integer and not float(value).is_integer():
        return [Problem("FE503", where, {"item": item.id, "expected": "a whole number"})]
    low = item.min if item.min is not None else -ANSWER_NUMBER_LIMIT
    high = item.max if item.max is not None else ANSWER_NUMBER_LIMIT
    if not low <= value <= high:  # also catches ±inf; the int stays an int (no float overflow)
        return [Problem("FE504", where, {"item": item.id, "detail": f"{low} – {high}"})]
    return []


def _text(item, value, where, today):
    if not isinstance(value, str):
        return [Problem("FE503", where, {"item": item.id, "expected": "text"})]
    if item.max_length and len(value) > item.max_length:
        return [Problem("FE504", where, {"item": item.id, "detail": f"at most {item.max_length} characters"})]
    return []


def parse_date(value: str, today: dt.date | None) -> dt.date | None:
    """Parse YYYY-MM-DD, or 'today' (None when no date of entry is given); None if invalid."""
    if value == "today":
        return today
    if not isinstance(value, str) or not DATE.match(value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _date(item, value, where, today):
    day = parse_date(value, None) if value != "today" else None
    if day is None:
        return [Problem("FE503", where, {"item": item.id, "expected": "a date YYYY-MM-DD"})]
    low = parse_date(item.min, today) if isinstance(item.min, str) else None
    high = parse_date(item.max, today) if isinstance(item.max, str) else None
    if (low and day < low) or (high and day > high):
        return [Problem("FE504", where, {"item": item.id, "detail": f"{low or '…'} – {high or '…'}"})]
    return []


def _matrix(item, value, where, today):
    if not isinstance(value, dict):
        return [Problem("FE503", where, {"item": item.id, "expected": "an object {row: option value}"})]
    rows = {row.id for row in item.rows}
    problems = []
    for row, answer in value.items():
        if row not in rows:
            problems.append(Problem("FE501", where, {"item": f"{item.id}.{row}"}))
        elif answer is not None:
            problems.extend(_choice(item, answer, where, today))
    return problems


def _repeat(item, value, where, today):
    if not isinstance(value, list) or not all(isinstance(e, dict) for e in value):
        return [Problem("FE503", where, {"item": item.id, "expected": "a list of objects"})]
    if item.max is not None and len(value) > item.max:
        return [Problem("FE504", where, {"item": item.id, "detail": f"at most {int(item.max)} entries"})]
    children = {child.id: child for child in item.items}
    problems = []
    for entry in value:
        for child_id, answer in entry.items():
            child = children.get(child_id)
            if child is None:
                problems.append(Problem("FE501", where, {"item": f"{item.id}.{child_id}"}))
            elif answer is not None:
                problems.extend(check_value(child, answer, where.file, today))
    return problems


_CHECKS = {"choice": _choice, "choices": _choices, "ordered_choices": _choices, "number": _number,
           "text": _text, "date": _date, "matrix": _matrix, "repeat": _repeat}
