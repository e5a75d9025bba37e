"""Promises the app makes to a relative, kept: contact details, safety help, staff alerts.

- Contact details live in their own table (``contact_details``), apart from the answers: only
  staff of the response's municipality see them, no export or statistic reads them, and
  ``flask purge`` deletes them with the response.
- A flag is a *safety* flag when the form says ``safety: true`` (for form versions published
  before that key existed, the setting ``SAFETY_FLAGS`` names them). When one is raised the
  relative sees what to do now: 113, legevakt 116 117, the municipality's crisis contacts
  (``crisis: true`` in its variant) and helplines.
- At submit, every raised flag that alerts (``Flag.raises_alert``: ``alert: true``, a safety
  flag, or severity high) becomes a staff alert on the coordinators' overview, in the same
  transaction as the submit, together with one e-mail per response to the municipality's duty
  address through the outbox. The e-mail holds no answers and no names: only a link.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from flask import current_app, url_for
from sqlalchemy import Boolean, DateTime, Integer, String, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from formengine import FormDefinition, effective_answers, score

from . import outbox
from .db import Base, Response, utcnow

log = logging.getLogger("webapp.promises")

CHANNELS = ("phone", "sms", "email", "any")


class ContactDetails(Base):
    """How to reach the relative. Never part of the answers, exports or statistics."""

    __tablename__ = "contact_details"

    response_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    best_time: Mapped[str] = mapped_column(String(120), default="")
    interpreter: Mapped[bool] = mapped_column(Boolean, default=False)
    interpreter_language: Mapped[str] = mapped_column(String(60), default="")
    channel: Mapped[str] = mapped_column(String(20), default="")
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    @property
    def reachable(self) -> bool:
        return bool(self.phone.strip() or self.email.strip())


class StaffAlert(Base):
    """A raised flag that needs a person today; listed until a named member of staff acknowledges it."""

    __tablename__ = "staff_alerts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    response_id: Mapped[str] = mapped_column(String(32), index=True)
    municipality: Mapped[str] = mapped_column(String(100), index=True)
    flag_id: Mapped[str] = mapped_column(String(100))
    severity: Mapped[str] = mapped_column(String(20), default="high")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    acknowledged_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    acknowledged_by: Mapped[str] = mapped_column(String(254), default="")


# --- flags ---------------------------------------------------------------------------------


def _compat_safety(defn: FormDefinition) -> set[str]:
    """Flag ids named safety flags in ``SAFETY_FLAGS`` ("form:flag,flag;form2:flag") for this form."""
    text = str(current_app.config.get("SAFETY_FLAGS") or "") if current_app else ""
    ids = {defn.id, defn.extends.partition("@")[0] if defn.extends else defn.id}
    out: set[str] = set()
    for part in text.split(";"):
        form, _, flags = part.partition(":")
        if form.strip() in ids:
            out |= {f.strip() for f in flags.split(",") if f.strip()}
    return out


def safety_flags(defn: FormDefinition) -> list[Any]:
    """The flags that, when raised, show the relative what to do now."""
    declared = [f for f in defn.scoring.flags if f.safety]
    if declared:
        return declared
    compat = _compat_safety(defn)
    return [f for f in defn.scoring.flags if f.id in compat]


def _raised(defn: FormDefinition, answers: dict[str, Any]) -> set[str]:
    report = score(defn, effective_answers(defn, answers), defn.default_language).as_json()
    return {str(f.get("id")) for f in report.get("flags") or []}


def safety_raised(defn: FormDefinition, answers: dict[str, Any]) -> bool:
    wanted = {f.id for f in safety_flags(defn)}
    return bool(wanted) and bool(wanted & _raised(defn, answers))


def alert_flags(defn: FormDefinition, answers: dict[str, Any]) -> list[Any]:
    """The raised flags that alert staff (safety flags always do)."""
    raised = _raised(defn, answers)
    safety = {f.id for f in safety_flags(defn)}
    return [f for f in defn.scoring.flags if f.id in raised and (f.raises_alert or f.id in safety)]


def crisis_contacts(defn: FormDefinition, municipality: str | None = None) -> list[Any]:
    """Crisis contacts (``crisis: true``) of the form's municipality, or of the one the relative chose."""
    contacts = list(defn.contacts)
    if municipality and defn.municipality is None:
        found = place(municipality)
        contacts += list(found.contacts) if found else []
    return [c for c in contacts if c.crisis]


# --- municipalities -----------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    id: str
    name: str
    duty_email: str
    contacts: tuple[Any, ...] = ()  # from the municipality's variant (the newest active one)


def _settings_duty(municipality: str) -> str:
    for part in str(current_app.config.get("DUTY_EMAILS") or "").split(","):
        key, _, address = part.partition("=")
        if key.strip() == municipality and address.strip():
            return address.strip()
    return ""


def place(municipality: str | None) -> Place | None:
    """The municipality (name and duty address) from its variant, with the settings as fallback."""
    if not municipality:
        return None
    from .forms_access import registry

    name, duty, contacts = municipality, "", ()
    for d in registry().active_forms():
        if d.municipality and d.municipality.id == municipality:
            name = d.municipality.name
            duty = d.municipality.duty_email or duty
            contacts = d.contacts or contacts
    return Place(municipality, name, _settings_duty(municipality) or duty, tuple(contacts))


def contacts_for(response: Response, defn: FormDefinition) -> list[Any]:
    """Whom the relative can contact: the form's own contacts, else those of the chosen municipality."""
    if defn.contacts:
        return list(defn.contacts)
    where = place(response.municipality) if receives(response) else None
    return list(where.contacts) if where else []


# --- contact details ----------------------------------------------------------------------


def contact_of(s: Session, response_id: str) -> ContactDetails | None:
    return s.get(ContactDetails, response_id)


def save_contact(response_id: str, values: dict[str, Any]) -> None:
    from . import db

    with db.session() as s:
        row = s.get(ContactDetails, response_id) or ContactDetails(response_id=response_id)
        for key in ("name", "phone", "email", "best_time", "interpreter_language", "channel"):
            setattr(row, key, str(values.get(key) or "").strip())
        row.interpreter = bool(values.get("interpreter"))
        row.updated_at = utcnow()
        s.add(row)
        s.commit()


PRIVATE = "private"  # origin of a response started "bare for meg selv"


def needs_choice(response: Response, defn: FormDefinition) -> bool:
    """A self-started national form that nobody has been chosen to receive yet."""
    return response.origin == "self" and not response.municipality and defn.municipality is None


def receives(response: Response) -> bool:
    """Does a municipality receive these answers? ("bare for meg selv" and orphans: no)."""
    return bool(response.municipality) and response.origin != "private"


def asks_contact(response: Response) -> bool:
    """Ask the relative how to reach them (not on staff documents, not when nobody receives)."""
    return receives(response) and response.origin in ("self", "invite") and response.assessment_id is None


# --- codes -----------------------------------------------------------------------------------

STAFF_DOCUMENT_ORIGINS = ("staff", "paper")


def code_expires(response: Response) -> dt.datetime | None:
    """When the code and link of a submitted response stop opening anything."""
    if response.submitted_at is None:
        return None
    return response.submitted_at + dt.timedelta(days=int(current_app.config.get("CODE_EXPIRY_DAYS", 30)))


def code_expired(response: Response) -> bool:
    expires = code_expires(response)
    return expires is not None and utcnow() >= expires


def staff_document(response: Response) -> bool:
    """An agreement or a paper form typed in by staff: a relative's code only shows its copy."""
    return response.assessment_id is not None or response.origin in STAFF_DOCUMENT_ORIGINS


def next_steps_text(response: Response) -> str:
    """What happens next, in the words of the receipt (for the relative's own copy)."""
    from flask_babel import gettext as _

    from . import db

    if not receives(response):
        return _(
            "Your answers have not been sent to anyone, and nobody will contact you about them. Keep your "
            "copy: you can use it to think things through, or bring it to a conversation with the "
            "municipality or your doctor."
        )
    with db.session() as s:
        contact = contact_of(s, response.id)
    name = (place(response.municipality) or Place("", response.municipality or "", "")).name
    if response.origin in ("invite", "paper") or (contact is not None and contact.reachable):
        return _(
            "%(place)s has received your answers. They will contact you to agree on a time for a "
            "conversation. Your answers help you and the staff prepare. You decide what you want to talk "
            "about.",
            place=name,
        )
    return _(
        "%(place)s has received your answers. You did not give a phone number or an e-mail address, so "
        "they cannot contact you about them. If you want a conversation, contact them yourself.",
        place=name,
    )


# --- submit ---------------------------------------------------------------------------------


def submit(response: Response, defn: FormDefinition) -> bool:
    """Submit, and in the same transaction raise staff alerts and queue the duty e-mail.

    Returns False when the response was submitted already (nothing happens twice).
    """
    from . import db

    with db.session() as s:
        done = s.execute(
            update(Response)
            .where(Response.id == response.id, Response.status == "open")
            .values(status="submitted", submitted_at=utcnow(), revision=Response.revision + 1)
        )
        if done.rowcount != 1:
            s.rollback()
            return False
        if receives(response):
            raise_alerts(s, response, defn)
        s.commit()
    return True


def raise_alerts(s: Session, response: Response, defn: FormDefinition) -> list[StaffAlert]:
    flags = alert_flags(defn, response.answers or {})
    if not flags or not response.municipality:
        return []
    made = []
    for flag in flags:
        made.append(
            StaffAlert(
                response_id=response.id,
                municipality=response.municipality,
                flag_id=flag.id,
                severity=flag.severity,
                created_at=utcnow(),
                acknowledged_by="",
            )
        )
    s.add_all(made)
    where = place(response.municipality)
    if where is None or not where.duty_email:
        log.warning(
            "staff alert for a response of municipality %s: no duty e-mail address (set duty_email in "
            "its variant or FORMENGINE_DUTY_EMAILS); the alert is on the overview only",
            response.municipality,
        )
    else:
        link = current_app.config["BASE_URL"].rstrip("/") + url_for("staff.detail", rid=response.id)
        outbox.enqueue(
            s,
            kind="alert",
            recipient=where.duty_email,
            key=f"alert:{response.id}",
            subject="Pårørendekartlegging: trenger oppmerksomhet i dag",
            body=alert_mail_body(link),
            municipality=response.municipality,
            response_id=response.id,
        )
    return made


def alert_mail_body(link: str) -> str:
    """The duty e-mail: that a response needs attention today, and a link. No answers, no names."""
    return (
        "En kartlegging fra en pårørende trenger oppmerksomhet i dag.\n"
        "Logg inn og se saken her:\n"
        f"{link}\n\n"
        "Varselet står øverst i oversikten til noen kvitterer for det.\n"
        "Denne e-posten inneholder med vilje ingen svar eller navn.\n\n"
        "-- \n"
        "An assessment from a relative needs attention today. Log in and open the link above.\n"
    )


def open_alerts(s: Session, municipality: str) -> list[StaffAlert]:
    return list(
        s.scalars(
            select(StaffAlert)
            .where(StaffAlert.municipality == municipality, StaffAlert.acknowledged_at.is_(None))
            .order_by(StaffAlert.created_at)
        )
    )


def acknowledge(s: Session, alert_id: int, municipality: str, who: str) -> StaffAlert | None:
    alert = s.scalars(
        select(StaffAlert).where(
            StaffAlert.id == alert_id,
            StaffAlert.municipality == municipality,
            StaffAlert.acknowledged_at.is_(None),
        )
    ).first()
    if alert is not None:
        alert.acknowledged_at = utcnow()
        alert.acknowledged_by = who[:254]
    return alert


def _ids_in(item) -> set:
    """An item's id and the ids of every item inside it (groups, repeat groups)."""
    return {item.id}.union(*(_ids_in(child) for child in item.items))


def safety_box(defn, answers, sec=None, municipality=None) -> dict:
    """What the safety help needs: raised now?, the live rules for this page, crisis contacts."""
    flags = safety_flags(defn)
    tree = {i.id: _ids_in(i) for i in sec.items} if sec is not None else {}  # top-level item -> ids inside
    ids = set().union(*tree.values()) if tree else set()
    here = [f for f in flags if {r.name.partition(".")[0] for r in f.when.references()} & ids]
    read = {r.name.partition(".")[0] for f in here for r in f.when.references()}
    after = [top for top, inside in tree.items() if inside & read]  # a group: the box goes under it
    return {
        "raised": safety_raised(defn, answers) if flags else False,
        "after": after[-1] if after else None,  # the box goes right under the (last) safety question
        "rule": " or ".join(f"({f.when.source})" for f in here),
        "contacts": crisis_contacts(defn, municipality),
    }
