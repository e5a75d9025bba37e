"""Review every answer, submit once (idempotent), the receipt, the relative's own copy, pause."""
from __future__ import annotations

from flask import redirect, render_template, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from .. import responses
from ..display import summary
from ..i18n import form_language
from .blueprint import bp, load


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
