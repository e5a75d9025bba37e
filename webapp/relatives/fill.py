"""Filling in: consent, then one section per page (saved on every page), server-side conditions."""

from __future__ import annotations

import json

from flask import abort, redirect, render_template, request, session, url_for
from flask_wtf import FlaskForm

from formengine import effective_answers, entry_mark, parse_mark, recalculate
from formengine.render import wtforms_builder as wb

from .. import responses
from ..display import display, section_visible, visible_sections
from ..i18n import UI_LANGUAGES, form_language
from ..promises import safety_box
from . import pages
from .blueprint import bp, load
from .time_estimate import time_left


@bp.route("/om", methods=["GET", "POST"])
def consent(rid: str):
    response, defn = load(rid)
    form = FlaskForm()
    if form.validate_on_submit():
        responses.record_consent(rid)
        return redirect(url_for("fill.first", rid=rid), code=303)
    return render_template(
        "consent.html",
        response=response,
        defn=defn,
        lang=form_language(defn),
        code=responses.format_code(response.code),
    )


@bp.get("/start")
def first(rid: str):
    response, defn = load(rid)
    if response.consent_at is None:
        return redirect(url_for("fill.consent", rid=rid), code=303)
    from .. import promises

    if promises.needs_choice(response, defn):
        return redirect(url_for("promises.choose", rid=rid), code=303)
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
    return _render(
        response,
        defn,
        sec,
        lang,
        form,
        stored,
        more=bool(request.args.get("mer")),
        new=[i for i in request.args.get("mer", "").split(",") if i],
        confirm_remove=request.args.get("fjern"),
    )


def _save_section(response, defn, sec, lang):
    form = pages.form_class(defn, sec, lang, pages.posted_sizes(sec, request.form))()
    if not form.csrf_token.validate(form):
        abort(400)
    for _attempt in range(3):
        stored = dict(response.answers or {})
        page = {i.id: wb.answer_of(i, form[i.id]) for i in sec.fields if i.id in form._fields}
        ok = wb.validate_section(
            form, defn, sec, {**stored, **{k: v for k, v in page.items() if v is not None}}, lang
        )
        page = wb.section_answers(form, sec, stored)
        remove = request.form.get("_remove_confirmed")  # "Remove" asks first (see _after_save)
        anchor = pages.apply_repeat_action(sec, page, request.form.get("_add"), remove)
        base = _base_prints()
        merged = pages.merge(sec, stored, page, base)
        marks = _conversation_only(response, sec, remove, base.get("_co"))
        if merged.conflicts:
            # not the posted form: it still holds this tab's stale view of the questions it did
            # not change, and keeping it would erase what the other tab saved
            shown = merged.shown()
            form = pages.form_class(defn, sec, lang, shown)(formdata=None, data=wb.initial_data(sec, shown))
            return _render(
                response, defn, sec, lang, form, shown, conflicts=merged.conflicts, status=409, marks=marks
            )
        answers = recalculate(defn, merged.answers)  # calculated items: the server's value, always
        revision = responses.save(response.id, response.revision, answers, marks)
        if revision is not None:
            break
        response = responses.get(response.id)
    else:
        abort(409)
    return _after_save(response, defn, sec, lang, form, answers, ok, anchor)


def _after_save(response, defn, sec, lang, form, answers, ok, anchor):
    rid = response.id
    new_lang = request.form.get("_lang")
    if new_lang in UI_LANGUAGES:
        session["lang"] = new_lang
        responses.set_language(rid, new_lang)
        return redirect(url_for("fill.section", rid=rid, section_id=sec.id), code=303)
    if anchor:
        return redirect(url_for("fill.section", rid=rid, section_id=sec.id) + "#" + anchor, code=303)
    removing = pages.repeat_entry(sec, answers, request.form.get("_remove"))
    if removing:  # ask first: the page is saved, the entry stays until the relative confirms
        return redirect(
            url_for("fill.section", rid=rid, section_id=sec.id, fjern=removing)
            + "#"
            + removing.replace(":", "-")
            + "-confirm",
            code=303,
        )
    kept = pages.repeat_entry(sec, answers, request.form.get("_keep"))
    if kept:
        return redirect(
            url_for("fill.section", rid=rid, section_id=sec.id) + "#" + kept.replace(":", "-"), code=303
        )
    if not ok:
        response = responses.get(rid)
        return _render(response, defn, sec, lang, form, answers, status=400)
    nav = request.form.get("_nav", "next")
    shown = set(filter(None, request.form.get("_shown", "").split(",")))
    opened = pages.visible_ids(defn, sec, answers) - shown if section_visible(defn, sec, answers) else set()
    # a branch opened questions on this page: name them and move focus to the first before
    # moving on (works without JavaScript: the fragment focuses it); a note alone asks nothing
    new = pages.opened_questions(defn, sec, opened, lang) if opened and nav not in ("review", "pause") else []
    if new:
        return redirect(
            url_for("fill.section", rid=rid, section_id=sec.id, mer=",".join(k for k, _a, _l in new))
            + "#"
            + new[0][1],
            code=303,
        )
    before, after = pages.neighbours(defn, sec, answers)
    if nav == "pause":
        return redirect(url_for("fill.pause", rid=rid), code=303)
    if nav == "back":
        target = (
            url_for("fill.section", rid=rid, section_id=before.id)
            if before
            else url_for("fill.consent", rid=rid)
        )
    elif after is None:
        from .. import promises

        target = (
            url_for("promises.contact", rid=rid)
            if promises.asks_contact(response)
            else url_for("fill.review", rid=rid)
        )
    elif nav == "review":
        target = url_for("fill.review", rid=rid)
    else:
        target = url_for("fill.section", rid=rid, section_id=after.id)
    box = safety_box(defn, answers, sec)
    seen = request.form.get("_safety_seen") == "1"  # the live box was showing (JavaScript) as they saved
    if box["rule"] and box["raised"] and nav != "pause" and not seen:
        target += ("&" if "?" in target else "?") + "trygg=1"  # show what to do now, also without JS
    return redirect(target, code=303)


def _base_prints() -> dict:
    try:
        value = json.loads(request.form.get("_base", "{}"))
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _conversation_only(response, sec, remove: str | None = None, base=None) -> list:
    """The marks after this page: other pages' marks kept, this page's taken from the form
    (merged with those saved elsewhere since the page was shown, when ``base`` lists its marks).

    A repeat child is marked per entry (``ITEM[N].CHILD``), so marking person 2 leaves
    person 1 alone; removing an entry drops its marks and moves the later entries' marks up.
    """
    offered = {i.id for i in sec.fields if i.conversation_only}
    children = {(i.id, c.id) for i in sec.fields for c in i.fields if c.conversation_only}

    def on_page(mark: str) -> bool:
        parsed = parse_mark(mark)
        return (
            mark in offered
            or (parsed.item, parsed.child) in children
            or parsed.item in {g for g, _ in children}
        )

    kept = [m for m in response.conversation_only or [] if not on_page(m)]
    posted = [
        m
        for m in request.form.getlist("_co")
        if m in offered
        or (parse_mark(m).index is not None and (parse_mark(m).item, parse_mark(m).child) in children)
    ]
    if isinstance(base, list):  # another tab's marks on this page stay unless this one unticked them
        mine = [m for m in response.conversation_only or [] if on_page(m)]
        posted = pages.merge_marks(mine, posted, [m for m in base if isinstance(m, str) and on_page(m)])
    if remove and ":" in remove:
        group, _, index = remove.partition(":")
        if index.isascii() and index.isdigit() and len(index) <= 4:  # never int() of thousands of digits
            posted = _shift_marks(posted, group, int(index))
    return kept + posted


def _shift_marks(marks: list, group: str, removed: int) -> list:
    out = []
    for mark in marks:
        parsed = parse_mark(mark)
        if parsed.item != group or parsed.index is None:
            out.append(mark)
        elif parsed.index > removed:
            out.append(entry_mark(group, parsed.index - 1, parsed.child or ""))
        elif parsed.index < removed:
            out.append(mark)
    return out


def _render(
    response,
    defn,
    sec,
    lang,
    form,
    answers,
    *,
    conflicts=(),
    status=200,
    more=False,
    new=(),
    confirm_remove=None,
    marks=None,
):
    if marks is None:  # the conflict page passes the merged marks; else what is saved
        marks = response.conversation_only or []
    visible = visible_sections(defn, answers)
    ids = [s.id for s in visible]
    position = ids.index(sec.id) + 1 if sec.id in ids else None
    left = time_left(defn, lang, ids[position - 1 :] if position else [], answers)
    errors = _error_list(form, sec) if status == 400 else []
    view = {
        "visible": pages.visible_ids(defn, sec, answers),
        "entry_visible": lambda item, entry: wb.item_visible(defn, item, answers, entry),
        # marks are per entry of a repeat group on the page, not per entry of a repeat inside it
        "markable": lambda item: item.parent is None or defn.item(item.parent).parent is None,
        "co": set(marks),
        "lang": lang,
        "options": wb.options_for,
        "layout": lambda options, grouped=(), multiple=False: wb.choice_layout(
            options, lang, grouped=bool(grouped), multiple=bool(multiple)
        ),
        "marked": _marked_view(marks),
        "safety": safety_box(defn, answers, sec, response.municipality),
        "receives": _receives(response),
        "answers": answers,
        "max_length": wb.max_length,
        "confirm_remove": confirm_remove,
        "outside": pages.answers_from_other_pages(sec, answers),
        # read-only items show their answer; calculated ones what they compute from these answers
        "computed": effective_answers(defn, answers) if any(i.read_only for i in sec.items) else {},
        "display": display,
        "calc": any(i.calculated is not None and not i.calculated.is_fhirpath for i in _every(sec.items)),
        "priority": any(i.type == "priority" for i in _every(sec.items)),
    }
    visible_now = view["visible"]
    new_items = pages.opened_questions(defn, sec, set(new) & visible_now, lang)
    view["new"] = {key for key, _anchor, _label in new_items}
    view["new_cards"] = {key.rsplit(".", 1)[0] for key in view["new"] if key.count(".") == 2}
    before, _after = pages.neighbours(defn, sec, answers)
    if conflicts:
        conflicts = [
            {
                "item": c.item,
                "saved_text": "; ".join(display(c.item, c.saved, lang)) or "–",
                "mine_text": "; ".join(display(c.item, c.mine, lang)) or "–",
            }
            for c in conflicts
        ]
    return render_template(
        "section.html",
        response=response,
        defn=defn,
        section=sec,
        form=form,
        view=view,
        position=position,
        total=len(visible),
        time_left=left,
        new_items=new_items,
        errors=errors,
        conflicts=conflicts,
        more=more,
        base=pages.fingerprints(sec, response.answers or {}, response.conversation_only or []),
        has_before=before is not None,
        code=responses.format_code(response.code),
    ), status


def _marked_view(marks):
    """Is the box "for the conversation only" ticked for this answer (``n``: the repeat entry)?"""
    marks = set(marks or [])

    def marked(item, n=None, entry=None) -> bool:
        if item.parent is None or n is None:
            return item.id in marks
        if entry_mark(item.parent, n, item.id) in marks:
            return True
        # a new entry's answer starts marked when the item says conversation_only: default
        return item.conversation_only_default and not (entry or {}).get(item.id)

    return marked


def _receives(response) -> bool:
    from .. import promises

    return promises.receives(response)


def _error_list(form, sec) -> list[tuple[str, str]]:
    """(anchor id, message) for the error summary, in page order."""
    out = []
    for item in sec.fields:
        if item.id not in form._fields:
            continue
        field = form[item.id]
        if item.type == "repeat":
            out.extend(_entry_errors(item, field))
        elif item.type == "cards":
            out.extend(wb.card_errors(field))
        elif item.type != "matrix" and field.errors:
            out.append((_anchor(item, field), field.errors[0]))
    return out


def _entry_errors(group, field) -> list[tuple[str, str]]:
    """(anchor, message) for the answers with an error in a repeat group's entries, at any depth."""
    out = []
    for entry in field:
        for child in group.fields:
            if child.id not in entry.form._fields:
                continue
            if child.type == "repeat":
                out.extend(_entry_errors(child, entry.form[child.id]))
            elif entry.form[child.id].errors:
                out.append((_anchor(child, entry.form[child.id]), entry.form[child.id].errors[0]))
    return out


def _anchor(item, field) -> str:
    if item.type in wb.CHOICE_TYPES or item.type in wb.LIST_CHOICE_TYPES:
        return f"{field.id}-0"
    return field.id


def _every(items):
    """Every item at any depth (the items of groups and repeat groups too)."""
    for item in items:
        yield item
        yield from _every(item.items or ())
