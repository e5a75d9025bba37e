"""Showing a response: which sections are visible, and each answer as plain-text lines.

Used by the relatives' review and copy pages and by the staff pages (detail, report changes).
"""
from __future__ import annotations

from formengine.answers import conditions
from formengine.definition.model import FormDefinition, Section
from formengine.render import wtforms_builder as wb
from formengine.render.textsafety import show_bidi_controls


def section_visible(defn: FormDefinition, section: Section, answers: dict) -> bool:
    return bool(conditions.section_visible(defn, section, answers))


def visible_sections(defn: FormDefinition, answers: dict) -> list[Section]:
    return [s for s in defn.sections if section_visible(defn, s, answers)]



def display(item, value, lang: str) -> list[str]:
    """Plain-text lines showing one answer (empty list when unanswered); a bidi control in a
    free-text answer is shown as a visible mark, never obeyed (formengine.render.textsafety)."""
    return [show_bidi_controls(line) for line in _display(item, value, lang)]


def _display(item, value, lang: str) -> list[str]:
    if value is None or value == [] or value == {} or value == "":
        return []
    labels = {o.value: o.label.get(lang) for o in wb.options_for(item)}
    if item.type == "matrix":
        return [f"{row.label.get(lang)}: {labels.get(value[row.id], value[row.id])}"
                for row in item.rows if row.id in value]
    if item.type == "repeat":
        return [", ".join(line for child in item.items for line in _display(child, (entry or {}).get(child.id), lang))
                or "–" for entry in value]
    if item.type == "priority":
        return [f"{n}. {labels.get(v, v)}" for n, v in enumerate(value, 1)]
    if isinstance(value, list):
        return [labels.get(v, str(v)) for v in value]
    if item.type == "number":
        unit = item.unit.get(lang) if item.unit else ""
        from flask_babel import format_decimal

        from formengine.summary.values import fmt_number, ordinary_number

        shown = format_decimal(value) if ordinary_number(value) else fmt_number(value)
        return [f"{shown} {unit}".strip()]
    if item.type == "date":
        import datetime as dt

        from flask_babel import format_date

        try:
            return [format_date(dt.date.fromisoformat(value), "long")]
        except ValueError:
            return [str(value)]
    return [labels.get(value, str(value))]


def summary(defn, answers: dict, lang: str) -> list[dict]:
    """Visible sections with their visible items and displayed answers, for review and copy."""
    out = []
    for sec in visible_sections(defn, answers):
        rows = []
        for item in sec.items:
            if item.type == "note" or not wb.item_visible(defn, item, answers):
                continue
            if item.type == "repeat":
                entries = []
                for entry in answers.get(item.id) or []:
                    lines = [(c.label.get(lang), display(c, entry.get(c.id), lang)) for c in item.items
                             if c.type != "note" and wb.item_visible(defn, c, answers, entry)]
                    entries.append(lines)
                rows.append({"item": item, "label": item.label.get(lang), "entries": entries})
            else:
                rows.append({"item": item, "label": item.label.get(lang),
                             "lines": display(item, answers.get(item.id), lang)})
        out.append({"section": sec, "title": sec.title.get(lang), "rows": rows})
    return out
