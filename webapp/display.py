"""Showing a response: which sections are visible, and each answer as plain-text lines.

Used by the relatives' review and copy pages and by the staff pages (detail, report changes).
"""

from __future__ import annotations

import formengine
from formengine import FormDefinition, Section, show_bidi_controls
from formengine.render import wtforms_builder as wb


def section_visible(defn: FormDefinition, section: Section, answers: dict) -> bool:
    return bool(formengine.section_visible(defn, section, answers))


def visible_sections(defn: FormDefinition, answers: dict) -> list[Section]:
    return [s for s in defn.sections if section_visible(defn, s, answers)]


def display(item, value, lang: str) -> list[str]:
    """Plain-text lines showing one answer (empty list when unanswered), in the form language's locale;
    a bidi control in a free-text answer is shown as a visible mark, never obeyed
    (formengine.render.textsafety)."""
    return [show_bidi_controls(line) for line in formengine.answer_lines(item, value, lang)]


def _answer_order(items) -> list:
    """Items in page order with groups opened (each group right before its items); a repeat
    group stays one item."""
    return [
        each
        for item in items
        for each in ((item, *_answer_order(item.items)) if item.type == "group" else (item,))
    ]


def summary(defn, answers: dict, lang: str, marks=None) -> list[dict]:
    """Visible sections with their visible items and displayed answers, for review and copy.

    A group with a heading gives a row ``{"item", "heading"}`` before its items' rows.

    With ``marks`` (the conversation-only marks), a repeat row also carries ``entry_marks``: per
    entry, the labels of its answers marked "for the conversation only".
    """
    from formengine import is_marked

    marks = list(marks or [])
    out = []
    shown = formengine.prune_hidden(defn, answers)  # cards not ticked, cells after a card ended: out
    for sec in visible_sections(defn, answers):
        rows = []
        for item in _answer_order(sec.items):
            if item.type == "group":  # a heading row over the group's answers (when it has one and shows)
                if item.label and wb.item_visible(defn, item, answers):
                    rows.append({"item": item, "heading": item.label.get(lang)})
                continue
            if item.type == "note" or not wb.item_visible(defn, item, answers):
                continue
            if item.type == "repeat":
                entries, entry_marks = [], []
                for n, entry in enumerate(answers.get(item.id) or []):
                    lines = [
                        (c.label.get(lang), display(c, entry.get(c.id), lang))
                        for c in item.fields
                        if c.type != "note" and wb.item_visible(defn, c, answers, entry)
                    ]
                    entries.append(lines)
                    entry_marks.append(
                        [
                            c.label.get(lang)
                            for c in item.fields
                            if entry.get(c.id) not in (None, "", []) and is_marked(marks, c.id, n, item.id)
                        ]
                    )
                rows.append(
                    {
                        "item": item,
                        "label": item.label.get(lang),
                        "entries": entries,
                        "entry_marks": entry_marks,
                    }
                )
            else:
                rows.append(
                    {
                        "item": item,
                        "label": item.label.get(lang),
                        "lines": display(item, shown.get(item.id), lang),
                    }
                )
        out.append({"section": sec, "title": sec.title.get(lang), "rows": rows})
    return out
