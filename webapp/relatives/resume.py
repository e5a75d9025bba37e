"""Ways back in: the invitation link and the short code (rate-limited per address and overall)."""

from __future__ import annotations

import logging

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import StringField

from .. import access, responses
from ..display import visible_sections
from ..errors import render_error
from ..forms_access import definition
from ..security import client_ip

bp = Blueprint("resume", __name__)
log = logging.getLogger("webapp.security")


class CodeForm(FlaskForm):
    code = StringField(
        render_kw={
            "autocomplete": "off",
            "autocapitalize": "characters",
            "spellcheck": "false",
            "maxlength": 12,
        }
    )


@bp.get("/r/<token>")
def link(token: str):
    response = responses.by_token(token)
    if response is None:
        abort(404)
    return _open(response)


def _open(response):
    """Let this session open the response its code or link names, as far as the promise goes."""
    from .. import promises

    if promises.code_expired(response):
        return access.expired_page()
    staff_document = promises.staff_document(response)
    access.grant(response.id, rotate=True, read_only=staff_document)
    if staff_document:
        return redirect(url_for("fill.copy", rid=response.id), code=303)
    return redirect(next_url(response), code=303)


@bp.route("/fortsett", methods=["GET", "POST"])
def code():
    form = CodeForm()
    error = None
    if form.validate_on_submit():
        response, blocked = responses.try_code(client_ip(), form.code.data or "")
        if response is not None:
            return _open(response)
        if blocked == "everyone-now":  # this wrong code closed the door: raise the alarm once
            log.warning(
                "short-code guessing from many addresses: %d wrong codes within %d minutes; "
                "codes are refused for everyone until the window has passed "
                "(invitation links still work)",
                current_app.config["CODE_GLOBAL_MAX_FAILURES"],
                current_app.config["CODE_WINDOW_MINUTES"],
            )
            return _refused("everyone")
        if blocked:
            return _refused(blocked)
        error = _("We found no form with that code. Check the code and try again.")
    elif request.method == "POST":
        error = _("The page had expired. Try again.")
    return render_template("resume.html", form=form, error=error), (200 if error is None else 400)


def _refused(why: str):
    """429: this address is paused, or (guessing from many addresses) the code door is closed."""
    if why == "address":
        return render_error(429)
    return render_error(
        429,
        _("Continuing with a code is paused"),
        _(
            "Many wrong codes have been tried, so for everyone's safety codes are paused "
            "for a while. If you have a link from the municipality, use it. Otherwise try "
            "again later, or ask the municipality for a link. Your saved answers are not lost."
        ),
    )


def next_url(response) -> str:
    """Where a relative coming back should land."""
    if response.status == "submitted":
        return url_for("fill.receipt", rid=response.id)
    if response.consent_at is None:
        return url_for("fill.consent", rid=response.id)
    if not response.answers:
        return url_for("fill.first", rid=response.id)
    defn = definition(response.form_id, response.form_version)
    for section in visible_sections(defn, response.answers):
        if not any(item.id in response.answers for item in section.fields):
            # continue where the relative left off: the first page without any answer
            return url_for("fill.section", rid=response.id, section_id=section.id)
    return url_for("fill.review", rid=response.id)
