"""The agreement beside the assessment: task rows with the relative's answers, flags and what
handles them, actions with an owner and a due date, and the checks before «Avtalt».

Pure functions over definitions and answers (no Flask), so the page, the fill-flow guard and the
tests share one set of rules. Two shapes of task rows are read and written:

* agreement 1.0.0: ``matrix`` items whose options are the responsibility set (``*_agreed``);
  the answer is ``{row: value}``;
* agreement 2.x: a ``cards`` item with fixed ``rows`` and ``columns``; the first column is who is
  responsible, and the answer is ``{row: {column: value}}``.

The relative's side is found by row id in the assessment: 1.x matrices ``*_now``, ``*_keep``,
``*_expect`` (``{row: value}``), or a 2.0 ``cards`` item whose columns are who does it now,
how much from now on, and what they expect (``{row: {column: value}}``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

RESPONSIBILITY = ("municipality", "relative", "shared", "other_agency", "unclear", "not_relevant")
ACTIONS_ITEM = "agreed_actions"
ACTION_FIELDS = ("action_what", "action_who", "action_by")
REVIEW_ITEM = "next_review_date"
SIDES = ("now", "keep", "expect")
MIN_ACTION_ROWS = 3
MAX_ACTION_ROWS = 20


def side_of(name: str) -> str | None:
    """Which of the relative's answers an item or column id holds: now, keep (from now on) or expect."""
    if "expect" in name:
        return "expect"
    if "keep" in name or "from_now" in name or "future" in name:
        return "keep"
    if name.endswith("now"):
        return "now"
    return None


def wish(now: str | None, keep: str | None, expect: str | None) -> str | None:
    """The responsibility the relative's own answers point to (None when they do not say).

    Wanting to stop or expecting a take-over points to the municipality; doing less or some
    help to a shared task; keeping on (or more) with no help expected to the relative.
    """
    if now == "not_relevant" or keep == "not_relevant" or expect == "not_relevant":
        return "not_relevant"
    if keep == "stop" or expect == "take_over":
        return "municipality"
    if keep == "less" or expect == "some_help":
        return "shared"
    if keep in ("keep", "more") and expect in (None, "nothing"):
        return "relative"
    if now == "services" and keep is None and expect is None:
        return "municipality"
    return None


def _option_label(item: Any, value: Any, lang: str) -> str:
    opt = item.option(value) if isinstance(value, str) and hasattr(item, "option") else None
    return opt.label.get(lang) if opt is not None else ("" if value is None else str(value))


def relative_answers(defn: Any, answers: dict, lang: str) -> dict[str, dict[str, tuple[str, str]]]:
    """Map each task row id to ``{side: (value, label)}`` from an assessment (1.x or 2.0)."""
    out: dict[str, dict[str, tuple[str, str]]] = {}
    for section in defn.sections:
        for item in section.items:
            value = answers.get(item.id)
            if not isinstance(value, dict):
                continue
            if item.type == "matrix" and (side := side_of(item.id)):
                for row, cell in value.items():
                    if cell not in (None, ""):
                        out.setdefault(row, {})[side] = (cell, _option_label(item, cell, lang))
            elif item.type == "cards":
                columns = {c.id: c for c in getattr(item, "columns", ())}
                for row, cells in value.items():
                    for col_id, cell in (cells or {}).items():
                        side, column = side_of(col_id), columns.get(col_id)
                        if side and cell not in (None, ""):
                            label = _option_label(column, cell, lang) if column is not None else str(cell)
                            out.setdefault(row, {})[side] = (cell, label)
    return out


@dataclass
class TaskRow:
    key: str  # form field name
    item_id: str
    row_id: str
    label: str
    relative: dict[str, tuple[str, str]]
    wish: str | None
    value: str | None


@dataclass
class TaskGroup:
    item_id: str
    title: str
    column: str | None  # the cards column that holds who is responsible (None for a matrix)
    options: list[tuple[str, str]]
    rows: list[TaskRow] = field(default_factory=list)


def _short_title(label: str) -> str:
    head, sep, _tail = label.partition(": ")
    return head if sep else label


def task_groups(
    agreement_defn: Any, agreement_answers: dict, assessment_defn: Any, assessment_answers: dict, lang: str
) -> list[TaskGroup]:
    """The agreement's task rows, each with the relative's answers and the current choice."""
    theirs = relative_answers(assessment_defn, assessment_answers, lang)
    groups = []
    for section in agreement_defn.sections:
        for item in section.items:
            column = None
            if item.type == "matrix" and any(o.value == "municipality" for o in item.options):
                options = item.options
            elif item.type == "cards" and getattr(item, "columns", ()):
                column = item.columns[0]
                options = column.options
            else:
                continue
            group = TaskGroup(
                item.id,
                _short_title(item.label.get(lang)),
                column.id if column else None,
                [(o.value, o.label.get(lang)) for o in options],
            )
            stored = agreement_answers.get(item.id) or {}
            for row in item.rows:
                cell = stored.get(row.id)
                value = cell.get(column.id) if column is not None and isinstance(cell, dict) else cell
                rel = theirs.get(row.id, {})
                suggestion = wish(*(rel.get(side, (None, ""))[0] for side in SIDES))
                group.rows.append(
                    TaskRow(
                        f"t-{item.id}-{row.id}",
                        item.id,
                        row.id,
                        row.label.get(lang),
                        rel,
                        suggestion,
                        value if isinstance(value, str) else None,
                    )
                )
            groups.append(group)
    return groups


def store_tasks(groups: list[TaskGroup], answers: dict) -> dict:
    """Write the rows' choices back into agreement answers (matrix or cards shape)."""
    out = dict(answers)
    for group in groups:
        cells: dict[str, Any] = {}
        for row in group.rows:
            if row.value:
                cells[row.row_id] = {group.column: row.value} if group.column else row.value
        if cells:
            out[group.item_id] = cells
        else:
            out.pop(group.item_id, None)
    return out


@dataclass
class Action:
    what: str = ""
    who: str = ""
    by: str = ""

    @property
    def empty(self) -> bool:
        return not (self.what.strip() or self.who.strip() or self.by.strip())

    def as_answer(self) -> dict[str, str]:
        return {
            "action_what": self.what.strip(),
            "action_who": self.who.strip(),
            "action_by": self.by.strip(),
        }


def actions_from_answers(answers: dict) -> list[Action]:
    return [
        Action(str(e.get("action_what") or ""), str(e.get("action_who") or ""), str(e.get("action_by") or ""))
        for e in answers.get(ACTIONS_ITEM) or []
        if isinstance(e, dict)
    ]


@dataclass
class Problem:
    field: str  # the form field it belongs to (for the link in the error summary)
    code: str  # what went wrong (the page words it)
    number: int = 0  # the action's number, if it is about an action
    label: str = ""  # the flag's message, if it is about a flag


def check_actions(actions: list[Action], today: dt.date) -> list[Problem]:
    """Every action that has anything written needs what, an owner and a due date today or later."""
    problems = []
    for n, action in enumerate(actions, start=1):
        if action.empty:
            continue
        if not action.what.strip():
            problems.append(Problem(f"a-{n}-what", "action_what_missing", n))
        if not action.who.strip():
            problems.append(Problem(f"a-{n}-who", "action_owner_missing", n))
        if not action.by.strip():
            problems.append(Problem(f"a-{n}-by", "action_date_missing", n))
            continue
        try:
            due = dt.date.fromisoformat(action.by.strip())
        except ValueError:
            problems.append(Problem(f"a-{n}-by", "action_date_invalid", n))
            continue
        if due < today:
            problems.append(Problem(f"a-{n}-by", "action_date_past", n))
    return problems


def flag_handled(mark: dict | None, actions: list[Action]) -> bool:
    """A flag is handled by an action that exists (and is written) or by a short note."""
    if not mark:
        return False
    if str(mark.get("note") or "").strip():
        return True
    try:
        n = int(mark.get("action") or 0)
    except (TypeError, ValueError):
        return False
    return 1 <= n <= len(actions) and not actions[n - 1].empty


def check_agree(
    flags: list[dict], marks: dict, actions: list[Action], reason: str, review: str, today: dt.date
) -> list[Problem]:
    """What stops «Avtalt»: a bad action, an unhandled high flag without a reason, no review date."""
    problems = check_actions(actions, today)
    if not reason.strip():
        for flag in flags:
            if flag.get("severity") == "high" and not flag_handled(marks.get(flag["id"]), actions):
                problems.append(
                    Problem(f"f-{flag['id']}-note", "flag_unhandled", label=str(flag.get("message") or ""))
                )
    if not review.strip():
        problems.append(Problem(REVIEW_ITEM, "review_missing"))
    else:
        try:
            if dt.date.fromisoformat(review.strip()) < today:
                problems.append(Problem(REVIEW_ITEM, "review_past"))
        except ValueError:
            problems.append(Problem(REVIEW_ITEM, "review_invalid"))
    return problems


def open_high_flags(flags: list[dict], marks: dict, actions: list[Action]) -> list[str]:
    return [
        f["id"]
        for f in flags
        if f.get("severity") == "high" and not flag_handled(marks.get(f["id"]), actions)
    ]
