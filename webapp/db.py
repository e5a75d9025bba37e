"""Storage: SQLAlchemy models, the engine per app, and Alembic upgrade on start."""
from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from flask import Flask, current_app
from sqlalchemy import JSON, Boolean, Date, DateTime, Integer, String, create_engine, event, text
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
MIGRATION_LOCK_KEY = 0x70617230  # any constant shared by every process of this app ("par0")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


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
        # pre_ping: after a PostgreSQL restart or failover, a stale pooled connection is
        # replaced instead of failing the first request on it with a 500
        self.engine = create_engine(url, pool_pre_ping=True, **kwargs)
        if url.startswith("sqlite"):
            event.listen(self.engine, "connect", _sqlite_pragmas)
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
