"""Typed HTTP errors rendered in one place: a friendly page in the user's language."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from flask import Flask, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError

from .db import read_only_refusal

# endpoint -> the page for an upload over the size limit there (None: the generic 413 page);
# registered by the blueprints that take uploads, so that this module imports none of them
TOO_LARGE: dict[str, Callable[[], Any]] = {}

log = logging.getLogger("webapp.errors")

MESSAGES = {
    400: (
        _l("Something in the request was wrong"),
        _l("Go back and try again. If it happens again, start from the front page."),
    ),
    403: (
        _l("You do not have access to this page"),
        _l("If you have a link or a code from the municipality, use it to continue your form."),
    ),
    404: (
        _l("We could not find the page"),
        _l("Check the address, or start from the front page. Your saved answers are not lost."),
    ),
    405: (_l("That did not work"), _l("Go back and use the buttons on the page.")),
    413: (_l("Too much text was sent"), _l("Shorten your answer and try again.")),
    429: (
        _l("Too many attempts"),
        _l(
            "For your safety we have paused attempts from this device. Wait 15 minutes and try "
            "again, or contact the municipality for a new code."
        ),
    ),
    500: (
        _l("Something went wrong on our side"),
        _l("Your saved answers are not lost. Wait a little and try again."),
    ),
    503: (
        _l("The service is not available right now"),
        _l("Your saved answers are not lost. Wait a minute, then go back and send the page again."),
    ),
}
RETRY_AFTER_SECONDS = 30
CSRF_MESSAGE = (
    _l("The page had expired"),
    _l(
        "For your safety the page must be reloaded. Go back, reload the page and send "
        "again. Answers you saved earlier are not lost."
    ),
)


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, _csrf)
    app.register_error_handler(HTTPException, _http)
    app.register_error_handler(Exception, _unexpected)


def render_error(code: int, title=None, text=None):
    default_title, default_text = MESSAGES.get(code, MESSAGES[400] if code < 500 else MESSAGES[500])
    return render_template(
        "errors/error.html", code=code, title=title or default_title, text=text or default_text
    ), code


def _csrf(error: CSRFError):
    return render_error(400, *CSRF_MESSAGE)


def _http(error: HTTPException):
    if error.code is None or error.code < 400:
        return error
    if error.code == 413 and request.endpoint in TOO_LARGE:
        answer = TOO_LARGE[request.endpoint]()
        if answer is not None:
            return answer
    return render_error(error.code)


def _unexpected(error: Exception):
    if isinstance(error, HTTPException):
        return _http(error)
    if isinstance(error, (OperationalError, InterfaceError)) or (
        isinstance(error, DBAPIError) and (error.connection_invalidated or read_only_refusal(error))
    ):
        # the database is unreachable: an outage for proxies and monitoring, not a bug
        log.error("database unavailable: %s", error.__class__.__name__)
        body, code = render_error(503)
        return body, code, {"Retry-After": str(RETRY_AFTER_SECONDS)}
    log.exception("unhandled error", exc_info=error)
    return render_error(InternalServerError.code)
