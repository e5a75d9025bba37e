"""Review every answer, submit once (idempotent), the receipt, the relative's own copy, pause."""

from __future__ import annotations

from flask import redirect, render_template, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from .. import access, responses
from ..display import summary
from ..i18n import form_language
from .blueprint import bp, load


@bp.get("/oppsummering")
def review(rid: str):
    response, defn = load(rid)
    lang = form_language(defn)
    from .. import db, promises
    from ..promises import safety_box

    with db.session() as s:
        contact = promises.contact_of(s, rid)
    return render_template(
        "review.html",
        response=response,
        defn=defn,
        lang=lang,
        form=FlaskForm(),
        sections=summary(defn, response.answers or {}, lang, response.conversation_only),
        code=responses.format_code(response.code),
        contact=contact,
        receives=promises.receives(response),
        place=promises.place(response.municipality),
        asks_contact=promises.asks_contact(response),
        safety=safety_box(defn, response.answers or {}, None, response.municipality),
    )


@bp.post("/send")
def submit(rid: str):
    response, defn = load(rid, open_only=False)

    if access.read_only(rid):  # a relative's code for an agreement or a paper form: never submits it
        return redirect(url_for("fill.copy", rid=rid), code=303)
    form = FlaskForm()
    if not form.validate_on_submit():
        return redirect(url_for("fill.review", rid=rid), code=303)
    if response.status == "open":
        from .. import promises

        promises.submit(response, defn)  # alerts and the duty e-mail commit with the submit
    return redirect(url_for("fill.receipt", rid=rid), code=303)


@bp.get("/kvittering")
def receipt(rid: str):
    response, defn = load(rid, open_only=False)
    if response.status != "submitted":
        return redirect(url_for("fill.review", rid=rid), code=303)
    from .. import db, promises
    from ..promises import safety_box

    with db.session() as s:
        contact = promises.contact_of(s, rid)
    receives = promises.receives(response)
    where = promises.place(response.municipality)
    next_step = {
        "receives": receives,
        "place": where.name if where else "",
        "reachable": response.origin in ("invite", "paper") or bool(contact and contact.reachable),
        "expires": promises.code_expires(response),
    }
    return render_template(
        "receipt.html",
        response=response,
        defn=defn,
        lang=form_language(defn),
        next=next_step,
        safety=safety_box(defn, response.answers or {}, None, response.municipality),
        contacts=promises.contacts_for(response, defn),
        code=responses.format_code(response.code),
    )


@bp.get("/kopi")
def copy(rid: str):
    response, defn = load(rid, open_only=False)
    lang = form_language(defn)
    from .. import promises

    return render_template(
        "copy.html",
        response=response,
        defn=defn,
        lang=lang,
        sections=summary(defn, response.answers or {}, lang, response.conversation_only),
        co=set(response.conversation_only or []),
        contacts=promises.contacts_for(response, defn) if response.status == "submitted" else [],
        next_steps=promises.next_steps_text(response) if response.status == "submitted" else "",
    )


@bp.get("/pause")
def pause(rid: str):
    response, defn = load(rid)
    from .. import promises
    from ..promises import safety_box

    return render_template(
        "pause.html",
        response=response,
        defn=defn,
        lang=form_language(defn),
        code=responses.format_code(response.code),
        safety=safety_box(defn, response.answers or {}, None, response.municipality),
        receives=promises.receives(response),
        title=_("Continue later"),
    )
