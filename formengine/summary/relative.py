"""The relative's own copy: their answers in their own words, what happens next, who to contact.

Written for the relative, not for staff: no flags, no staff actions, no scores or charts. Answers
marked "for the conversation only" are included and marked (per repeat entry). ``meta`` may hold
``municipality`` (its name), ``submitted_at``, ``conversation_only`` (the marks; absent: the
definition's defaults) and ``next_steps`` (the text of what happens next, as on the receipt).
"""

from __future__ import annotations

from typing import Any

from formengine.answers.conditions import effective_answers
from formengine.answers.privacy import effective_marks, is_marked
from formengine.definition.model import FormDefinition, Item
from formengine.render.answers import answered
from formengine.render.answers import format_answer as fmt_value
from formengine.summary.context import header
from formengine.summary.strings import strings

TEXTS: dict[str, dict[str, str]] = {
    "nb": {
        "title": "Din kopi",
        "intro": "Dette er svarene du ga, slik du skrev dem. Kopien er til deg.",
        "marked": "bare til samtalen",
        "next": "Hva skjer nå",
        "contacts": "Hvem kan du kontakte",
        "next_default": "Ta kontakt med kommunen hvis du har spørsmål om svarene dine.",
        "help": "Hvis noen er i fare nå: ring 113. Haster det, men er ikke livsfare: legevakten 116 117. "
        "Noen å snakke med: Mental Helses hjelpetelefon 116 123.",
        "entry": "nr.",
        "none": "Du svarte ikke på noen spørsmål.",
    },
    "nn": {
        "title": "Kopien din",
        "intro": "Dette er svara du gav, slik du skreiv dei. Kopien er til deg.",
        "marked": "berre til samtalen",
        "next": "Kva skjer no",
        "contacts": "Kven kan du kontakte",
        "next_default": "Ta kontakt med kommunen om du har spørsmål om svara dine.",
        "help": "Om nokon er i fare no: ring 113. Hastar det, men er ikkje livsfare: legevakta 116 117. "
        "Nokon å snakke med: Mental Helse sin hjelpetelefon 116 123.",
        "entry": "nr.",
        "none": "Du svarte ikkje på nokon spørsmål.",
    },
    "en": {
        "title": "Your copy",
        "intro": "These are the answers you gave, in your own words. This copy is for you.",
        "marked": "for the conversation only",
        "next": "What happens now",
        "contacts": "Who to contact",
        "next_default": "Contact the municipality if you have questions about your answers.",
        "help": "If someone is in danger now: call 113. Urgent but not life-threatening: the emergency room "
        "(legevakt) 116 117. Someone to talk to: Mental Helse's helpline 116 123.",
        "entry": "no.",
        "none": "You did not answer any questions.",
    },
}


def _in_order(items: tuple[Item, ...]) -> list[Item]:
    """Items in form order, each group right before its items (a repeat group stays one item)."""
    return [
        each
        for item in items
        for each in ((item, *_in_order(item.items)) if item.type == "group" else (item,))
    ]


def relative_context(
    defn: FormDefinition, answers: dict[str, Any], *, lang: str = "nb", meta: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Return the template context of the relative's own copy."""
    meta = dict(meta or {})
    texts = TEXTS.get(lang, TEXTS["nb"])
    full = effective_answers(defn, answers)
    marks = effective_marks(defn, answers, meta.get("conversation_only"))
    sections = []
    for section in defn.sections:
        rows = []
        for item in _in_order(section.items):
            value = full.get(item.id)
            if item.type == "group":  # its heading, when one of its answers follows
                if item.label and any(answered(full.get(i.id)) for i in item.fields):
                    rows.append({"label": item.label.get(lang), "heading": True, "marked": False})
                continue
            if item.type == "note" or not answered(value):
                continue
            if item.type == "repeat":
                entries = []
                for n, entry in enumerate(value if isinstance(value, list) else []):
                    lines = [
                        {
                            "label": c.label.get(lang),
                            "text": fmt_value(c, entry.get(c.id), lang),
                            "marked": is_marked(marks, c.id, n, item.id),
                        }
                        for c in item.fields
                        if c.type != "note" and answered(entry.get(c.id))
                    ]
                    if lines:
                        entries.append({"n": n + 1, "lines": lines})
                rows.append({"label": item.label.get(lang), "entries": entries, "marked": False})
            else:
                rows.append(
                    {
                        "label": item.label.get(lang),
                        "text": fmt_value(item, value, lang),
                        "marked": is_marked(marks, item.id),
                    }
                )
        if rows:
            sections.append({"title": section.title.get(lang), "rows": rows})
    t = dict(strings(lang))
    return {
        "lang": lang,
        "t": t,
        "x": texts,
        "head": header(defn, lang, meta, texts["title"]),
        "sections": sections,
        "next_steps": meta.get("next_steps") or texts["next_default"],
        "contacts": [
            {
                "name": c.name.get(lang),
                "phone": c.phone,
                "email": c.email,
                "hours": c.hours.get(lang) if c.hours else "",
            }
            for c in defn.contacts
        ],
    }
