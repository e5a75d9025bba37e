"""Review every answer, submit once (idempotent), the receipt, the relative's own copy, pause."""
from __future__ import annotations

from flask import redirect, render_template, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from formengine.render import wtforms_builder as wb
from formengine.render.textsafety import show_bidi_controls

from . import pages, responses
from .fill import bp, load
from .i18n import form_language


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
    for sec in pages.visible_sections(defn, answers):
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


@bp.get("/oppsummering")
def review(rid: str):
    response, defn = load(rid)
    lang = form_language(defn)
    return render_template("review.html", response=response, defn=defn, lang=lang, form=FlaskForm(),
                           sections=summary(defn, response.answers or {}, lang),
                           code=responses.format_code(response.code))


@bp.post("/send")
def submit(rid: str):
    response, defn = load(rid, open_only=False)
    form = FlaskForm()
    if not form.validate_on_submit():
        return redirect(url_for("fill.review", rid=rid), code=303)
    if response.status == "open":
        responses.submit(rid)
    return redirect(url_for("fill.receipt", rid=rid), code=303)


@bp.get("/kvittering")
def receipt(rid: str):
    response, defn = load(rid, open_only=False)
    if response.status != "submitted":
        return redirect(url_for("fill.review", rid=rid), code=303)
    return render_template("receipt.html", response=response, defn=defn, lang=form_language(defn))


@bp.get("/kopi")
def copy(rid: str):
    response, defn = load(rid, open_only=False)
    lang = form_language(defn)
    return render_template("copy.html", response=response, defn=defn, lang=lang,
                           sections=summary(defn, response.answers or {}, lang),
                           co=set(response.conversation_only or []))


@bp.get("/pause")
def pause(rid: str):
    response, defn = load(rid)
    return render_template("pause.html", response=response, defn=defn, lang=form_language(defn),
                           code=responses.format_code(response.code),
                           title=_("Continue later"))
