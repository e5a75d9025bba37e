"""Invitations and reminders through the outbox: e-mail, and SMS through one generic HTTP JSON
gateway. No message carries answers, names or health information: only the municipality's name,
the link or code to the form, a case number and a date for staff.

* invitation: from the staff page, to the e-mail address and/or mobile number staff type in;
* reminder to a relative who has not sent the form ``REMINDER_DAYS`` after the invitation (once);
* reminder to the municipality's coordinators when a case's review is due (``REVIEW_DUE_DAYS``),
  once per case and review date. ``flask reminders`` (daily, from cron or a systemd timer)
  queues the reminders; the outbox sends them.

The SMS gateway is configured by ``SMS_GATEWAY_URL`` and ``SMS_GATEWAY_TOKEN``: each message is
one POST of ``{"to": "+47…", "from": SMS_SENDER, "message": "…"}`` with ``Authorization: Bearer
<token>``. A 2xx answer is sent; 408, 429 and 5xx are tried again later; other 4xx are given up.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import urllib.error
import urllib.request
from collections.abc import Mapping
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from .. import db, outbox
from ..db import Response
from ..forms_access import municipality_name
from ..promises import ContactDetails
from .models import StaffUser

TEXTS = {
    "nb": {
        "invite_subject": "Invitasjon fra {municipality}",
        "invite": "Hei!\n\n{municipality} inviterer deg til å fortelle hva du trenger som pårørende. Det tar "
        "omtrent 20 minutter, og du kan ta pauser. Du kan hoppe over spørsmål.\n\nÅpne lenken:\n{link}\n\n"
        "Eller gå til {resume} og skriv koden {code}.\n\nHar du spørsmål, ta kontakt med kommunen.",
        "invite_sms": "{municipality} inviterer deg til å fortelle hva du trenger som pårørende: {link} "
        "(eller kode {code} på {resume})",
        "reminder_subject": "Påminnelse fra {municipality}",
        "reminder": "Hei!\n\nFor en tid siden inviterte {municipality} deg til å fortelle hva du trenger som "
        "pårørende. Du kan fortsatt svare, og det du har lagret, er ikke borte.\n\nGå til {resume} "
        "og skriv koden {code}.\n\nVil du ikke svare, trenger du ikke gjøre noe. Du får ikke flere "
        "påminnelser.",
        "reminder_sms": "Påminnelse fra {municipality}: du kan fortsatt svare. Gå til {resume} og skriv koden "
        "{code}. Du får ikke flere påminnelser.",
    },
    "nn": {
        "invite_subject": "Invitasjon frå {municipality}",
        "invite": "Hei!\n\n{municipality} inviterer deg til å fortelje kva du treng som pårørande. Det tek "
        "om lag 20 minutt, og du kan ta pausar. Du kan hoppe over spørsmål.\n\nOpne lenkja:\n{link}\n\n"
        "Eller gå til {resume} og skriv koden {code}.\n\nHar du spørsmål, ta kontakt med kommunen.",
        "invite_sms": "{municipality} inviterer deg til å fortelje kva du treng som pårørande: {link} "
        "(eller kode {code} på {resume})",
        "reminder_subject": "Påminning frå {municipality}",
        "reminder": "Hei!\n\nFor ei tid sidan inviterte {municipality} deg til å fortelje kva du treng som "
        "pårørande. Du kan framleis svare, og det du har lagra, er ikkje borte.\n\nGå til {resume} "
        "og skriv koden {code}.\n\nVil du ikkje svare, treng du ikkje gjere noko. Du får ikkje fleire "
        "påminningar.",
        "reminder_sms": "Påminning frå {municipality}: du kan framleis svare. Gå til {resume} og skriv koden "
        "{code}. Du får ikkje fleire påminningar.",
    },
    "en": {
        "invite_subject": "Invitation from {municipality}",
        "invite": "Hello,\n\n{municipality} invites you to tell them what you need as a relative. It takes "
        "about 20 minutes, and you can take breaks. You can skip questions.\n\nOpen the link:\n{link}\n\n"
        "Or go to {resume} and enter the code {code}.\n\nIf you have questions, contact the municipality.",
        "invite_sms": "{municipality} invites you to tell them what you need as a relative: {link} "
        "(or code {code} at {resume})",
        "reminder_subject": "Reminder from {municipality}",
        "reminder": "Hello,\n\nSome time ago {municipality} invited you to tell them what you need as a "
        "relative. You can still answer, and what you saved is not lost.\n\nGo to {resume} and "
        "enter the code {code}.\n\nIf you do not want to answer, you need not do anything. You will "
        "not get more reminders.",
        "reminder_sms": "Reminder from {municipality}: you can still answer. Go to {resume} and enter the code "
        "{code}. You will not get more reminders.",
    },
}
STAFF_SUBJECT = "Gjennomgang nærmer seg: sak {case}"
STAFF_BODY = (
    "Hei!\n\nSak {case} skal gjennomgås igjen {date}. Avtalen bør sees på sammen med den pårørende "
    "før da.\n\nÅpne saken (du må logge inn):\n{link}\n\nDenne e-posten inneholder ingen "
    "helseopplysninger."
)


# -- the SMS gateway ---------------------------------------------------------------------------


class SmsGatewayTransport:
    """One generic HTTP JSON SMS gateway (``SMS_GATEWAY_URL`` + ``SMS_GATEWAY_TOKEN``)."""

    timeout = 20

    def configured(self, config: Mapping[str, Any]) -> bool:
        return bool(config.get("SMS_GATEWAY_URL")) and bool(config.get("SMS_GATEWAY_TOKEN"))

    def send(self, config: Mapping[str, Any], message: outbox.OutboxMessage) -> None:
        payload = {
            "to": message.recipient,
            "from": config.get("SMS_SENDER") or "",
            "message": message.body,
            "reference": outbox.message_id(message.idempotency_key).strip("<>"),
        }
        request = urllib.request.Request(  # noqa: S310  (the URL is the operator's own setting)
            config["SMS_GATEWAY_URL"],
            data=json.dumps(payload).encode("utf-8"),
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Authorization": f"Bearer {config['SMS_GATEWAY_TOKEN']}",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:  # noqa: S310
                answer.read(1024)
        except urllib.error.HTTPError as exc:
            if exc.code in (408, 429) or exc.code >= 500:
                raise outbox.TransportError(f"SMS gateway HTTP {exc.code}") from exc
            raise outbox.PermanentError(f"SMS gateway refused the message (HTTP {exc.code})") from exc
        except (urllib.error.URLError, OSError) as exc:
            raise outbox.TransportError(f"SMS gateway: {exc}"[:300]) from exc


outbox.register_transport("sms", SmsGatewayTransport())


def normal_phone(text: str) -> str:
    """A Norwegian mobile number as +47XXXXXXXX (other numbers with their + prefix as typed)."""
    digits = re.sub(r"[^0-9+]", "", text or "")
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    if not digits.startswith("+") and len(digits) == 8:
        digits = "+47" + digits
    return digits


def _texts(lang: str) -> dict[str, str]:
    return TEXTS.get(lang, TEXTS["nb"])


def _resume_url() -> str:
    return current_app.config["BASE_URL"].rstrip("/") + "/fortsett"


def _format_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}" if len(code) == 8 else code


def queue_invitation(s, response: Response, link: str, email: str, phone: str) -> list[str]:
    """Queue the invitation to ``email`` and/or ``phone`` in ``s`` (sent when ``s`` commits)."""
    t = _texts(response.lang)
    words = {
        "municipality": municipality_name(response.municipality) or "Kommunen",
        "link": link,
        "resume": _resume_url(),
        "code": _format_code(response.code),
    }
    sent = []
    if email:
        outbox.enqueue(
            s,
            kind="invitation",
            recipient=email,
            subject=t["invite_subject"].format(**words),
            body=t["invite"].format(**words),
            key=f"invite:{response.id}:email",
            municipality=response.municipality,
            response_id=response.id,
        )
        sent.append("email")
    if phone:
        outbox.enqueue(
            s,
            kind="invitation",
            recipient=phone,
            subject="",
            body=t["invite_sms"].format(**words),
            key=f"invite:{response.id}:sms",
            transport="sms",
            municipality=response.municipality,
            response_id=response.id,
        )
        sent.append("sms")
    return sent


def _remind_relatives(s: Any, now: dt.datetime) -> int:
    """Reminders to relatives invited ``REMINDER_DAYS`` ago who have not sent their answers."""
    days = int(current_app.config["REMINDER_DAYS"])
    waiting = s.execute(
        select(Response, ContactDetails)
        .join(ContactDetails, ContactDetails.response_id == Response.id)
        .where(
            Response.origin == "invite",
            Response.status == "open",
            Response.assessment_id.is_(None),
            Response.created_at <= now - dt.timedelta(days=days),
        )
    )
    queued = 0
    for response, contact in waiting:
        t = _texts(response.lang)
        words = {
            "municipality": municipality_name(response.municipality) or "Kommunen",
            "resume": _resume_url(),
            "code": _format_code(response.code),
        }
        channels = []
        if contact.email.strip():
            subject = t["reminder_subject"].format(**words)
            channels.append(("email", contact.email.strip(), subject, t["reminder"].format(**words)))
        if contact.phone.strip():
            channels.append(("sms", normal_phone(contact.phone), "", t["reminder_sms"].format(**words)))
        for transport, recipient, subject, body in channels:
            queued += (
                outbox.enqueue(
                    s,
                    kind="reminder",
                    recipient=recipient,
                    subject=subject,
                    body=body,
                    key=f"reminder:{response.id}:{transport}",
                    municipality=response.municipality,
                    response_id=response.id,
                    transport=transport,
                )
                is not None
            )
    return queued


def _remind_coordinators(s: Any, now: dt.datetime) -> int:
    """Reminders to a municipality's coordinators when an agreement's review falls due."""
    horizon = now.date() + dt.timedelta(days=int(current_app.config["REVIEW_DUE_DAYS"]))
    due = s.scalars(
        select(Response).where(
            Response.agreed_at.is_not(None),
            Response.review_due.is_not(None),
            Response.review_due <= horizon,
            Response.assessment_id.is_(None),
        )
    )
    newer = set(s.scalars(select(Response.previous_id).where(Response.previous_id.is_not(None))))
    base = current_app.config["BASE_URL"].rstrip("/")
    queued = 0
    for response in due:
        if response.id in newer:  # a re-assessment has been started: nothing to remind of
            continue
        staff = s.scalars(
            select(StaffUser).where(
                StaffUser.municipality == response.municipality,
                StaffUser.role == "coordinator",
                StaffUser.active.is_(True),
            )
        )
        case = response.case_ref or "uten saksnummer"
        for user in staff:
            queued += (
                outbox.enqueue(
                    s,
                    kind="review_due",
                    recipient=user.email,
                    subject=STAFF_SUBJECT.format(case=case),
                    body=STAFF_BODY.format(
                        case=case,
                        date=response.review_due.strftime("%d.%m.%Y"),
                        link=f"{base}/staff/a/{response.id}",
                    ),
                    key=f"review:{response.id}:{response.review_due.isoformat()}:{user.id}",
                    municipality=response.municipality,
                    response_id=response.id,
                )
                is not None
            )
    return queued


def queue_reminders(now: dt.datetime | None = None) -> tuple[int, int]:
    """Queue the reminders that are due; return (to relatives, to coordinators). Each goes once."""
    now = now or db.utcnow()
    with db.session() as s:
        relatives = _remind_relatives(s, now)
        coordinators = _remind_coordinators(s, now)
        s.commit()
    return relatives, coordinators


@click.command("reminders")
@with_appcontext
def reminders_command() -> None:
    """Queue due reminders (to relatives who have not answered, to coordinators when a review is due).

    Run daily (cron or a systemd timer). Each reminder is queued once; `flask outbox run` sends them.
    """
    relatives, coordinators = queue_reminders()
    click.echo(f"reminders: {relatives} to relatives, {coordinators} to coordinators")
