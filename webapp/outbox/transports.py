"""Ways to send an outbox message: e-mail (SMTP) now; others register with :func:`register_transport`.

A transport has ``configured(config)`` (can it send with these settings? if not, its messages
wait, they are not lost) and ``send(config, message)``, which delivers or raises
:class:`TransportError` (try again later) or :class:`PermanentError` (never retry).
"""

from __future__ import annotations

import hashlib
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate
from typing import Any, Protocol
from urllib.parse import parse_qs, unquote, urlsplit


class Message(Protocol):
    """What a transport reads from an outbox row."""

    idempotency_key: str
    kind: str
    recipient: str
    subject: str
    body: str


class TransportError(Exception):
    """Sending failed for now (server down, timeout): try again later."""


class PermanentError(TransportError):
    """Sending can never work (e.g. the address is refused): do not try again."""


class Transport(Protocol):
    def configured(self, config: Mapping[str, Any]) -> bool:
        """Can this transport send with these settings? If not, its messages wait."""
        ...

    def send(self, config: Mapping[str, Any], message: Message) -> None:
        """Deliver ``message`` or raise TransportError / PermanentError."""
        ...


TRANSPORTS: dict[str, Transport] = {}


def register_transport(name: str, transport: Transport) -> None:
    """Make ``transport`` available as ``enqueue(..., transport=name)``."""
    TRANSPORTS[name] = transport


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    implicit_tls: bool
    starttls: str  # auto | require | no
    user: str
    password: str


def parse_smtp_url(url: str) -> SmtpSettings:
    """Read ``smtp://[user:pass@]host[:port][?starttls=auto|require|no]`` or ``smtps://…``."""
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ValueError("FORMENGINE_SMTP_URL must look like smtp://user:pass@host:port or smtps://…")
    implicit = parts.scheme == "smtps"
    starttls = (parse_qs(parts.query).get("starttls") or ["auto"])[0]
    if starttls not in ("auto", "require", "no"):
        raise ValueError("starttls= must be auto, require or no")
    return SmtpSettings(
        host=parts.hostname,
        port=parts.port or (465 if implicit else 25),
        implicit_tls=implicit,
        starttls=starttls,
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
    )


def message_id(key: str) -> str:
    """A Message-ID that is the same for every try of one idempotency key."""
    return f"<{hashlib.sha256(key.encode('utf-8')).hexdigest()[:32]}@formengine.outbox>"


class EmailTransport:
    """Plain-text e-mail through the SMTP server in ``SMTP_URL``."""

    timeout = 20

    def configured(self, config: Mapping[str, Any]) -> bool:
        return bool(config.get("SMTP_URL")) and bool(config.get("MAIL_FROM"))

    def build(self, config: Mapping[str, Any], message: Message) -> EmailMessage:
        mail = EmailMessage()
        mail["From"] = config["MAIL_FROM"]
        mail["To"] = message.recipient
        mail["Subject"] = message.subject
        mail["Date"] = formatdate(localtime=False)
        mail["Message-ID"] = message_id(message.idempotency_key)
        mail["Auto-Submitted"] = "auto-generated"
        mail.set_content(message.body)
        return mail

    def send(self, config: Mapping[str, Any], message: Message) -> None:
        try:
            smtp = parse_smtp_url(config["SMTP_URL"])
        except ValueError as exc:
            raise TransportError(str(exc)) from exc
        mail = self.build(config, message)
        context = ssl.create_default_context()
        try:
            if smtp.implicit_tls:
                client: smtplib.SMTP = smtplib.SMTP_SSL(
                    smtp.host, smtp.port, timeout=self.timeout, context=context
                )
            else:
                client = smtplib.SMTP(smtp.host, smtp.port, timeout=self.timeout)
            with client:
                client.ehlo()
                if not smtp.implicit_tls and smtp.starttls != "no":
                    if client.has_extn("starttls"):
                        client.starttls(context=context)
                        client.ehlo()
                    elif smtp.starttls == "require":
                        raise TransportError("the SMTP server does not offer STARTTLS (starttls=require)")
                if smtp.user:
                    client.login(smtp.user, smtp.password)
                client.send_message(mail)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            if all(code >= 500 for code in codes):
                raise PermanentError(f"recipient refused ({codes[0]})") from exc
            raise TransportError(f"recipient deferred ({codes[0]})") from exc
        except smtplib.SMTPResponseException as exc:
            raise TransportError(f"SMTP {exc.smtp_code}") from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise TransportError(f"{type(exc).__name__}: {exc}"[:300]) from exc


register_transport("email", EmailTransport())
