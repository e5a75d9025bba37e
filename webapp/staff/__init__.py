"""The staff side: log-in, overview, detail, PDFs, invitations, agreements, paper, review, accountability.

Modules: ``auth`` (blueprint ``bp``, log-in, roles), ``cases`` (the municipality scope), ``views``,
``documents``, ``invites``, ``agreement``, ``admin``, ``reports``, ``audit``, ``models``, ``cli``.
"""

from __future__ import annotations

from flask import Flask

from ..forms_access import municipality_name
from . import (  # noqa: F401  (register routes on bp)
    accounts,
    admin,
    agreement,
    alerts,
    audit,
    documents,
    invites,
    login,
    messages,
    oidc,
    plan_views,
    totp,
    views,
)
from .auth import bp, current_user, may
from .cli import create_user, deactivate_user, logout_user, purge
from .documents import relative_bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.register_blueprint(relative_bp)
    app.before_request(agreement.fill_hook)
    app.after_request(audit.log_refused)
    app.cli.add_command(create_user)
    app.cli.add_command(purge)
    app.cli.add_command(deactivate_user)
    app.cli.add_command(logout_user)
    app.cli.add_command(messages.reminders_command)
    oidc.init_app(app)
    app.jinja_env.globals.update(staff_user=current_user, staff_may=may, municipality_name=municipality_name)
