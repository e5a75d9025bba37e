"""The relative's pages that keep a promise: who gets the answers, how to reach me, the own copy."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import update
from wtforms import BooleanField, EmailField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional, Regexp

from .. import db, forms_access, promises
from ..db import Response
from ..display import visible_sections
from ..i18n import form_language
from ..promises import safety_box
from .blueprint import load

bp = Blueprint("promises", __name__, url_prefix="/svar/<rid>")

PRIVATE = promises.PRIVATE


def places() -> list:
    """Municipalities that use the app (they publish a variant), by name."""
    return forms_access.municipalities()


class ContactForm(FlaskForm):
    name = StringField(
        _l("Your name"), validators=[Optional(), Length(max=120)], render_kw={"autocomplete": "name"}
    )
    phone = StringField(
        _l("Phone number"),
        validators=[
            Optional(),
            Length(max=40),
            Regexp(
                r"^[0-9 +()-]{5,40}$",
                message=_l("Write the phone number with digits, for example 912 34 567."),
            ),
        ],
        render_kw={"autocomplete": "tel", "inputmode": "tel", "type": "tel"},
    )
    email = EmailField(
        _l("E-mail address"),
        validators=[
            Optional(),
            Length(max=254),
            Regexp(
                r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("Write the e-mail address like name@example.no.")
            ),
        ],
        render_kw={"autocomplete": "email", "spellcheck": "false"},
    )
    best_time = StringField(
        _l("When is it best to reach you?"),
        validators=[Optional(), Length(max=120)],
        description=_l("For example: weekdays after 3 pm"),
    )
    channel = RadioField(
        _l("How do you want us to contact you?"),
        validators=[Optional()],
        choices=[
            SelectChoice("phone", _l("Call me")),
            SelectChoice("sms", _l("Send a text message")),
            SelectChoice("email", _l("Send an e-mail")),
            SelectChoice("any", _l("Any of these is fine")),
        ],
    )
    interpreter = BooleanField(_l("I need an interpreter"))
    interpreter_language = StringField(
        _l("Language for the interpreter"), validators=[Optional(), Length(max=60)]
    )


@bp.route("/hvem", methods=["GET", "POST"])
def choose(rid: str):
    """Who receives the answers: a municipality that uses the app, or nobody ("just for me")."""
    response, defn = load(rid)
    if response.origin not in ("self", PRIVATE) or defn.municipality is not None:
        return redirect(url_for("fill.first", rid=rid), code=303)
    known = {m.id: m for m in places()}
    error = None
    if request.method == "POST":
        if not FlaskForm().validate_on_submit():
            abort(400)
        where = request.form.get("where", "")
        if where == PRIVATE or where in known:
            with db.session() as s:
                s.execute(
                    update(Response)
                    .where(Response.id == rid, Response.status == "open")
                    .values(
                        municipality=None if where == PRIVATE else where,
                        origin=PRIVATE if where == PRIVATE else "self",
                    )
                )
                s.commit()
            return redirect(url_for("fill.first", rid=rid), code=303)
        error = _("Choose a municipality, or choose “Just for me”.")
    current = PRIVATE if response.origin == PRIVATE else (response.municipality or "")
    return render_template(
        "choose.html",
        response=response,
        defn=defn,
        lang=form_language(defn),
        places=list(known.values()),
        current=current,
        error=error,
        form=FlaskForm(),
    ), (400 if error else 200)


@bp.route("/kontakt", methods=["GET", "POST"])
def contact(rid: str):
    """How to reach the relative; kept apart from the answers, seen only by that municipality."""
    response, defn = load(rid)
    if not promises.asks_contact(response):
        return redirect(url_for("fill.review", rid=rid), code=303)
    with db.session() as s:
        stored = promises.contact_of(s, rid)
    form = ContactForm(obj=stored)
    if form.validate_on_submit():
        promises.save_contact(rid, form.data)
        if request.form.get("_nav") == "back":  # saved, then back to the last part of the form
            last = visible_sections(defn, response.answers or {})[-1:]
            if last:
                return redirect(url_for("fill.section", rid=rid, section_id=last[0].id), code=303)
        return redirect(url_for("fill.review", rid=rid), code=303)
    lang = form_language(defn)
    return render_template(
        "contact.html",
        response=response,
        defn=defn,
        lang=lang,
        form=form,
        place=promises.place(response.municipality),
        safety=safety_box(defn, response.answers or {}, None, response.municipality),
    ), (400 if form.errors else 200)
