"""The outbox: messages (e-mail now, SMS later) written in the same transaction as their cause.

Why: a message must never be lost when the mail server is down or the app is killed, and never
go twice. So a view does not send anything itself. It calls :func:`enqueue` with the database
session of the change that causes the message (a submit, an invitation) and commits both
together. Delivery happens later, by whoever comes first:

- right after the request, in a background thread (``OUTBOX_SEND_AFTER_REQUEST``);
- on the next request of any process when due messages wait (at most once a minute per
  process), so a message left behind by a killed or restarted app goes out on its own;
- ``flask outbox run`` (for cron or a systemd timer; ``--watch`` keeps it running).

A sender claims a message with one conditional UPDATE before sending it, so two senders never
send the same row. A failed try waits ``OUTBOX_RETRY_SECONDS`` × 2^(tries−1) (at most an hour)
and gives up after ``OUTBOX_MAX_ATTEMPTS`` tries (the row stays, marked ``failed``). The
idempotency key is unique: enqueueing the same key again adds nothing. E-mail carries a
Message-ID made from the key, so a receiving server can drop a copy should the app die in the
instant between the server's "accepted" and the row being marked sent (the one window no
outbox can close).

Adding a kind of message needs no change here: call :func:`enqueue` with a new ``kind``. A new
way to send (SMS through an HTTP gateway) is a :class:`Transport` passed to
:func:`register_transport`; ``enqueue(..., transport="sms")`` then uses it.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import click
from flask import Flask, current_app, g
from flask.cli import AppGroup
from sqlalchemy import DateTime, Integer, String, Text, func, or_, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from .. import db
from ..db import Base, utcnow
from .transports import (
    TRANSPORTS,
    EmailTransport,
    PermanentError,
    SmtpSettings,
    Transport,
    TransportError,
    message_id,
    parse_smtp_url,
    register_transport,
)

__all__ = [
    "TRANSPORTS",
    "Delivery",
    "EmailTransport",
    "OutboxMessage",
    "PermanentError",
    "SmtpSettings",
    "Transport",
    "TransportError",
    "deliver_due",
    "enqueue",
    "init_app",
    "message_id",
    "parse_smtp_url",
    "register_transport",
]

log = logging.getLogger("webapp.outbox")

PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"
LEASE = dt.timedelta(minutes=5)  # a claim older than this is taken over (its sender died)
MAX_BACKOFF_SECONDS = 3600
KICK_SECONDS = 60


class OutboxMessage(Base):
    """One message to send. The body never holds answers or names (health data stays in the app)."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(40))  # e.g. alert, invitation, reminder
    transport: Mapped[str] = mapped_column(String(20), default="email")
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    municipality: Mapped[str | None] = mapped_column(String(100), nullable=True, index=True)
    response_id: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)
    status: Mapped[str] = mapped_column(String(20), default=PENDING, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    claimed_until: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    last_error: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)


# --- enqueue ----------------------------------------------------------------------------


def enqueue(
    s: Session,
    *,
    kind: str,
    recipient: str,
    subject: str,
    body: str,
    key: str,
    transport: str = "email",
    municipality: str | None = None,
    response_id: str | None = None,
) -> OutboxMessage | None:
    """Add a message to the caller's session ``s``; it is stored when (and only if) ``s`` commits.

    Returns None when a message with the same idempotency ``key`` exists already (it is not
    added again). Put every fact that makes the message unique into the key, e.g.
    ``alert:<response id>:<flag id>``. The caller commits; the message is then sent after the
    request. Never put answers or names in ``subject`` or ``body``.
    """
    if transport not in TRANSPORTS:
        raise ValueError(f"unknown transport {transport!r} (known: {', '.join(sorted(TRANSPORTS))})")
    if s.scalar(select(OutboxMessage.id).where(OutboxMessage.idempotency_key == key)) is not None:
        return None
    for pending in s.new:
        if isinstance(pending, OutboxMessage) and pending.idempotency_key == key:
            return None
    message = OutboxMessage(
        idempotency_key=key[:200],
        kind=kind[:40],
        transport=transport,
        recipient=recipient[:254],
        subject=subject[:200],
        body=body,
        municipality=municipality,
        response_id=response_id,
        status=PENDING,
        attempts=0,
        next_attempt_at=utcnow(),
        last_error="",
        created_at=utcnow(),
    )
    s.add(message)
    try:
        g.outbox_new = True  # send after this request (see init_app)
    except RuntimeError:  # outside a request (CLI): `flask outbox run` sends it
        pass
    return message


# --- delivery ---------------------------------------------------------------------------


@dataclass
class Delivery:
    sent: int = 0
    retry: int = 0
    failed: int = 0
    waiting: int = 0  # transport not configured: left pending

    def __str__(self) -> str:
        return f"sent {self.sent}, to retry {self.retry}, failed {self.failed}, waiting for settings {self.waiting}"


def backoff(config: Mapping[str, Any], attempts: int) -> dt.timedelta:
    base = float(config.get("OUTBOX_RETRY_SECONDS", 60))
    return dt.timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), MAX_BACKOFF_SECONDS))


def _due(now: dt.datetime) -> Any:
    return or_(
        (OutboxMessage.status == PENDING) & (OutboxMessage.next_attempt_at <= now),
        (OutboxMessage.status == SENDING) & (OutboxMessage.claimed_until < now),
    )


def due_count(sessions: Callable[[], Session], now: dt.datetime | None = None) -> int:
    with sessions() as s:
        return int(
            s.scalar(select(func.count()).select_from(OutboxMessage).where(_due(now or utcnow()))) or 0
        )


def deliver_due(
    config: Mapping[str, Any],
    sessions: Callable[[], Session],
    *,
    now: dt.datetime | None = None,
    limit: int = 100,
) -> Delivery:
    """Send every due message (oldest first) that this process can claim; return the counts."""
    report = Delivery()
    now = now or utcnow()
    with sessions() as s:
        ids = list(
            s.scalars(select(OutboxMessage.id).where(_due(now)).order_by(OutboxMessage.id).limit(limit))
        )
    for message_id_ in ids:
        _deliver_one(config, sessions, message_id_, now, report)
    return report


def _deliver_one(
    config: Mapping[str, Any], sessions: Callable[[], Session], ident: int, now: dt.datetime, report: Delivery
) -> None:
    with sessions() as s:
        message = s.get(OutboxMessage, ident)
        if message is None:
            return
        transport = TRANSPORTS.get(message.transport)
        if transport is None or not transport.configured(config):
            report.waiting += 1
            return
        claimed = s.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == ident, _due(now))
            .values(status=SENDING, claimed_until=utcnow() + LEASE, attempts=OutboxMessage.attempts + 1)
        )
        s.commit()
        if claimed.rowcount != 1:  # another sender was first
            return
        s.refresh(message)
        try:
            transport.send(config, message)
        except TransportError as exc:
            permanent = isinstance(exc, PermanentError) or message.attempts >= int(
                config.get("OUTBOX_MAX_ATTEMPTS", 30)
            )
            s.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == ident, OutboxMessage.status == SENDING)
                .values(
                    status=FAILED if permanent else PENDING,
                    claimed_until=None,
                    next_attempt_at=utcnow() + backoff(config, message.attempts),
                    last_error=str(exc)[:300],
                )
            )
            s.commit()
            if permanent:
                report.failed += 1
                log.error(
                    "outbox: gave up on message %s (%s) after %s tries: %s",
                    ident,
                    message.kind,
                    message.attempts,
                    exc,
                )
            else:
                report.retry += 1
                log.warning("outbox: message %s (%s) not sent, will retry: %s", ident, message.kind, exc)
            return
        s.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == ident)
            .values(status=SENT, sent_at=utcnow(), claimed_until=None, last_error="")
        )
        s.commit()
        report.sent += 1


# --- wiring: after the request, on a restarted app, and the CLI ------------------------------


_kick_lock = threading.Lock()


def _background(app: Flask, delay: float = 0.0) -> None:
    config = dict(app.config)
    sessions = app.extensions["formengine_db"].sessions

    def run() -> None:
        if delay:
            time.sleep(delay)
        with _kick_lock:  # one sender thread at a time per process; the next one does a full pass
            _run_once()

    def _run_once() -> None:
        try:
            deliver_due(config, sessions)
        except Exception:  # a background sender must never die loudly; the row stays pending
            log.exception("outbox: delivery failed")

    threading.Thread(target=run, name="outbox", daemon=True).start()


def init_app(app: Flask) -> None:
    app.extensions["outbox_last_kick"] = 0.0

    @app.after_request
    def _send_after_request(response: Any) -> Any:
        if not app.config.get("OUTBOX_SEND_AFTER_REQUEST", True):
            return response
        now = time.monotonic()
        if g.pop("outbox_new", False):
            app.extensions["outbox_last_kick"] = now
            if _any_transport_configured(app.config):  # else the rows wait for settings (not lost)
                _background(app)
        elif now - app.extensions["outbox_last_kick"] >= KICK_SECONDS:
            app.extensions["outbox_last_kick"] = now
            if _any_transport_configured(app.config) and due_count(app.extensions["formengine_db"].sessions):
                _background(app)
        return response

    app.cli.add_command(outbox_cli)


def _any_transport_configured(config: Mapping[str, Any]) -> bool:
    return any(t.configured(config) for t in TRANSPORTS.values())


outbox_cli = AppGroup("outbox", help="Send the messages waiting in the outbox (e-mail, SMS).")


@outbox_cli.command("run")
@click.option(
    "--watch",
    type=float,
    default=None,
    metavar="SECONDS",
    help="Keep running: look for due messages every SECONDS (for a systemd service).",
)
def run_command(watch: float | None) -> None:
    """Send every due message once (for cron or a systemd timer), then print what happened."""
    config = current_app.config
    sessions = current_app.extensions["formengine_db"].sessions
    if not _any_transport_configured(config):
        click.echo(
            "warning: FORMENGINE_SMTP_URL and FORMENGINE_MAIL_FROM are not both set; e-mail waits", err=True
        )
    while True:
        report = deliver_due(config, sessions)
        click.echo(f"outbox: {report}")
        if watch is None:
            return
        time.sleep(max(watch, 1.0))


@outbox_cli.command("status")
def status_command() -> None:
    """Count the messages per status (no addresses, no text)."""
    with db.session() as s:
        rows = s.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all()
    counts = dict(rows)
    click.echo(", ".join(f"{name} {counts.get(name, 0)}" for name in (PENDING, SENDING, SENT, FAILED)))
