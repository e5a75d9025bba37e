"""Server-side staff sessions: start, end one, end every session of a user."""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ..db import utcnow
from .models import StaffSession, StaffUser


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def start(s: Session, user: StaffUser, token: str, method: str, ip: str) -> None:
    now = utcnow()
    s.add(
        StaffSession(
            id=token_hash(token),
            user_id=user.id,
            created_at=now,
            last_seen=now,
            method=method[:20],
            ip=ip[:64],
        )
    )


def end(s: Session, row: StaffSession, reason: str) -> None:
    row.ended_at, row.ended_reason = utcnow(), reason[:40]


def end_all(s: Session, user_id: int, reason: str) -> int:
    """End every open session of ``user_id``; returns how many were open."""
    result = s.execute(
        update(StaffSession)
        .where(StaffSession.user_id == user_id, StaffSession.ended_at.is_(None))
        .values(ended_at=utcnow(), ended_reason=reason[:40])
    )
    return int(result.rowcount or 0)


def open_counts(s: Session, user_ids: list[int], idle_minutes: float) -> dict[int, int]:
    """Live sessions per user: not ended, and used within the idle timeout."""
    if not user_ids:
        return {}
    since = utcnow() - dt.timedelta(minutes=idle_minutes)
    rows = s.execute(
        select(StaffSession.user_id, func.count())
        .where(
            StaffSession.user_id.in_(user_ids),
            StaffSession.ended_at.is_(None),
            StaffSession.last_seen > since,
        )
        .group_by(StaffSession.user_id)
    )
    return {uid: int(n) for uid, n in rows}
