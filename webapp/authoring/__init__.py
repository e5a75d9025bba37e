"""Authoring in the browser (issue #6 part 1): a form administrator uploads her municipality's
version, sees every problem where it is, previews it as a relative will, compares it with the
version it replaces, and publishes it.

Modules: ``blueprint`` (``bp`` under /staff/forms and its guard), ``views`` (routes on ``bp``),
``checking`` (the real validation pipeline for an upload), ``storage`` (the municipal folder: save, delete, publish), ``info``
(versions, diff), ``preview`` (the relative's pages for a version, without saving).
"""
from __future__ import annotations

from flask import Flask

from . import preview, views  # noqa: F401  (register routes on bp)
from .blueprint import bp, upload_limits


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.before_request_funcs.setdefault(None, []).insert(0, upload_limits)
