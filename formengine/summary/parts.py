"""The blocks of the meeting summary, each built from the definition, answers and report.

Every function takes the answers already filtered for the copy, and notes in ``used`` which
items it has shown, so the later catch-all blocks (own words, other answers) do not repeat them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from formengine.definition.item_types import TEXT_TYPES
from formengine.definition.model import FormDefinition, Item
from formengine.render.answers import (
    answered,
    card_table,
    format_answer,
    format_date,
    format_number,
    option_label,
)
from formengine.scoring.report import ScaleResult, ScoreReport
from formengine.summary.strings import strings
from formengine.summary.values import split_label

GLANCE_TYPES = ("single_choice", "yes_no", "multi_choice", "number", "date", "repeat")


def _text_entry(defn: FormDefinition, item: Item, value: Any, lang: str) -> dict[str, Any]:
    section = defn.section(defn.section_of[item.id]).title.get(lang)
    return {"id": item.id, "question": item.label.get(lang), "answer": str(value), "section": section}


def questions(defn: FormDefinition, shown: dict[str, Any], lang: str, used: set[Any]) -> list[dict[str, Any]]:
    """Return the free-text answers of the section that holds the priority item."""
    prio = defn.scoring.priorities
    if not prio or prio not in defn.section_of:
        return []
    section = defn.section(defn.section_of[prio])
    out = [
        _text_entry(defn, i, shown[i.id], lang)
        for i in section.fields
        if i.type in TEXT_TYPES and answered(shown.get(i.id))
    ]
    used.update(e["id"] for e in out)
    return out


def _family(defn: FormDefinition, matrix_id: str) -> list[Item]:
    """Return the matrices of the same section that share ``matrix_id``'s rows, in form order."""
    first = defn.items_by_id[matrix_id]
    rows = tuple(r.id for r in first.rows)
    section = defn.section(defn.section_of[matrix_id])
    return [i for i in section.fields if i.type == "matrix" and tuple(r.id for r in i.rows) == rows]


def gap_table(
    defn: FormDefinition, report: ScoreReport, shown: dict[str, Any], lang: str
) -> list[dict[str, Any]]:
    """Return the expectation tables: one per task group, one row per task with a gap."""
    gaps = {g.id: g for g in defn.scoring.gaps}
    tables: dict[tuple[Any, ...], dict[str, Any]] = {}
    card_rows: dict[str, dict[str, list[str]]] = {}  # cards item -> row -> the gap labels
    for entry in report.gaps:
        gap = gaps.get(entry.id)
        if gap is not None and gap.cards is not None:
            card_rows.setdefault(gap.cards, {}).setdefault(entry.row, []).append(entry.label or "")
            continue
        if gap is None or not gap.bind:
            continue
        family = _family(defn, gap.bind[0][1])
        key = tuple(m.id for m in family)
        if key not in tables:
            title = split_label(family[0].label.get(lang))[0]
            tables[key] = {
                "title": title,
                "family": family,
                "rows": {},
                "head": [split_label(m.label.get(lang))[1] for m in family],
            }
        row = tables[key]["rows"].setdefault(entry.row, {"label": entry.row_label or entry.row, "why": []})
        row["why"].append(entry.label or "")
    out = []
    for table in tables.values():
        rows = []
        for row_id, row in table["rows"].items():
            cells = [
                option_label(m, (shown.get(m.id) or {}).get(row_id), lang)
                if answered((shown.get(m.id) or {}).get(row_id))
                else "–"
                for m in table["family"]
            ]
            rows.append({"label": row["label"], "cells": cells, "why": row["why"]})
        out.append({"title": table["title"], "head": table["head"], "rows": rows})
    for cards_id, reasons in card_rows.items():  # a gap rule per card: the card's answers as the row
        card = card_table(defn.items_by_id[cards_id], shown.get(cards_id), lang, rows=list(reasons))
        card_lines = [
            {"label": r["label"], "cells": r["cells"], "why": reasons[r["id"]]} for r in card["rows"]
        ]
        if card_lines:
            out.append({"title": card["title"], "head": card["head"], "rows": card_lines})
    return out


def card_tables(
    defn: FormDefinition, shown: dict[str, Any], lang: str, used: set[str]
) -> list[dict[str, Any]]:
    """Return every answered cards item as a table: one row per card, one column per question."""
    out = []
    for item in defn.iter_items():
        if item.type == "cards" and answered(shown.get(item.id)):
            table = card_table(item, shown[item.id], lang)
            if table["rows"]:
                out.append(table)
                used.add(item.id)
    return out


def _contact(defn: FormDefinition, value: Any, lang: str) -> dict[str, Any] | None:
    if isinstance(value, dict):
        name = value.get("name")
        return {**value, "name": name.get(lang) if isinstance(name, dict) else name}
    contact = defn.contact(value) if isinstance(value, str) else None
    if contact is None:
        return None
    return {
        "name": contact.name.get(lang),
        "phone": contact.phone,
        "email": contact.email,
        "hours": contact.hours.get(lang) if contact.hours else "",
    }


def _because(defn: FormDefinition, value: Any, lang: str) -> str:
    """Name the scales (or "an answer in the form", for offer triggers) that suggested an offer."""
    scales = {s.id: s.label.get(lang) for s in defn.scoring.scales}
    names = value if isinstance(value, list) else [value] if value else []
    out = []
    for name in names:
        ident = str(name.get("id") if isinstance(name, dict) else name)
        if ident == "trigger":
            out.append(strings(lang)["because_answer"])
        else:
            out.append(scales.get(ident) or defn.domain_label(ident, lang))
    return "; ".join(dict.fromkeys(o for o in out if o))


def offers(defn: FormDefinition, report: ScoreReport, lang: str, marked: set[Any]) -> dict[str, Any]:
    """Return the suggested offers with their contact, and the form's contact points."""
    left_out = {s.id for s in report.scales if s.reason == "left_out"}
    rows = []
    for offer in report.offers:
        hidden = any(s in offer.because for s in left_out)
        rows.append(
            {
                "title": offer.title,
                "description": offer.description,
                "contact": _contact(defn, offer.contact.id if offer.contact else None, lang),
                "because": "" if hidden else _because(defn, list(offer.because), lang),
            }
        )
    contacts = [_contact(defn, c.id, lang) for c in defn.contacts]
    return {"offers": rows, "contacts": contacts}


def information(
    defn: FormDefinition,
    report: ScoreReport,
    shown: dict[str, Any],
    meta: dict[str, Any],
    lang: str,
    used: set[Any],
) -> dict[str, Any]:
    """Return information wanted in each direction: to the relative and from the relative."""
    wanted = []
    sections = set()
    for item in defn.iter_items():
        value = shown.get(item.id)
        opt = item.option(value) if item.type == "support_need" and isinstance(value, str) else None
        if opt is not None and (opt.score or 0) > 0:
            wanted.append((opt.score, item.label.get(lang), opt.label.get(lang)))
            sections.add(defn.section_of[item.id])
    to_relative = [(label, answer) for _, label, answer in sorted(wanted, key=lambda w: -(w[0] or 0))]
    from_relative = [
        _text_entry(defn, i, shown[i.id], lang)
        for sid in sorted(sections)
        for i in defn.section(sid).fields
        if i.type in TEXT_TYPES and answered(shown.get(i.id))
    ]
    used.update(e["id"] for e in from_relative)
    agreement = meta.get("agreement") or {}
    return {
        "to_relative": to_relative,
        "from_relative": from_relative,
        "relative_wants": agreement.get("info_relative_wants") or "",
        "services_want": agreement.get("info_services_want") or "",
    }


def who(defn: FormDefinition, shown: dict[str, Any], lang: str, used: set[Any]) -> list[tuple[str, str]]:
    """Return (question, answer) for the answered items of the first section."""
    if not defn.sections:
        return []
    out = []
    for item in defn.sections[0].fields:
        if item.type != "note" and answered(shown.get(item.id)):
            out.append((_headed(defn, item, lang), format_answer(item, shown[item.id], lang)))
            used.add(item.id)
    return out


def own_words(defn: FormDefinition, shown: dict[str, Any], lang: str, used: set[Any]) -> list[dict[str, Any]]:
    """Return every free-text answer not shown yet, each with its question and section."""
    out = [
        _text_entry(defn, i, shown[i.id], lang)
        for i in defn.iter_items()
        if not i.parent and i.type in TEXT_TYPES and i.id not in used and answered(shown.get(i.id))
    ]
    used.update(e["id"] for e in out)
    return out


def glance(defn: FormDefinition, shown: dict[str, Any], lang: str, used: set[Any]) -> list[dict[str, Any]]:
    """Return the remaining choice answers in form order, grouped by section.

    Each group is ``{"section": title, "entries": [{"q": label, "a": answer}]}``. The template
    flows the groups down CSS columns, so the order on paper is the order a screen reader (or
    a tagged PDF's structure) reads: down each column, then the next.
    """
    out = []
    for section in defn.sections:
        entries = [
            {"q": _headed(defn, item, lang), "a": format_answer(item, shown[item.id], lang)}
            for item in section.fields
            if item.type in GLANCE_TYPES and item.id not in used and answered(shown.get(item.id))
        ]
        if entries:
            out.append({"section": section.title.get(lang), "entries": entries})
    return out


def _headed(defn: FormDefinition, item: Item, lang: str) -> str:
    """An item's label after the headings of the groups around it ("Husstanden › Antall rom")."""
    heads = [g.label.get(lang) for g in defn.ancestors(item.id) if g.type == "group" and g.label]
    return " › ".join([*heads, item.label.get(lang)])


def _written(entry: ScaleResult | None, lang: str) -> str:
    if entry is None or entry.value is None:
        return "–"
    return format_number(round(entry.value, 1), lang)


def change(
    defn: FormDefinition,
    report: ScoreReport,
    previous: Any,
    lang: str,
    scorer: Callable[[FormDefinition, dict[str, Any], str], ScoreReport],
) -> dict[str, Any] | None:
    """Return before/after and band change per scale that moved, and the labels of those that did not.

    A scale the relative was not asked this time or last time (reason ``not_asked``) is never
    compared: its label is listed in ``not_asked_now`` or ``not_asked_before`` instead."""
    if not previous:
        return None
    prev_defn, prev_answers = previous[0], previous[1]
    prev = previous[2] if len(previous) > 2 else None
    if prev is None:
        prev = scorer(prev_defn, prev_answers, lang)
    elif not isinstance(prev, ScoreReport):
        prev = ScoreReport.from_json(prev)
    before = {s.id: s for s in prev.scales}
    from formengine.scoring.compare import comparable_scales

    pairs = comparable_scales(defn, prev_defn)  # only like with like (same lineage, or compares_to)
    rows, same = [], []
    not_now: list[str] = []
    not_before: list[str] = []
    for now in report.scales:
        old = before.get(pairs.get(now.id, ""))
        if old is None or now.reason == "left_out":
            continue
        if now.reason == "not_asked" or old.reason == "not_asked":
            (not_now if now.reason == "not_asked" else not_before).append(now.label)
            continue
        b_old = old.band.label if old.band else None
        b_new = now.band.label if now.band else None
        if b_old == b_new and _written(old, lang) == _written(now, lang):
            same.append(now.label)
            continue
        moved = strings(lang)["unchanged"] if b_old == b_new else f"{b_old or '–'} → {b_new or '–'}"
        rows.append(
            {"label": now.label, "before": _written(old, lang), "after": _written(now, lang), "band": moved}
        )
    return {"rows": rows, "same": same, "not_asked_now": not_now, "not_asked_before": not_before}


def after_meeting(agreement: dict[str, Any] | None, lang: str) -> dict[str, Any] | None:
    """Return what the agreement recorded (attendees, actions, crisis plan, next review)."""
    if not agreement:
        return None

    def entries(key: str, *fields: str) -> list[list[str]]:
        return [
            [format_date(e.get(f), lang) if f.endswith("_by") else str(e.get(f) or "") for f in fields]
            for e in agreement.get(key) or []
            if isinstance(e, dict)
        ]

    crisis = [
        agreement.get(k) for k in ("crisis_contact_day", "crisis_contact_evening", "crisis_contact_weekend")
    ]
    return {
        "attendees": entries("attendees", "attendee_name", "attendee_role"),
        "absentees": entries("absentees", "absentee_name", "absentee_role"),
        "actions": entries("agreed_actions", "action_what", "action_who", "action_by"),
        "warning_signs": agreement.get("warning_signs") or "",
        "crisis": [c for c in crisis if c],
        "next_review": format_date(agreement.get("next_review_date"), lang)
        if agreement.get("next_review_date")
        else "",
    }
