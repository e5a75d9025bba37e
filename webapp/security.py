"""Security headers, client address, and the access log (who, what, when — never answers)."""

from __future__ import annotations

import logging
import time

from flask import Flask, g, request, session
from werkzeug.middleware.proxy_fix import ProxyFix

access_log = logging.getLogger("webapp.access")

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' {styles}; img-src 'self'; "
    "form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors {frames}"
)
FRAMEABLE = {
    "fill.preview",
    "authoring.preview_start",
    "authoring.preview_page",
}  # endpoints that may be framed by our own pages
SECRET_ENDPOINTS = {"resume.link"}  # paths carrying a secret token are not logged verbatim


def init_app(app: Flask) -> None:
    proxies = int(app.config.get("PROXIES") or 0)
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    app.before_request(_start_timer)
    app.after_request(_headers)
    if app.config.get("ACCESS_LOG"):
        if not access_log.handlers and not logging.getLogger().handlers:
            # nobody configured logging (e.g. `flask run`): write the access log to stderr
            handler = logging.StreamHandler()
            handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(message)s"))
            access_log.addHandler(handler)
            access_log.setLevel(logging.INFO)
        app.after_request(_log_request)


def client_ip() -> str:
    return request.remote_addr or "unknown"


def _start_timer() -> None:
    g.started = time.perf_counter()


def _headers(response):
    frames = "'self'" if request.endpoint in FRAMEABLE else "'none'"
    headers = response.headers
    headers["Content-Security-Policy"] = CSP.format(frames=frames, styles=_inline_css_hash())
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "no-referrer"
    headers["X-Frame-Options"] = "SAMEORIGIN" if request.endpoint in FRAMEABLE else "DENY"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    if request.is_secure or _https_configured():
        headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"
    if request.endpoint != "static":
        headers["Cache-Control"] = "no-store"
    return response


def _inline_css_hash() -> str:
    from flask import current_app

    return current_app.config.get("INLINE_CSS_HASH", "")


def _https_configured() -> bool:
    from flask import current_app

    return bool(current_app.config.get("HTTPS"))


def _log_request(response):
    path = request.path
    if request.endpoint in SECRET_ENDPOINTS:
        path = request.url_rule.rule if request.url_rule else "/r/…"
    elapsed = (time.perf_counter() - g.get("started", time.perf_counter())) * 1000
    who = session.get("rid", "-") if request.endpoint != "static" else "-"
    access_log.info(
        "%s %s %s %s %d %.0fms", client_ip(), who, request.method, path, response.status_code, elapsed
    )
    return response
