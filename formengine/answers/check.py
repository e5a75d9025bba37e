"""Check an answer set against its form version: unknown items and wrong values are errors.

Nothing is silently dropped: an answer that does not fit is reported with a code.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from pathlib import Path
from typing import Any, cast

from formengine.answers.conditions import card_columns_asked, effective_answers
from formengine.definition.item_types import ANSWER_NUMBER_LIMIT, ITEM_TYPES
from formengine.definition.model import FormDefinition, Item
from formengine.errors.problems import AnswerError, Location, Problem
from formengine.fhir.kept import is_kept

DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def prune_hidden(defn: FormDefinition, answers: dict[str, Any]) -> dict[str, Any]:
    """Return the answers without those to hidden items."""
    return effective_answers(defn, answers)


def read_answers_file(path: str | Path) -> dict[str, Any]:
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


def check_envelope(data: Any, name: str = "answers") -> dict[str, Any]:
    """Check the shape of an answers document and return it."""
    where = Location(name, 1, 1)
    if not isinstance(data, dict) or not isinstance(data.get("answers"), dict):
        raise AnswerError(
            [Problem("FE507", where, {"reason": "expected an object with an 'answers' object"})]
        )
    for key in ("form", "version"):
        if key in data and not isinstance(data[key], str):
            raise AnswerError([Problem("FE507", where, {"reason": f"'{key}' must be text"})])
    if "fhir" in data and not is_kept(data["fhir"]):
        reason = "'fhir' must be an object with 'units' ({id: coding}), 'codings' ({id: [coding]}), 'questionnaire' (text)"
        raise AnswerError([Problem("FE507", where, {"reason": reason})])
    return data


def check_answers(defn: FormDefinition, document: dict[str, Any], name: str = "answers") -> dict[str, Any]:
    """Validate an answers document against ``defn``; return its answers or raise AnswerError."""
    got = f"{document.get('form')}@{document.get('version')}"
    if document.get("form") not in (None, defn.id) or document.get("version") not in (None, defn.version):
        raise AnswerError([Problem("FE505", Location(name, 1, 1), {"got": got, "expected": defn.key})])
    answers: dict[str, Any] = document["answers"]
    problems = validate_answers(defn, answers, name)
    if problems:
        raise AnswerError(problems)
    return answers


def validate_answers(
    defn: FormDefinition, answers: dict[str, Any], name: str = "answers", today: dt.date | None = None
) -> list[Problem]:
    """Return every problem with ``answers`` (an empty list when they fit the form).

    Date limits written as ``today`` only apply when ``today`` is given (at entry time): a
    stored answer that was valid when it was given stays valid as the calendar moves on.
    """
    problems: list[Problem] = []
    top = {item.id: item for section in defn.sections for item in section.fields}  # groups opened
    for item_id, value in answers.items():
        item = top.get(item_id)
        if item is None:
            problems.append(Problem("FE501", Location(name, 0, 0), {"item": item_id}))
        elif value is not None:
            problems.extend(check_value(item, value, name, today))
            if item.rows_from is not None and isinstance(value, dict):
                problems.extend(_rows_from(item, value, answers, name))
    return problems


def _rows_from(item: Item, value: dict[str, Any], answers: dict[str, Any], name: str) -> list[Problem]:
    """A card may only be answered for an option ticked in its ``rows_from`` item (FE508)."""
    found = answers.get(item.rows_from or "")
    ticked = {v for v in found if isinstance(v, str)} if isinstance(found, list) else set()
    known = {row.id for row in item.rows}
    return [
        Problem("FE508", Location(name, 0, 0), {"row": row, "item": item.id, "source": item.rows_from})
        for row, cells in value.items()
        if row in known and row not in ticked and cells
    ]


def check_value(item: Item, value: Any, name: str = "answers", today: dt.date | None = None) -> list[Problem]:
    """Return the problems with one answer to one item."""
    where = Location(name, 0, 0)
    kind = ITEM_TYPES[item.type].answer
    checker = _CHECKS.get(kind)
    if checker is None:
        return [Problem("FE503", where, {"item": item.id, "expected": "no answer (it is a note)"})]
    return checker(item, value, where, today)


def _choice(item: Item, value: Any, where: Location, today: dt.date | None) -> list[Problem]:
    if not isinstance(value, str):
        return [Problem("FE503", where, {"item": item.id, "expected": "one option value (text)"})]
    if item.option(value) is None:
        return [
            Problem(
                "FE502", where, {"value": value, "item": item.id, "options": ", ".join(item.option_values)}
            )
        ]
    return []


def _choices(item: Item, value: Any, where: Location, today: dt.date | None) -> list[Problem]:
    if (
        not isinstance(value, list)
        or not all(isinstance(v, str) for v in value)
        or len(set(value)) != len(value)
    ):
        return [Problem("FE503", where, {"item": item.id, "expected": "a list of different option values"})]
    bad = [v for v in value if item.option(v) is None]
    if bad:
        return [
            Problem(
                "FE502", where, {"value": bad[0], "item": item.id, "options": ", ".join(item.option_values)}
            )
        ]
    if item.max_choices and len(value) > item.max_choices:
        return [Problem("FE506", where, {"item": item.id, "max": item.max_choices})]
    alone = item.exclusive_clash(value)
    if alone is not None:
        return [Problem("FE511", where, {"item": item.id, "option": alone})]
    return []


def _number(item: Item, value: Any, where: Location, today: dt.date | None) -> list[Problem]:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        return [Problem("FE503", where, {"item": item.id, "expected": "a number"})]
    if isinstance(value, float) and not math.isfinite(value):
        return [Problem("FE503", where, {"item": item.id, "expected": "a number"})]
    if isinstance(value, int) and value.bit_length() > 64:
        return [Problem("FE504", where, {"item": item.id, "detail": "too large"})]
    if item.integer and not float(value).is_integer():
        return [Problem("FE503", where, {"item": item.id, "expected": "a whole number"})]
    low, high = cast("float | None", item.min), cast("float | None", item.max)  # numbers for a number item
    low = low if low is not None else -ANSWER_NUMBER_LIMIT
    high = high if high is not None else ANSWER_NUMBER_LIMIT
    if not low <= value <= high:  # also catches ±inf; the int stays an int (no float overflow)
        return [Problem("FE504", where, {"item": item.id, "detail": f"{low} – {high}"})]
    return []


def _text(item: Item, value: Any, where: Location, today: dt.date | None) -> list[Problem]:
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


def _date(item: Item, value: Any, where: Location, today: dt.date | None) -> list[Problem]:
    day = parse_date(value, None) if value != "today" else None
    if day is None:
        return [Problem("FE503", where, {"item": item.id, "expected": "a date YYYY-MM-DD"})]
    low = parse_date(item.min, today) if isinstance(item.min, str) else None
    high = parse_date(item.max, today) if isinstance(item.max, str) else None
    if (low and day < low) or (high and day > high):
        return [Problem("FE504", where, {"item": item.id, "detail": f"{low or '…'} – {high or '…'}"})]
    return []


def _matrix(item: Item, value: Any, where: Location, today: dt.date | None) -> list[Problem]:
    if not isinstance(value, dict):
        return [Problem("FE503", where, {"item": item.id, "expected": "an object {row: option value}"})]
    rows = {row.id for row in item.rows}
    problems: list[Problem] = []
    for row, answer in value.items():
        if row not in rows:
            problems.append(Problem("FE501", where, {"item": f"{item.id}.{row}"}))
        elif answer is not None:
            problems.extend(_choice(item, answer, where, today))
    return problems


def _cards(item: Item, value: Any, where: Location, today: dt.date | None) -> list[Problem]:
    if not isinstance(value, dict):
        return [
            Problem("FE503", where, {"item": item.id, "expected": "an object {row: {column: option value}}"})
        ]
    problems: list[Problem] = []
    for row_id, cells in value.items():
        if item.row(row_id) is None:
            problems.append(Problem("FE501", where, {"item": f"{item.id}.{row_id}"}))
            continue
        if cells is None:
            continue
        if not isinstance(cells, dict):
            problems.append(
                Problem(
                    "FE503",
                    where,
                    {"item": f"{item.id}.{row_id}", "expected": "an object {column: option value}"},
                )
            )
            continue
        asked = card_columns_asked(item, cells)
        for column_id, answer in cells.items():
            column = item.column(column_id)
            cell = f"{item.id}.{row_id}.{column_id}"
            if column is None:
                problems.append(Problem("FE501", where, {"item": cell}))
            elif answer is None:
                continue
            elif not isinstance(answer, str):
                problems.append(
                    Problem("FE503", where, {"item": cell, "expected": "one option value (text)"})
                )
            elif column.option(answer) is None:
                problems.append(
                    Problem(
                        "FE502",
                        where,
                        {"value": answer, "item": cell, "options": ", ".join(column.option_values)},
                    )
                )
            elif column_id not in asked:
                problems.append(_not_asked(item, row_id, column_id, cells, asked, where))
    return problems


def _not_asked(
    item: Item, row_id: str, column_id: str, cells: dict[str, Any], asked: list[str], where: Location
) -> Problem:
    """A cell the card does not ask: the card ended before it (FE509), or its column's condition
    does not hold (FE510)."""
    cell = f"{item.id}.{row_id}.{column_id}"
    order = [c.id for c in item.columns]
    endings = dict(item.card_endings)
    last = asked[-1] if asked else None
    value = cells.get(last) if last is not None else None
    if (
        last is not None
        and isinstance(value, str)
        and value in endings[last]
        and order.index(last) < order.index(column_id)
    ):
        return Problem("FE509", where, {"item": cell, "column": f"{item.id}.{row_id}.{last}"})
    condition = item.column(column_id)
    source = condition.show_if.source if condition is not None and condition.show_if is not None else ""
    return Problem("FE510", where, {"item": cell, "condition": source})


def _repeat(item: Item, value: Any, where: Location, today: dt.date | None) -> list[Problem]:
    if not isinstance(value, list) or not all(isinstance(e, dict) for e in value):
        return [Problem("FE503", where, {"item": item.id, "expected": "a list of objects"})]
    if item.max is not None and len(value) > cast(float, item.max):  # a repeat's limits are numbers
        return [Problem("FE504", where, {"item": item.id, "detail": f"at most {int(item.max)} entries"})]
    children = {child.id: child for child in item.fields}  # groups opened; nested repeats checked below
    problems: list[Problem] = []
    for entry in value:
        for child_id, answer in entry.items():
            child = children.get(child_id)
            if child is None:
                problems.append(Problem("FE501", where, {"item": f"{item.id}.{child_id}"}))
            elif answer is not None:
                problems.extend(check_value(child, answer, where.file, today))
    return problems


_CHECKS = {
    "choice": _choice,
    "choices": _choices,
    "ordered_choices": _choices,
    "number": _number,
    "text": _text,
    "date": _date,
    "matrix": _matrix,
    "cards": _cards,
    "repeat": _repeat,
}
