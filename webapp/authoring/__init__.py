"""Authoring in the browser (issue #6 part 1): a form administrator uploads her municipality's
version, sees every problem where it is, previews it as a relative will, compares it with the
version it replaces, and publishes it.

Modules: ``blueprint`` (``bp`` under /staff/forms and its guard), ``views`` (routes on ``bp``),
``checking`` (the real validation pipeline for an upload), ``storage`` (the municipal folder: save, delete, publish), ``info``
(versions, diff), ``preview`` (the relative's pages for a version, without saving).
"""

from __future__ import annotations

from flask import Flask, g

from .. import errors
from ..staff.auth import load_user
from . import preview, views  # noqa: F401  (register routes on bp)
from .blueprint import AUTHORS, bp, upload_limits


def _too_large():
    """An upload over even the ceiling: an author sees the located FE003 on the upload page."""
    user = load_user()
    if user is None or user.role not in AUTHORS:
        return None
    g.staff_user = user
    return views.too_large()


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    errors.TOO_LARGE["authoring.new"] = _too_large
    app.before_request_funcs.setdefault(None, []).insert(0, upload_limits)
