"""The authoring blueprint (under /staff/forms) and its guard: form and municipality administrators only."""

from __future__ import annotations

from flask import Blueprint, abort, g, redirect, request, url_for

from ..staff import auth

bp = Blueprint(
    "authoring", __name__, url_prefix="/staff/forms", static_folder="static", static_url_path="/static"
)
AUTHORS = ("form_admin", "municipality_admin")
UPLOAD_CEILING = 32 * 1024 * 1024  # beyond this the reply is still FE003 (views.too_large), unread


@bp.before_request
def _guard():
    """Staff log-in as on every staff page; then only form administrators and municipality administrators."""
    g.staff_user = auth.load_user()
    if g.staff_user is None:
        return redirect(
            url_for(
                "staff.login",
                next=request.full_path.rstrip("?"),
                expired=1 if g.get("staff_expired") else None,
            ),
            code=303,
        )
    if request.endpoint != "authoring.static" and g.staff_user.role not in AUTHORS:
        abort(403)
    return None


def upload_limits() -> None:
    """Room for a file of the loader's size limit (and more, so that the loader refuses it, with its message).

    Runs before every other hook: the CSRF check reads the form, and with it the body.
    """
    if request.endpoint == "authoring.new" and request.method == "POST":
        # a file far over the loader's limit is still read (files go to a temporary file, not
        # memory), so the author sees the loader's located FE003, not a generic "too large"
        request.max_content_length = UPLOAD_CEILING
        request.max_form_memory_size = UPLOAD_CEILING
