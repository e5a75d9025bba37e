"""Atomic lock-out counters: at most ``limit`` attempts of one key are ever evaluated per window.

An attempt first *reserves* a slot with one conditional ``UPDATE … WHERE failures < limit
RETURNING failures`` (SQLite ≥ 3.35 and PostgreSQL both evaluate the condition and the increment
as one step under the row's write lock), and only then checks the password or code. A right
answer gives its slot back (:func:`refund`). So 40 guesses sent at once to 8 workers evaluate
at most ``limit`` of them; the others are refused without being looked at.

Keys: ``staff:<email>`` (wrong passwords and second-factor codes of one account),
``code:<address>`` and ``code:*`` (short codes from one address and from all together),
``start:<address>`` and ``start:*`` (self-starts).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, Integer, String, case, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from . import db
from .db import Base, utcnow


class LockoutCounter(Base):
    """Failures (or uses) of one key in the window that started at ``window_start``."""

    __tablename__ = "lockout_counters"

    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    window_start: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    failures: Mapped[int] = mapped_column(Integer, default=0)


def _ensure_row(s: Session, key: str, now: dt.datetime) -> None:
    dialect = s.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    s.execute(insert(LockoutCounter).values(key=key, window_start=now, failures=0).on_conflict_do_nothing())


def reserve(key: str, limit: int, window_minutes: float) -> int | None:
    """Take one attempt for ``key``. Returns the attempts used in this window including this one,
    or None when the key has used up ``limit`` attempts (locked until the window ends)."""
    key = key[:300]
    now = utcnow()
    cutoff = now - dt.timedelta(minutes=window_minutes)
    expired = LockoutCounter.window_start <= cutoff
    with db.session() as s:
        _ensure_row(s, key, now)
        used = s.execute(
            update(LockoutCounter)
            .where(LockoutCounter.key == key, or_(LockoutCounter.failures < limit, expired))
            .values(
                failures=case((expired, 1), else_=LockoutCounter.failures + 1),
                window_start=case((expired, now), else_=LockoutCounter.window_start),
            )
            .returning(LockoutCounter.failures)
        ).scalar()
        s.commit()
    return used


def refund(key: str) -> None:
    """Give back a slot taken by :func:`reserve` (the attempt was right)."""
    with db.session() as s:
        s.execute(
            update(LockoutCounter)
            .where(LockoutCounter.key == key[:300], LockoutCounter.failures > 0)
            .values(failures=LockoutCounter.failures - 1)
        )
        s.commit()


def used(key: str, window_minutes: float) -> int:
    """Attempts of ``key`` counted in the current window (0 when the window has passed)."""
    cutoff = utcnow() - dt.timedelta(minutes=window_minutes)
    with db.session() as s:
        row = s.execute(
            select(LockoutCounter.failures, LockoutCounter.window_start).where(
                LockoutCounter.key == key[:300]
            )
        ).first()
    if row is None or row.window_start <= cutoff:
        return 0
    return int(row.failures)


def reset(key: str) -> None:
    with db.session() as s:
        s.execute(update(LockoutCounter).where(LockoutCounter.key == key[:300]).values(failures=0))
        s.commit()
