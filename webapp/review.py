"""Review every answer, submit once (idempotent), the receipt, the relative's own copy, pause."""
from __future__ import annotations

from flask import redirect, render_template, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from formengine.render import wtforms_builder as wb

from . import pages, responses
from .fill import bp, load
from .i18n import form_language


def display(item, value, lang: str) -> list[str]:
    """Plain-text lines showing one answer (empty list when unanswered)."""
    if value is None or value == [] or value == {} or value == "":
        return []
    labels = {o.value: o.label.get(lang) for o in wb.options_for(item)}
    if item.type == "matrix":
        return [f"{row.label.get(lang)}: {labels.get(value[row.id], value[row.id])}"
                for row in item.rows if row.id in value]
    if item.type == "cards":
        from formengine.summary.values import card_lines

        return card_lines(item, value, lang)
    if item.type == "repeat":
        return [", ".join(line for child in item.items for line in display(child, (entry or {}).get(child.id), lang))
                or "–" for entry in value]
    if item.type == "priority":
        return [f"{n}. {labels.get(v, v)}" for n, v in enumerate(value, 1)]
    if isinstance(value, list):
        return [labels.get(v, str(v)) for v in value]
    if item.type == "number":
        unit = item.unit.get(lang) if item.unit else ""
        from flask_babel import format_decimal

        return [f"{format_decimal(value)} {unit}".strip()]
    if item.type == "date":
        import datetime as dt

        from flask_babel import format_date

        try:
            return [format_date(dt.date.fromisoformat(value), "long")]
        except ValueError:
            return [str(value)]
    return [labels.get(value, str(value))]


def summary(defn, answers: dict, lang: str, marks=None) -> list[dict]:
    """Visible sections with their visible items and displayed answers, for review and copy.

    With ``marks`` (the conversation-only marks), a repeat row also carries ``entry_marks``: per
    entry, the labels of its answers marked "for the conversation only".
    """
    from formengine.answers.privacy import is_marked

    marks = list(marks or [])
    out = []
    from formengine.answers.conditions import effective_answers

    shown = effective_answers(defn, answers)  # cards not ticked and cells after a card ended are left out
    for sec in pages.visible_sections(defn, answers):
        rows = []
        for item in sec.items:
            if item.type == "note" or not wb.item_visible(defn, item, answers):
                continue
            if item.type == "repeat":
                entries, entry_marks = [], []
                for n, entry in enumerate(answers.get(item.id) or []):
                    lines = [(c.label.get(lang), display(c, entry.get(c.id), lang)) for c in item.items
                             if c.type != "note" and wb.item_visible(defn, c, answers, entry)]
                    entries.append(lines)
                    entry_marks.append([c.label.get(lang) for c in item.items
                                        if entry.get(c.id) not in (None, "", []) and is_marked(marks, c.id, n, item.id)])
                rows.append({"item": item, "label": item.label.get(lang), "entries": entries,
                             "entry_marks": entry_marks})
            else:
                rows.append({"item": item, "label": item.label.get(lang),
                             "lines": display(item, shown.get(item.id), lang)})
        out.append({"section": sec, "title": sec.title.get(lang), "rows": rows})
    return out


@bp.get("/oppsummering")
def review(rid: str):
    response, defn = load(rid)
    lang = form_language(defn)
    from . import db, promises
    from .fill import safety_box

    with db.session() as s:
        contact = promises.contact_of(s, rid)
    return render_template("review.html", response=response, defn=defn, lang=lang, form=FlaskForm(),
                           sections=summary(defn, response.answers or {}, lang, response.conversation_only),
                           code=responses.format_code(response.code), contact=contact,
                           receives=promises.receives(response), place=promises.place(response.municipality),
                           safety=safety_box(defn, response.answers or {}))


@bp.post("/send")
def submit(rid: str):
    response, defn = load(rid, open_only=False)
    form = FlaskForm()
    if not form.validate_on_submit():
        return redirect(url_for("fill.review", rid=rid), code=303)
    if response.status == "open":
        from . import promises

        promises.submit(response, defn)  # alerts and the duty e-mail commit with the submit
    return redirect(url_for("fill.receipt", rid=rid), code=303)


@bp.get("/kvittering")
def receipt(rid: str):
    response, defn = load(rid, open_only=False)
    if response.status != "submitted":
        return redirect(url_for("fill.review", rid=rid), code=303)
    from . import db, promises
    from .fill import safety_box

    with db.session() as s:
        contact = promises.contact_of(s, rid)
    receives = promises.receives(response)
    where = promises.place(response.municipality)
    next_step = {"receives": receives, "place": where.name if where else "",
                 "reachable": response.origin in ("invite", "paper") or bool(contact and contact.reachable),
                 "expires": promises.code_expires(response)}
    return render_template("receipt.html", response=response, defn=defn, lang=form_language(defn),
                           next=next_step, safety=safety_box(defn, response.answers or {}))


@bp.get("/kopi")
def copy(rid: str):
    response, defn = load(rid, open_only=False)
    lang = form_language(defn)
    from . import promises

    return render_template("copy.html", response=response, defn=defn, lang=lang,
                           sections=summary(defn, response.answers or {}, lang, response.conversation_only),
                           co=set(response.conversation_only or []),
                           next_steps=promises.next_steps_text(response) if response.status == "submitted" else "")


@bp.get("/pause")
def pause(rid: str):
    response, defn = load(rid)
    return render_template("pause.html", response=response, defn=defn, lang=form_language(defn),
                           code=responses.format_code(response.code),
                           title=_("Continue later"))
