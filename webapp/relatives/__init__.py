"""The relative's journey: public pages, ways back in, filling in, review, submit and receipt.

Modules: ``public`` (front page, municipality page, self-start; blueprint ``public``), ``resume``
(invitation link and short code; blueprint ``resume``), ``blueprint`` (the response's blueprint
``fill`` and ``load``), ``fill`` (consent and section pages), ``review`` (review, submit,
receipt, copy, pause), ``promises_views`` (who gets the answers, contact details; blueprint
``promises``) and ``pages`` (the form class, progress and the 3-way merge of a page).
"""

from __future__ import annotations

from flask import Flask

from . import fill, promises_views, public, resume, review  # noqa: F401  (fill and review add routes to bp)
from .blueprint import bp


def init_app(app: Flask) -> None:
    """Register the relatives' blueprints (the review routes live on the ``fill`` blueprint)."""
    for blueprint in (public.bp, resume.bp, bp, promises_views.bp):
        app.register_blueprint(blueprint)
