"""Invitations (link + short code), paper answers typed in by staff, and re-assessment."""

from __future__ import annotations

from flask import abort, current_app, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import update
from wtforms.fields.choices import SelectChoice

from formengine import check_value, prefill_answers, prefill_source

from .. import access, db, responses
from ..db import Response, utcnow
from ..forms_access import registry
from ..i18n import form_language
from ..promises import ContactDetails
from . import audit, cases, messages
from .auth import bp, current_user, requires
from .forms import InviteForm

ASSESSMENT_KINDS = ("assessment", "followup")


def invitable_forms() -> list:
    """Active assessment and follow-up forms: national ones and my municipality's own variants."""
    user = current_user()
    return [
        d
        for d in registry().active_forms()
        if d.kind in ASSESSMENT_KINDS and (d.municipality is None or d.municipality.id == user.municipality)
    ]


def _invite_form() -> InviteForm:
    form = InviteForm()
    form.form_id.choices = [
        SelectChoice(d.id, f"{d.title.get(form_language(d))} ({d.version})") for d in invitable_forms()
    ]
    return form


def _chosen(form: InviteForm):
    defn = registry().latest_active(form.form_id.data)
    if defn is None or defn.id not in {d.id for d in invitable_forms()}:
        abort(400)
    return defn


def link_for(token: str) -> str:
    return current_app.config["BASE_URL"].rstrip("/") + url_for("resume.link", token=token)


@bp.route("/invitasjon", methods=["GET", "POST"])
@requires("cases")
def invite():
    """Create an invitation with the same function as ``flask invite``; show its link and code once."""
    form = _invite_form()
    if not form.validate_on_submit():
        return render_template("staff/invite.html", form=form, title=_("New invitation")), (
            400 if form.errors else 200
        )
    user = current_user()
    created = responses.create_response(
        _chosen(form),
        origin="invite",
        lang=form.lang.data,
        municipality=user.municipality,
        case_ref=form.case_ref.data or None,
        with_token=True,
    )
    email, phone = (form.email.data or "").strip(), messages.normal_phone(form.phone.data or "")
    sent: list[str] = []
    with db.session() as s:
        if email or phone:
            s.add(ContactDetails(response_id=created.response.id, email=email, phone=phone, channel="invite"))
            sent = messages.queue_invitation(s, created.response, link_for(created.token), email, phone)
        audit.record(s, user, "invite", created.response.id, detail=f"sent={'+'.join(sent) or '-'}")
        s.commit()
    return _created_page(created, sent=sent, email=email, phone=phone)


def _created_page(
    created, *, reassessment: bool = False, sent: list[str] | None = None, email: str = "", phone: str = ""
):
    return render_template(
        "staff/invited.html",
        r=created.response,
        link=link_for(created.token),
        code=responses.format_code(created.response.code),
        reassessment=reassessment,
        sent=sent or [],
        email=email,
        phone=phone,
        title=_("Invitation created"),
    )


@bp.route("/papir", methods=["GET", "POST"])
@requires("cases")
def paper():
    """Type in an answer given on paper: a response with origin "paper", filled through the section pages."""
    form = _invite_form()
    if not form.validate_on_submit():
        return render_template("staff/paper.html", form=form, title=_("Type in a paper form")), (
            400 if form.errors else 200
        )
    user = current_user()
    created = responses.create_response(
        _chosen(form),
        origin="paper",
        lang=form.lang.data,
        municipality=user.municipality,
        case_ref=form.case_ref.data or None,
    )
    rid = created.response.id
    with db.session() as s:
        # the relative consented on paper; the staff member goes straight to the questions
        s.execute(update(Response).where(Response.id == rid).values(consent_at=utcnow()))
        audit.record(s, user, "paper", rid)
        s.commit()
    access.grant(rid)
    return redirect(url_for("fill.first", rid=rid), code=303)


def carry_over(defn, answers: dict, old_defn=None) -> dict:
    """Previous answers that still fit the (possibly newer) form version.

    When the new version declares a ``prefill:`` mapping for the old one (a new major version),
    only that mapping is used: an id that merely looks the same may mean something else.
    """
    if old_defn is not None and prefill_source(defn, old_defn) is not None:
        return prefill_answers(defn, old_defn, answers or {})
    items = {i.id: i for sec in defn.sections for i in sec.fields if i.type != "note"}
    return {k: v for k, v in (answers or {}).items() if k in items and not check_value(items[k], v)}


def carried_marks(defn, old_defn, marks: list, carried: dict) -> list:
    """The "for the conversation only" marks that follow the answers into the new version."""
    mapping = prefill_source(defn, old_defn) if old_defn is not None else None
    if mapping is None:
        return [i for i in marks or [] if i in carried]
    moved = {new.partition(".")[0] for old, new in mapping.map if old.partition(".")[0] in set(marks or [])}
    return sorted(i for i in moved if i in carried)


@bp.post("/a/<rid>/ny-kartlegging")
@requires("cases")
def reassess(rid: str):
    """Start a re-assessment: a new invitation pre-filled with the previous answers."""
    from flask_wtf import FlaskForm

    if not FlaskForm().validate_on_submit():
        abort(400)
    user = current_user()
    with db.session() as s:
        old = cases.own_response(s, rid)
    if old.status != "submitted":
        abort(404)
    defn = registry().latest_active(old.form_id)
    if defn is None:
        abort(404)
    created = responses.create_response(
        defn,
        origin="invite",
        lang=old.lang,
        municipality=user.municipality,
        case_ref=old.case_ref,
        with_token=True,
    )
    try:
        old_defn = registry().get(old.form_id, old.form_version)
    except (KeyError, LookupError):  # an old version no longer loaded: carry what still fits
        old_defn = None
    carried = carry_over(defn, old.answers or {}, old_defn)
    with db.session() as s:
        s.execute(
            update(Response)
            .where(Response.id == created.response.id)
            .values(
                previous_id=old.id,
                answers=carried,
                conversation_only=carried_marks(defn, old_defn, old.conversation_only, carried),
            )
        )
        audit.record(s, user, "reassess", created.response.id, detail=f"previous={old.id}")
        s.commit()
    return _created_page(created, reassessment=True)
