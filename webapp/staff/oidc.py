"""Single sign-on for staff with OpenID Connect (Authlib): the municipality's Entra ID, HelseID, …

Authorisation code flow with PKCE (S256). Authlib keeps state, nonce and the code verifier in
the cookie session and checks the returned state (a replayed or unknown state is refused); the
ID token's signature (the provider's JWKS), issuer, audience (our client id), expiry and nonce
are checked before anyone is logged in. Who may log in, and as what:

1. a staff account already linked to the token's subject (``sub``), else
2. a staff account with the token's e-mail address (it is linked to the subject then), else
3. a new account from the claims OIDC_MUNICIPALITY_CLAIM and OIDC_ROLE_CLAIM (a known role).

An existing account's municipality and role always win over the claims (the account table is
the mapping table), and a deactivated account stays out. Logout ends the local session and,
when the provider offers RP-initiated logout, the provider's session too.
"""

from __future__ import annotations

import logging
import secrets

from authlib.common.errors import AuthlibBaseError
from authlib.integrations.flask_client import OAuth
from flask import Flask, current_app, redirect, render_template, session, url_for
from flask_babel import gettext as _
from joserfc.errors import JoseError
from requests import RequestException
from sqlalchemy import select

from .. import db
from . import audit
from .auth import PUBLIC_ENDPOINTS, _safe_next, bp, hash_password, start_session
from .models import ROLES, StaffUser

log = logging.getLogger("webapp.security")
PUBLIC_ENDPOINTS.update({"staff.sso", "staff.sso_callback"})
CLIENT = "municipality"


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(sso_enabled=lambda: bool(current_app.config.get("OIDC_ISSUER")))
    if not app.config.get("OIDC_ISSUER"):
        return
    oauth = OAuth(app)  # one per app: a client registered for one app is never used by another
    issuer = app.config["OIDC_ISSUER"].rstrip("/")
    oauth.register(
        CLIENT,
        client_id=app.config["OIDC_CLIENT_ID"],
        client_secret=app.config["OIDC_CLIENT_SECRET"],
        server_metadata_url=f"{issuer}/.well-known/openid-configuration",
        client_kwargs={"scope": "openid email profile", "code_challenge_method": "S256", "timeout": 10},
    )
    app.extensions["formengine_oauth"] = oauth


def _client():
    oauth = current_app.extensions.get("formengine_oauth")
    return oauth.create_client(CLIENT) if oauth is not None else None


@bp.get("/sso")
def sso():
    client = _client()
    if client is None:
        return redirect(url_for("staff.login"), code=303)
    return client.authorize_redirect(url_for("staff.sso_callback", _external=True))


def _refuse(reason: str, detail: str = ""):
    log.warning("single sign-on refused: %s %s", reason, detail[:200])
    with db.session() as s:
        audit.record(s, None, "sso_refused", detail=f"{reason} {detail}"[:200])
        s.commit()
    return render_template("staff/login_sso_failed.html", title=_("Single sign-on did not work")), 400


@bp.get("/sso/callback")
def sso_callback():
    client = _client()
    if client is None:
        return redirect(url_for("staff.login"), code=303)
    issuer = client.load_server_metadata().get("issuer")
    try:
        token = client.authorize_access_token(
            claims_options={
                "iss": {"essential": True, "values": [issuer]},
                "aud": {"essential": True, "values": [current_app.config["OIDC_CLIENT_ID"]]},
                "exp": {"essential": True},
                "iat": {"essential": True},
                "sub": {"essential": True},
            },
            leeway=current_app.config.get("OIDC_LEEWAY_SECONDS", 30),
        )
    except (AuthlibBaseError, JoseError, RequestException, ValueError, KeyError) as exc:
        # a state we did not send (or sent once already), a refused code exchange, a bad
        # signature, another issuer or audience, an expired token, a wrong nonce, the provider down
        return _refuse(type(exc).__name__, str(exc))
    claims = token.get("userinfo")
    if not claims:  # no ID token (or no nonce in our state): never log in on an access token alone
        return _refuse("no_id_token")
    user = _user_for(dict(claims))
    if user is None:
        return _refuse("no_account", str(claims.get("email") or claims.get("sub")))
    target = _safe_next(None, user)
    start_session(user, "oidc")
    session["staff_idt"] = token.get("id_token")
    return redirect(target, code=303)


def _user_for(claims: dict) -> StaffUser | None:
    config = current_app.config
    sub, email = str(claims["sub"]), str(claims.get("email") or "").strip().lower()
    with db.session() as s:
        user = s.scalars(select(StaffUser).where(StaffUser.oidc_subject == sub)).first()
        if user is None and email and claims.get("email_verified", True):
            user = s.scalars(select(StaffUser).where(StaffUser.email == email)).first()
            if user is not None and user.oidc_subject is None:
                user.oidc_subject = sub
        if user is None:
            municipality = _one(claims.get(config["OIDC_MUNICIPALITY_CLAIM"]), None)
            role = _one(claims.get(config["OIDC_ROLE_CLAIM"]), ROLES)
            if not (email and municipality and role in ROLES):
                return None
            # the password is random and never shown: this account logs in with single sign-on only
            user = StaffUser(
                email=email[:254],
                password_hash=hash_password(secrets.token_urlsafe(32)),
                role=role,
                municipality=municipality[:100],
                active=True,
                oidc_subject=sub,
            )
            s.add(user)
            s.flush()
            audit.record(s, user, "sso_account", detail=f"{email} {role}")
        if not user.active:
            s.commit()
            return None
        s.commit()
        return user


def _one(value, known) -> str:
    """A claim as one text: Entra ID sends app roles as a list ("roles"); the first known one counts."""
    values = value if isinstance(value, list) else [value]
    for candidate in values:
        if candidate is not None and str(candidate) and (known is None or str(candidate) in known):
            return str(candidate)
    return ""


def after_logout(id_token: str | None):
    """Where the browser goes after a local logout: the provider's end-session page when it has one."""
    client = _client()
    if client is None or not id_token:
        return None
    try:
        endpoint = client.load_server_metadata().get("end_session_endpoint")
    except Exception:  # noqa: BLE001 - the provider is down: the local session is gone anyway
        return None
    if not endpoint:
        return None
    return client.logout_redirect(
        post_logout_redirect_uri=url_for("staff.login", _external=True), id_token_hint=id_token
    )
