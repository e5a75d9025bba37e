"""Storage: SQLAlchemy models, the engine per app, and Alembic upgrade on start."""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from flask import Flask, current_app
from sqlalchemy import JSON, Boolean, Date, DateTime, Integer, String, create_engine, event, text
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
MIGRATION_LOCK_KEY = 0x70617230  # any constant shared by every process of this app ("par0")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    pass


class Response(Base):
    """One relative's answers to one exact form version."""

    __tablename__ = "responses"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    form_id: Mapped[str] = mapped_column(String(100))
    form_version: Mapped[str] = mapped_column(String(40))
    definition_hash: Mapped[str] = mapped_column(String(80), default="")
    municipality: Mapped[str | None] = mapped_column(String(100), nullable=True)
    case_ref: Mapped[str | None] = mapped_column(String(100), nullable=True)
    origin: Mapped[str] = mapped_column(String(20), default="self")  # self | invite
    lang: Mapped[str] = mapped_column(String(5), default="nb")
    code: Mapped[str] = mapped_column(String(8), unique=True)
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    status: Mapped[str] = mapped_column(String(20), default="open")  # open | submitted
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    conversation_only: Mapped[list] = mapped_column(JSON, default=list)
    revision: Mapped[int] = mapped_column(Integer, default=0)
    consent_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    # staff side (webapp/staff): re-assessment chain, agreement link, meeting and review dates
    previous_id: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)
    assessment_id: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)
    meeting_at: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    agreed_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    review_due: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    # staff marks (migration 0004): on an agreement, how each flag is handled and any reason for
    # agreeing with a high flag open; on a review, how each action of the last agreement went
    staff_marks: Mapped[dict | None] = mapped_column(JSON, nullable=True)


class CodeAttempt(Base):
    """A try at a short code, kept so lock-outs survive restarts and span processes."""

    __tablename__ = "code_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ip: Mapped[str] = mapped_column(String(64), index=True)
    ok: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)


class Database:
    def __init__(self, url: str):
        kwargs: dict = {}
        if url.startswith("sqlite"):
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
        self.url = url
        postgres = url.startswith("postgresql")
        # allow_nan=False: NaN and Infinity are not JSON; storing one is refused, never written.
        # pre_ping: after a restart or failover a stale pooled connection is replaced instead of
        # failing a request (on PostgreSQL _writable_or_reconnect does the ping, see there).
        self.engine = create_engine(url, pool_pre_ping=not postgres, json_serializer=_strict_json, **kwargs)
        if url.startswith("sqlite"):
            event.listen(self.engine, "connect", _sqlite_pragmas)
        if postgres:
            event.listen(self.engine, "checkout", _writable_or_reconnect)
        event.listen(self.engine, "handle_error", _read_only_is_a_disconnect)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    def upgrade(self) -> None:
        """Create or migrate the schema to the newest Alembic revision.

        Several processes (gunicorn workers, a second server) may start at once: the upgrade
        runs under a lock — an advisory lock on PostgreSQL, a file lock beside an SQLite file —
        so the second waits and then finds the schema already at head.
        """
        with self._migration_lock(), self.engine.begin() as connection:
            self.migrate(connection)

    def migrate(self, connection) -> None:
        """Upgrade to head inside ``connection``'s transaction, holding PostgreSQL's advisory lock."""
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
        cfg = AlembicConfig()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")

    @contextlib.contextmanager
    def _migration_lock(self):
        path = self.engine.url.database if self.engine.dialect.name == "sqlite" else None
        if not path or path == ":memory:":
            yield
            return
        with open(f"{path}.migrate-lock", "a+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)


_DATABASE_SAYS_READ_ONLY = """
SELECT pg_is_in_recovery() OR EXISTS (
  SELECT 1 FROM pg_db_role_setting s, unnest(s.setconfig) c
  WHERE s.setdatabase IN (0, (SELECT oid FROM pg_database WHERE datname = current_database()))
    AND s.setrole IN (0, (SELECT oid FROM pg_roles WHERE rolname = current_user))
    AND lower(replace(c, ' ', '')) IN ('default_transaction_read_only=on', 'default_transaction_read_only=true',
                                       'default_transaction_read_only=1', 'default_transaction_read_only=yes'))
"""


def _writable_or_reconnect(dbapi_connection, _record, _proxy) -> None:
    """On checkout from the pool: a live connection; a read-only one only while the database is.

    A session opened while the database was read-only (``ALTER DATABASE … SET
    default_transaction_read_only``, a standby during failover) stays read-only after the
    database is writable again. Such a pooled connection is replaced here as soon as a new
    session would be writable, so workers recover by themselves; while the database is
    read-only it is kept (pages can still be read; saves answer 503). The first query is
    also the liveness ping (instead of pool_pre_ping).
    """
    try:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("SELECT current_setting('transaction_read_only')")
            stale = cursor.fetchone()[0] == "on"
            if stale:
                cursor.execute(_DATABASE_SAYS_READ_ONLY)
                stale = not cursor.fetchone()[0]
        finally:
            cursor.close()
        dbapi_connection.rollback()
    except Exception as exc:  # noqa: BLE001 - any failure: the connection is unusable
        raise DisconnectionError(str(exc)) from exc
    if stale:
        raise DisconnectionError("a read-only session, but the database is writable again")


def read_only_refusal(exc: BaseException) -> bool:
    """The database refused a write because it (or this session) is read-only."""
    orig = getattr(exc, "orig", exc)
    return getattr(orig, "sqlstate", None) == "25006" or "readonly database" in str(orig).lower()


def _read_only_is_a_disconnect(context) -> None:
    """SQLite opened a file read-only (it was not writable then): reconnect on the next request."""
    if context.engine.dialect.name == "sqlite" and read_only_refusal(context.original_exception):
        context.is_disconnect = True


def _strict_json(value) -> str:
    return json.dumps(value, allow_nan=False)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def init_app(app: Flask) -> None:
    url = app.config["DATABASE_URL"] or "sqlite:///" + str(Path(app.instance_path) / "formengine.sqlite3")
    database = Database(url)
    database.upgrade()
    app.extensions["formengine_db"] = database


def session() -> Session:
    """Return a new ORM session for the current app (use as a context manager)."""
    return current_app.extensions["formengine_db"].sessions()
