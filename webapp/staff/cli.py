"""``flask create-user`` (staff accounts) and ``flask purge`` (retention)."""

from __future__ import annotations

import datetime as dt
import sys

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import delete, func, or_, select

from .. import db
from ..db import Response, utcnow
from . import audit, sessions
from .auth import hash_password
from .models import ROLES, LoginAttempt, StaffUser


class _System:
    """The log's "who" for actions run from the command line."""

    id = None
    email = "cli"

    def __init__(self, municipality: str = ""):
        self.municipality = municipality


@click.command("create-user")
@with_appcontext
@click.argument("email")
@click.option("--role", required=True, type=click.Choice(ROLES), help="What the user may do.")
@click.option("--municipality", required=True, help="Municipality id; the user sees only its cases.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_user(email: str, role: str, municipality: str, password_stdin: bool) -> None:
    """Create a staff account (or set a new password and role for an existing one)."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < 12:
        raise click.ClickException("the password must have at least 12 characters")
    email = email.strip().lower()
    with db.session() as s:
        user = s.scalars(select(StaffUser).where(StaffUser.email == email)).first()
        if user is None:
            user = StaffUser(email=email, password_hash="", role=role, municipality=municipality, active=True)
            s.add(user)
        else:  # a new password: every session of the account ends
            sessions.end_all(s, user.id, "password_change")
        user.password_hash, user.role, user.municipality, user.active = (
            hash_password(password),
            role,
            municipality,
            True,
        )
        audit.record(s, _System(municipality), "create_user", detail=f"{email} {role}")
        s.commit()
    click.echo(f"{email}: {role} in {municipality}")


@click.command("purge")
@with_appcontext
@click.option(
    "--older-than-days",
    type=int,
    default=None,
    help="Delete assessments created more than this many days ago (default: RETENTION_DAYS).",
)
def purge(older_than_days: int | None) -> None:
    """Delete assessments (and their agreements) older than the retention period; log the count."""
    days = older_than_days if older_than_days is not None else current_app.config["RETENTION_DAYS"]
    if days < 1:
        raise click.ClickException("--older-than-days must be at least 1")
    cutoff = utcnow() - dt.timedelta(days=days)
    with db.session() as s:
        old = select(Response.id).where(Response.created_at < cutoff, Response.assessment_id.is_(None))
        per_municipality = dict(
            s.execute(
                select(Response.municipality, func.count())
                .where(Response.id.in_(old))
                .group_by(Response.municipality)
            ).all()
        )
        from ..outbox import OutboxMessage
        from ..promises import ContactDetails, StaffAlert

        doomed = select(Response.id).where(or_(Response.id.in_(old), Response.assessment_id.in_(old)))
        for model, column in (
            (ContactDetails, ContactDetails.response_id),
            (StaffAlert, StaffAlert.response_id),
            (OutboxMessage, OutboxMessage.response_id),
        ):
            s.execute(delete(model).where(column.in_(doomed)))
        s.execute(delete(Response).where(or_(Response.id.in_(old), Response.assessment_id.in_(old))))
        s.execute(delete(LoginAttempt).where(LoginAttempt.created_at < cutoff))
        for municipality, count in sorted(per_municipality.items(), key=lambda kv: str(kv[0])):
            audit.record(s, _System(municipality or ""), "purge", detail=f"{count} older than {days} days")
        if not per_municipality:
            audit.record(s, _System(), "purge", detail=f"0 older than {days} days")
        s.commit()
    from ..responses import purge_empty_starts

    empty = purge_empty_starts(current_app.config["EMPTY_START_HOURS"])
    click.echo(f"deleted {sum(per_municipality.values())} assessments older than {days} days")
    click.echo(
        f"deleted {empty} self-started forms without answers older than "
        f"{current_app.config['EMPTY_START_HOURS']} hours"
    )


def _account(s, email: str) -> StaffUser:
    user = s.scalars(select(StaffUser).where(StaffUser.email == email.strip().lower())).first()
    if user is None:
        raise click.ClickException(f"no staff account {email}")
    return user


@click.command("deactivate-user")
@with_appcontext
@click.argument("email")
def deactivate_user(email: str) -> None:
    """Deactivate a staff account and end every session of it at once."""
    with db.session() as s:
        user = _account(s, email)
        user.active = False
        ended = sessions.end_all(s, user.id, "deactivated")
        audit.record(s, _System(user.municipality), "user_deactiver", detail=f"{user.email} sessions={ended}")
        s.commit()
    click.echo(f"{email}: deactivated, {ended} session(s) ended")


@click.command("logout-user")
@with_appcontext
@click.argument("email")
def logout_user(email: str) -> None:
    """End every session of a staff account ("log out everywhere")."""
    with db.session() as s:
        user = _account(s, email)
        ended = sessions.end_all(s, user.id, "admin_logout")
        audit.record(s, _System(user.municipality), "user_logg_ut", detail=f"{user.email} sessions={ended}")
        s.commit()
    click.echo(f"{email}: {ended} session(s) ended")
