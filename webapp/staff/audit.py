"""The accountability log: one append-only row per staff view, print, export and change."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ..security import client_ip
from .models import AccessLog

ACTIONS = (
    "login",
    "login_failed",
    "logout",
    "overview",
    "view",
    "print_meeting",
    "print_record",
    "print_agreement",
    "print_blank",
    "invite",
    "paper",
    "reassess",
    "agreement_start",
    "agreement_done",
    "meeting",
    "fill",
    "log_view",
    "export_csv",
    "export_json",
    "statistics",
    "purge",
    "alert_ack",
    "agreement_draft",
    "agreement_refused",
    "agreement_flag_reason",
    "review_marks",
    "export_xlsx",
    "refused",
)


def record(s: Session, user, action: str, response_id: str | None = None, detail: str = "") -> None:
    """Add a log row to ``s`` so it commits (or rolls back) together with the action itself."""
    s.add(
        AccessLog(
            user_id=getattr(user, "id", None),
            email=getattr(user, "email", "") or "",
            municipality=getattr(user, "municipality", "") or "",
            action=action[:40],
            response_id=response_id,
            detail=(detail or "")[:200],
            ip=_ip()[:64],
        )
    )


def _ip() -> str:
    try:
        return client_ip()
    except RuntimeError:  # outside a request (CLI)
        return "cli"


def action_labels() -> dict[str, str]:
    """Each action code in plain words (the access log page shows these, never the codes)."""
    from flask_babel import gettext as _

    return {
        "login": _("Logged in"),
        "login_failed": _("Failed log-in"),
        "logout": _("Logged out"),
        "overview": _("Opened the list of assessments"),
        "view": _("Opened an assessment"),
        "print_meeting": _("Printed the summary for the meeting"),
        "print_record": _("Printed the copy for the record"),
        "print_agreement": _("Printed the agreement"),
        "print_blank": _("Printed a blank form"),
        "invite": _("Created an invitation"),
        "paper": _("Started typing in a paper form"),
        "reassess": _("Started a re-assessment"),
        "agreement_start": _("Started the agreement"),
        "agreement_done": _("Set the agreement to “Agreed”"),
        "agreement_draft": _("Saved the agreement as a draft"),
        "agreement_refused": _("The agreement was not accepted as “Agreed”"),
        "agreement_flag_reason": _("Agreed with an important flag open, with a reason"),
        "review_marks": _("Marked the last agreement's actions"),
        "meeting": _("Set the meeting date"),
        "fill": _("Typed in answers"),
        "log_view": _("Opened the access log"),
        "export_csv": _("Exported CSV"),
        "export_json": _("Exported JSON"),
        "export_xlsx": _("Exported Excel"),
        "statistics": _("Opened the statistics"),
        "purge": _("Deleted old assessments"),
        "create_user": _("Created or changed a user"),
        "refused": _("Refused: no access"),
        "forms_list": _("Opened the form versions"),
        "form_upload": _("Uploaded a form version"),
        "form_view": _("Opened a form version"),
        "form_pdf_preview": _("Previewed a form's PDF"),
        "form_preview": _("Previewed a form"),
        "form_publish": _("Published a form version"),
        "form_delete": _("Deleted a form draft"),
        "form_retire": _("Retired a form version"),
    }


def log_refused(response):
    """After a staff request answered 403 or 404: note the refused attempt (who, what, where)."""
    from flask import g, request

    from .. import db

    user = g.get("staff_user")
    if response.status_code not in (403, 404) or user is None:
        return response
    rid = (request.view_args or {}).get("rid")
    try:
        with db.session() as s:
            record(
                s,
                user,
                "refused",
                str(rid)[:32] if rid else None,
                detail=f"{response.status_code} {request.method} {request.path}",
            )
            s.commit()
    except Exception:  # noqa: BLE001  (never turn a refusal into a server error; the app log has it)
        import logging

        logging.getLogger(__name__).exception("could not log a refused staff request")
    return response
