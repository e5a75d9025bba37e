"""Filling in: consent, then one section per page (saved on every page), server-side conditions."""
from __future__ import annotations

import json

from flask import abort, redirect, render_template, request, session, url_for
from flask_wtf import FlaskForm

from formengine.render import wtforms_builder as wb

from .. import responses
from ..display import display, section_visible, visible_sections
from ..i18n import UI_LANGUAGES, form_language
from . import pages
from .blueprint import bp, load


@bp.route("/om", methods=["GET", "POST"])
def consent(rid: str):
    response, defn = load(rid)
    form = FlaskForm()
    if form.validate_on_submit():
        responses.record_consent(rid)
        return redirect(url_for("fill.first", rid=rid), code=303)
    return render_template("consent.html", response=response, defn=defn, lang=form_language(defn),
                           code=responses.format_code(response.code))


@bp.get("/start")
def first(rid: str):
    response, defn = load(rid)
    if response.consent_at is None:
        return redirect(url_for("fill.consent", rid=rid), code=303)
    visible = visible_sections(defn, response.answers)
    if not visible:
        return redirect(url_for("fill.review", rid=rid), code=303)
    return redirect(url_for("fill.section", rid=rid, section_id=visible[0].id), code=303)


@bp.route("/del/<section_id>", methods=["GET", "POST"])
def section(rid: str, section_id: str):
    response, defn = load(rid)
    if response.consent_at is None:
        return redirect(url_for("fill.consent", rid=rid), code=303)
    try:
        sec = defn.section(section_id)
    except KeyError:
        abort(404)
    lang = form_language(defn)
    if request.method == "POST":
        return _save_section(response, defn, sec, lang)
    stored = response.answers or {}
    form = pages.form_class(defn, sec, lang, stored)(formdata=None, data=wb.initial_data(sec, stored))
    return _render(response, defn, sec, lang, form, stored, more=bool(request.args.get("mer")))


def _save_section(response, defn, sec, lang):
    form = pages.form_class(defn, sec, lang, response.answers or {})()
    if not form.csrf_token.validate(form):
        abort(400)
    for _attempt in range(3):
        stored = dict(response.answers or {})
        page = {i.id: wb.answer_of(i, form[i.id]) for i in sec.items if i.id in form._fields}
        ok = wb.validate_section(form, defn, sec, {**stored, **{k: v for k, v in page.items()
                                                                if v is not None}}, lang)
        page = wb.section_answers(form, sec, stored)
        anchor = pages.apply_repeat_action(sec, page, request.form.get("_add"), request.form.get("_remove"))
        merged = pages.merge(sec, stored, page, _base_prints())
        if merged.conflicts:
            return _render(response, defn, sec, lang, form, merged.answers, conflicts=merged.conflicts,
                           status=409)
        revision = responses.save(response.id, response.revision, merged.answers,
                                  _conversation_only(response, sec))
        if revision is not None:
            break
        response = responses.get(response.id)
    else:
        abort(409)
    return _after_save(response, defn, sec, lang, form, merged.answers, ok, anchor)


def _after_save(response, defn, sec, lang, form, answers, ok, anchor):
    rid = response.id
    new_lang = request.form.get("_lang")
    if new_lang in UI_LANGUAGES:
        session["lang"] = new_lang
        responses.set_language(rid, new_lang)
        return redirect(url_for("fill.section", rid=rid, section_id=sec.id), code=303)
    if anchor:
        return redirect(url_for("fill.section", rid=rid, section_id=sec.id) + "#" + anchor, code=303)
    if not ok:
        response = responses.get(rid)
        return _render(response, defn, sec, lang, form, answers, status=400)
    shown = set(filter(None, request.form.get("_shown", "").split(",")))
    if section_visible(defn, sec, answers) and pages.visible_ids(defn, sec, answers) - shown:
        # a branch opened on this page: show the new questions before moving on (works without JS)
        return redirect(url_for("fill.section", rid=rid, section_id=sec.id, mer=1), code=303)
    before, after = pages.neighbours(defn, sec, answers)
    nav = request.form.get("_nav", "next")
    if nav == "pause":
        return redirect(url_for("fill.pause", rid=rid), code=303)
    if nav == "back":
        target = url_for("fill.section", rid=rid, section_id=before.id) if before else url_for(
            "fill.consent", rid=rid)
    elif nav == "review" or after is None:
        target = url_for("fill.review", rid=rid)
    else:
        target = url_for("fill.section", rid=rid, section_id=after.id)
    return redirect(target, code=303)


def _base_prints() -> dict:
    try:
        value = json.loads(request.form.get("_base", "{}"))
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _conversation_only(response, sec) -> list:
    offered = {i.id for i in sec.items if i.conversation_only}
    offered |= {c.id for i in sec.items for c in i.items if c.conversation_only}  # repeat children
    kept = [i for i in response.conversation_only or [] if i not in offered]
    return kept + [i for i in request.form.getlist("_co") if i in offered]


def _render(response, defn, sec, lang, form, answers, *, conflicts=(), status=200, more=False):
    visible = visible_sections(defn, answers)
    ids = [s.id for s in visible]
    position = ids.index(sec.id) + 1 if sec.id in ids else None
    errors = _error_list(form, sec) if status == 400 else []
    view = {
        "visible": pages.visible_ids(defn, sec, answers),
        "entry_visible": lambda item, entry: wb.item_visible(defn, item, answers, entry),
        "co": set(response.conversation_only or []), "lang": lang, "options": wb.options_for,
        "answers": answers,
    }
    before, _after = pages.neighbours(defn, sec, answers)
    if conflicts:
        conflicts = [{"item": c.item, "saved_text": "; ".join(display(c.item, c.saved, lang)) or "–",
                      "mine_text": "; ".join(display(c.item, c.mine, lang)) or "–"} for c in conflicts]
    return render_template(
        "section.html", response=response, defn=defn, section=sec, form=form, view=view,
        position=position, total=len(visible), errors=errors, conflicts=conflicts, more=more,
        base=pages.fingerprints(sec, response.answers or {}),
        has_before=before is not None, code=responses.format_code(response.code),
    ), status


def _error_list(form, sec) -> list[tuple[str, str]]:
    """(anchor id, message) for the error summary, in page order."""
    out = []
    for item in sec.items:
        if item.id not in form._fields:
            continue
        field = form[item.id]
        if item.type == "repeat":
            for n, entry in enumerate(field):
                for child in item.items:
                    if child.id in entry.form._fields and entry.form[child.id].errors:
                        out.append((_anchor(child, entry.form[child.id]), entry.form[child.id].errors[0]))
        elif item.type != "matrix" and field.errors:
            out.append((_anchor(item, field), field.errors[0]))
    return out


def _anchor(item, field) -> str:
    if item.type in wb.CHOICE_TYPES or item.type in ("multi_choice", "priority"):
        return f"{field.id}-0"
    return field.id

