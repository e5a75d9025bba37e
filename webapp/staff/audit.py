"""The accountability log: one append-only row per staff view, print, export and change."""
from __future__ import annotations

from sqlalchemy.orm import Session

from ..security import client_ip
from .models import AccessLog

ACTIONS = (
    "login", "login_failed", "logout", "overview", "view", "print_meeting", "print_record",
    "print_agreement", "print_blank", "invite", "paper", "reassess", "agreement_start", "agreement_done",
    "meeting", "fill", "log_view", "export_csv", "export_json", "statistics", "purge", "alert_ack",
)


def record(s: Session, user, action: str, response_id: str | None = None, detail: str = "") -> None:
    """Add a log row to ``s`` so it commits (or rolls back) together with the action itself."""
    s.add(AccessLog(
        user_id=getattr(user, "id", None), email=getattr(user, "email", "") or "",
        municipality=getattr(user, "municipality", "") or "", action=action[:40],
        response_id=response_id, detail=(detail or "")[:200], ip=_ip()[:64],
    ))


def _ip() -> str:
    try:
        return client_ip()
    except RuntimeError:  # outside a request (CLI)
        return "cli"
