"""Staff accounts, login attempts (for lock-out) and the append-only access log."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, DateTime, Integer, String, event
from sqlalchemy.orm import Mapped, Session, mapped_column

from ..db import Base, utcnow

ROLES = ("coordinator", "form_admin", "municipality_admin")


class StaffUser(Base):
    """A member of staff; sees only responses of ``municipality``."""

    __tablename__ = "staff_users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(30))
    municipality: Mapped[str] = mapped_column(String(100), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    # second factor (webapp/staff/totp.py) and single sign-on (webapp/staff/oidc.py)
    totp_secret: Mapped[str | None] = mapped_column(String(64), nullable=True)
    totp_confirmed_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    totp_last_step: Mapped[int | None] = mapped_column(Integer, nullable=True)
    oidc_subject: Mapped[str | None] = mapped_column(String(255), nullable=True, unique=True)


class StaffSession(Base):
    """One logged-in browser of a member of staff; the cookie holds only a random token whose
    hash is ``id``. A session ends (``ended_at``) at logout, password change, deactivation, an
    administrator's "log out everywhere", or after STAFF_IDLE_MINUTES without a request."""

    __tablename__ = "staff_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer, index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    last_seen: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    ended_reason: Mapped[str | None] = mapped_column(String(40), nullable=True)
    method: Mapped[str] = mapped_column(String(20), default="password")
    ip: Mapped[str] = mapped_column(String(64), default="")


class RecoveryCode(Base):
    """A one-time recovery code for the second factor (stored as a hash)."""

    __tablename__ = "staff_recovery_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(Integer, index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)


class LoginAttempt(Base):
    """One try to log in to an account; failures in a window lock the account."""

    __tablename__ = "staff_login_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    ip: Mapped[str] = mapped_column(String(64))
    ok: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)


class AccessLog(Base):
    """Who did what to which response, when and from where. Rows are never changed or deleted."""

    __tablename__ = "staff_access_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    email: Mapped[str] = mapped_column(String(254), default="")
    municipality: Mapped[str] = mapped_column(String(100), index=True, default="")
    action: Mapped[str] = mapped_column(String(40))
    response_id: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)
    detail: Mapped[str] = mapped_column(String(200), default="")
    ip: Mapped[str] = mapped_column(String(64), default="")


@event.listens_for(Session, "before_flush")
def _append_only(session: Session, _context, _instances) -> None:
    """Refuse, in the ORM, to change or delete access-log rows (the database refuses too)."""
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AccessLog):
            raise PermissionError("the access log is append-only")
