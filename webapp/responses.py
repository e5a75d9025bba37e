"""Responses: create, find by code or link, save a page (one transaction, revision checked), submit."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from formengine import default_marks, initial_answers, recalculate

from . import db, lockout
from .db import CodeAttempt, Response, utcnow

CODE_ALPHABET = "ACDEFHJKMNPRTUVWXY34679"  # no 0/O, 1/I/L, 2/Z, 5/S, 8/B look-alikes
CODE_LENGTH = 8


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def format_code(code: str) -> str:
    """Show a code as ABCD-EFGH."""
    return f"{code[:4]}-{code[4:]}"


def normalise_code(text: str) -> str:
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass
class NewResponse:
    response: Response
    token: str | None


def create_response(
    defn,
    *,
    origin: str = "self",
    lang: str = "nb",
    municipality: str | None = None,
    case_ref: str | None = None,
    with_token: bool = False,
) -> NewResponse:
    """Store a new, empty response bound to the exact form version; retry on a code clash."""
    token = secrets.token_urlsafe(24) if with_token else None
    for _attempt in range(10):
        response = Response(
            id=secrets.token_urlsafe(12),
            form_id=defn.id,
            form_version=defn.version,
            definition_hash=defn.hash or "",
            origin=origin,
            lang=lang,
            municipality=municipality or (defn.municipality.id if defn.municipality else None),
            case_ref=case_ref,
            code=new_code(),
            token_hash=hash_token(token) if token else None,
            status="open",
            # initial values (the relative may change them) and what is calculated from them
            answers=recalculate(defn, initial_answers(defn)),
            revision=0,
            # conversation_only: default items start marked; the relative can unmark each one
            conversation_only=default_marks(defn, {}),
        )
        with db.session() as s:
            s.add(response)
            try:
                s.commit()
            except IntegrityError:
                s.rollback()
                continue
        return NewResponse(response, token)
    raise RuntimeError("could not allocate a unique code")


def get(response_id: str) -> Response | None:
    with db.session() as s:
        return s.get(Response, response_id)


def by_token(token: str) -> Response | None:
    with db.session() as s:
        return s.scalars(select(Response).where(Response.token_hash == hash_token(token))).first()


def try_code(ip: str, text: str) -> tuple[Response | None, str | None]:
    """Look a code up if this address (and everyone together) still has tries left.

    Returns (response, None) for a right code, (None, None) for a wrong one, and (None, why)
    when the code was not looked at, or this wrong try used the last one ("address" or
    "everyone"). The slots are taken atomically before the look-up (``webapp.lockout``), so
    concurrent guesses never evaluate more codes than the limits allow.
    """
    config = current_app.config
    window = config["CODE_WINDOW_MINUTES"]
    limit = config["CODE_MAX_ATTEMPTS"]
    cap = config["CODE_GLOBAL_MAX_FAILURES"]
    mine = lockout.reserve(f"code:{ip}", limit, window)
    if mine is None:
        return None, "address"
    total = 0
    if cap > 0:
        total = lockout.reserve("code:*", cap, window) or 0
        if not total:
            lockout.refund(f"code:{ip}")
            return None, "everyone"
    code = normalise_code(text)
    with db.session() as s:
        found = None
        if len(code) == CODE_LENGTH:
            found = s.scalars(select(Response).where(Response.code == code)).first()
        s.add(CodeAttempt(ip=ip[:64], ok=found is not None))
        s.commit()
    if found is not None:
        lockout.refund(f"code:{ip}")
        if cap > 0:
            lockout.refund("code:*")
        return found, None
    if mine >= limit:
        return None, "address"
    if cap > 0 and total >= cap:
        return None, "everyone-now"
    return None, None


def record_consent(response_id: str) -> None:
    with db.session() as s:
        s.execute(
            update(Response)
            .where(Response.id == response_id, Response.consent_at.is_(None))
            .values(consent_at=utcnow())
        )
        s.commit()


def set_language(response_id: str, lang: str) -> None:
    with db.session() as s:
        s.execute(update(Response).where(Response.id == response_id).values(lang=lang))
        s.commit()


def save(response_id: str, expected_revision: int, answers: dict, conversation_only: list) -> int | None:
    """Store the whole answer set if nobody saved since ``expected_revision``.

    Returns the new revision, or None when the stored revision moved on (a stale page).
    """
    with db.session() as s:
        result = s.execute(
            update(Response)
            .where(
                Response.id == response_id, Response.revision == expected_revision, Response.status == "open"
            )
            .values(
                answers=answers,
                conversation_only=sorted(set(conversation_only)),
                revision=expected_revision + 1,
                updated_at=utcnow(),
            )
        )
        s.commit()
        return expected_revision + 1 if result.rowcount == 1 else None


def submit(response_id: str) -> None:
    """Mark the response submitted; submitting again changes nothing."""
    with db.session() as s:
        s.execute(
            update(Response)
            .where(Response.id == response_id, Response.status == "open")
            .values(status="submitted", submitted_at=utcnow(), revision=Response.revision + 1)
        )
        s.commit()


def purge_empty_starts(hours: int) -> int:
    """Delete self-started forms still open and never saved (revision 0) after ``hours``; return how many."""
    cutoff = utcnow() - dt.timedelta(hours=hours)
    with db.session() as s:
        result = s.execute(
            delete(Response).where(
                Response.origin == "self",
                Response.status == "open",
                Response.revision == 0,
                Response.created_at < cutoff,
            )
        )
        s.commit()
    return int(result.rowcount or 0)
