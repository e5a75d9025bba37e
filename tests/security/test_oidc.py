"""Single sign-on with OpenID Connect, end to end against a real provider (issue #14).

The provider is panva/oidc-provider (npm, tests/oidc/), started here on 127.0.0.1 with its own
development login and consent pages; a requests session plays the browser at the provider and
the Flask test client plays it at the app. Covered: login (authorisation code + PKCE, a new
account from the claims, and an existing account matched by e-mail), a token for another
audience, an expired token, a replayed state, a wrong nonce, and logout (local session ended,
then the provider's end-session page).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.parse
from pathlib import Path

import pytest
import requests
from argon2 import PasswordHasher
from authlib.integrations.flask_client import FlaskOAuth2App
from sqlalchemy import select

from webapp import create_app, db
from webapp.staff import auth
from webapp.staff.models import AccessLog, StaffSession, StaffUser

from ..webapp.formfixtures import sample_registry

PROVIDER_DIR = Path(__file__).resolve().parent.parent / "oidc"
CALLBACK = "http://localhost/staff/sso/callback"
AFTER_LOGOUT = "http://localhost/staff/login"
SECRET = "a-client-secret-for-tests-only"
CLIENTS = [
    {
        "client_id": cid,
        "client_secret": SECRET,
        "redirect_uris": [CALLBACK],
        "post_logout_redirect_uris": [AFTER_LOGOUT],
        "grant_types": ["authorization_code"],
        "response_types": ["code"],
    }
    for cid in ("app", "other", "app-expired")
]
ACCOUNTS = {
    "kari": {
        "email": "kari@testby.kommune.no",
        "name": "Kari",
        "municipality": "0301",
        "role": "coordinator",
    },
    "ola": {"email": "ola@testby.kommune.no", "name": "Ola", "municipality": "0301", "role": "nobody"},
    "eva": {"email": "eva@testby.kommune.no", "name": "Eva"},  # no claims: only an existing account helps
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def issuer(tmp_path_factory):
    assert shutil.which("node"), "node is needed for the OpenID provider (scripts/test.sh installs it)"
    assert (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir(), "run `npm ci` in tests/oidc"
    port = _free_port()
    env = {
        **os.environ,
        "PORT": str(port),
        "OIDC_CLIENTS": json.dumps(CLIENTS),
        "OIDC_ACCOUNTS": json.dumps(ACCOUNTS),
        "OIDC_EXPIRED_CLIENTS": json.dumps(["app-expired"]),
    }
    log = tmp_path_factory.mktemp("oidc") / "provider.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            ["node", "provider.js"], cwd=PROVIDER_DIR, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if requests.get(url + "/.well-known/openid-configuration", timeout=2).status_code == 200:
                break
        except requests.ConnectionError:
            pass
        assert proc.poll() is None, log.read_text("utf-8", "replace")
        assert time.monotonic() < deadline, "the OpenID provider did not start"
        time.sleep(0.2)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


def _app(tmp_path, monkeypatch, issuer: str, client_id: str = "app"):
    monkeypatch.setattr(auth, "hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    auth._dummy_hash.cache_clear()
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "oidc",
            "ACCESS_LOG": False,
            "FORM_REGISTRY": sample_registry(),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'oidc.sqlite3'}",
            "OIDC_ISSUER": issuer,
            "OIDC_CLIENT_ID": client_id,
            "OIDC_CLIENT_SECRET": SECRET,
            "OIDC_LEEWAY_SECONDS": 0,
        }
    )


def _browser() -> requests.Session:
    http = requests.Session()
    http.trust_env = False
    return http


def _form(html: str) -> tuple[str, dict]:
    action = re.search(r'<form[^>]*action="([^"]+)"', html).group(1)
    fields = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html))
    return action, fields


def at_provider(http: requests.Session, url: str, account: str) -> str:
    """Log in as ``account`` at the provider and consent; return the URL it sends the browser back to."""
    for _ in range(12):
        resp = http.get(url, allow_redirects=False, timeout=10)
        if resp.status_code in (302, 303):
            url = urllib.parse.urljoin(resp.url, resp.headers["Location"])
            if url.startswith("http://localhost/"):
                return url
            continue
        assert resp.status_code == 200 and "<form" in resp.text, (resp.status_code, resp.text[-500:])
        action, fields = _form(resp.text)
        target = urllib.parse.urljoin(resp.url, action)
        if 'name="login"' in resp.text:
            fields.update(login=account, password="any")
        resp = http.post(target, data=fields, allow_redirects=False, timeout=10)
        url = urllib.parse.urljoin(target, resp.headers["Location"])
        if url.startswith("http://localhost/"):
            return url
    raise AssertionError("the provider never sent the browser back")


def _local(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")


def start_sso(client) -> str:
    resp = client.get("/staff/sso")
    assert resp.status_code == 302, resp.status_code
    return resp.headers["Location"]


def login(client, account: str, http: requests.Session | None = None, tamper=None):
    """The whole journey: app → provider (log in, consent) → app callback. Returns the callback response."""
    authorize = start_sso(client)
    if tamper:
        authorize = tamper(authorize)
    back = at_provider(http or _browser(), authorize, account)
    return client.get(_local(back)), back


def _params(url: str) -> dict:
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))


def _refusals(app) -> list[str]:
    with app.app_context(), db.session() as s:
        return [r.detail for r in s.scalars(select(AccessLog).where(AccessLog.action == "sso_refused"))]


def _sessions(app) -> list[StaffSession]:
    with app.app_context(), db.session() as s:
        return list(s.scalars(select(StaffSession)))


def test_login_with_code_flow_and_pkce_creates_the_account_from_the_claims(issuer, tmp_path, monkeypatch):
    app = _app(tmp_path, monkeypatch, issuer)
    client = app.test_client()
    assert "/staff/sso" in client.get("/staff/login").get_data(as_text=True)
    authorize = start_sso(client)
    params = _params(authorize)
    assert params["response_type"] == "code" and params["code_challenge_method"] == "S256"
    assert params["code_challenge"] and params["state"] and params["nonce"] and params["client_id"] == "app"
    back = at_provider(_browser(), authorize, "kari")
    resp = client.get(_local(back))
    assert resp.status_code == 303 and resp.headers["Location"] == "/staff/", resp.get_data(as_text=True)[
        :300
    ]
    assert client.get("/staff/").status_code == 200
    with app.app_context(), db.session() as s:
        user = s.scalars(select(StaffUser).where(StaffUser.email == "kari@testby.kommune.no")).one()
        assert (user.role, user.municipality, user.oidc_subject) == ("coordinator", "0301", "kari")
    assert [row.method for row in _sessions(app)] == ["oidc"]


def test_an_existing_account_is_matched_by_email_and_its_role_wins(issuer, tmp_path, monkeypatch):
    app = _app(tmp_path, monkeypatch, issuer)
    with app.app_context(), db.session() as s:
        s.add(
            StaffUser(
                email="eva@testby.kommune.no",
                password_hash="x",
                role="form_admin",
                municipality="4601",
                active=True,
            )
        )
        s.commit()
    client = app.test_client()
    resp, _ = login(client, "eva")
    assert resp.status_code == 303 and resp.headers["Location"].startswith("/staff/forms")
    with app.app_context(), db.session() as s:
        user = s.scalars(select(StaffUser).where(StaffUser.email == "eva@testby.kommune.no")).one()
        assert (user.role, user.municipality, user.oidc_subject) == ("form_admin", "4601", "eva")


def test_no_account_and_no_usable_claims_is_refused(issuer, tmp_path, monkeypatch):
    app = _app(tmp_path, monkeypatch, issuer)
    client = app.test_client()
    resp, _ = login(client, "ola")  # role claim "nobody"
    assert resp.status_code == 400
    assert client.get("/staff/").status_code == 303
    assert any("no_account" in detail for detail in _refusals(app))


def test_a_deactivated_account_cannot_log_in_with_sso(issuer, tmp_path, monkeypatch):
    app = _app(tmp_path, monkeypatch, issuer)
    client = app.test_client()
    assert login(client, "kari")[0].status_code == 303
    app.test_cli_runner().invoke(args=["deactivate-user", "kari@testby.kommune.no"])
    assert client.get("/staff/").status_code == 303
    assert login(app.test_client(), "kari")[0].status_code == 400


def test_a_token_for_another_audience_is_refused(issuer, tmp_path, monkeypatch):
    """A real token the provider issued to client "other" (same nonce), swapped into our token response."""
    app = _app(tmp_path, monkeypatch, issuer)
    client = app.test_client()
    authorize = start_sso(client)
    nonce = _params(authorize)["nonce"]
    # the attacker runs a flow of client "other" with our nonce and takes its ID token
    verifier = "v" * 64
    import base64
    import hashlib

    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    other = f"{issuer}/auth?" + urllib.parse.urlencode(
        {
            "client_id": "other",
            "response_type": "code",
            "scope": "openid email profile",
            "redirect_uri": CALLBACK,
            "state": "s",
            "nonce": nonce,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
    )
    code = _params(at_provider(_browser(), other, "kari"))["code"]
    foreign = requests.post(
        f"{issuer}/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": CALLBACK,
            "code_verifier": verifier,
        },
        auth=("other", SECRET),
        timeout=10,
    ).json()["id_token"]
    original = FlaskOAuth2App.fetch_access_token

    def swapped(self, *args, **kwargs):
        token = original(self, *args, **kwargs)
        token["id_token"] = foreign
        return token

    monkeypatch.setattr(FlaskOAuth2App, "fetch_access_token", swapped)
    back = at_provider(_browser(), authorize, "kari")
    resp = client.get(_local(back))
    assert resp.status_code == 400 and client.get("/staff/").status_code == 303
    assert any("aud" in detail for detail in _refusals(app)), _refusals(app)
    assert not _sessions(app)


def test_an_expired_token_is_refused(issuer, tmp_path, monkeypatch):
    app = _app(tmp_path, monkeypatch, issuer, client_id="app-expired")
    client = app.test_client()
    resp, _ = login(client, "kari")
    assert resp.status_code == 400 and client.get("/staff/").status_code == 303
    assert any("expired" in detail.lower() or "exp" in detail for detail in _refusals(app)), _refusals(app)
    assert not _sessions(app)


def test_a_replayed_state_is_refused(issuer, tmp_path, monkeypatch):
    app = _app(tmp_path, monkeypatch, issuer)
    client = app.test_client()
    resp, back = login(client, "kari")
    assert resp.status_code == 303
    # the same callback again, in the same browser and in an attacker's
    assert client.get(_local(back)).status_code == 400
    attacker = app.test_client()
    assert attacker.get(_local(back)).status_code == 400 and attacker.get("/staff/").status_code == 303
    assert len(_sessions(app)) == 1
    assert len(_refusals(app)) == 2


def test_a_wrong_nonce_is_refused(issuer, tmp_path, monkeypatch):
    app = _app(tmp_path, monkeypatch, issuer)
    client = app.test_client()

    def other_nonce(url: str) -> str:
        return url.replace("nonce=", "nonce=forged", 1)

    resp, _ = login(client, "kari", tamper=other_nonce)
    assert resp.status_code == 400 and client.get("/staff/").status_code == 303
    assert any("nonce" in detail for detail in _refusals(app)), _refusals(app)
    assert not _sessions(app)


def test_logout_ends_the_local_session_and_goes_to_the_providers_end_session(issuer, tmp_path, monkeypatch):
    app = _app(tmp_path, monkeypatch, issuer)
    client = app.test_client()
    http = _browser()
    assert login(client, "kari", http=http)[0].status_code == 303
    copy = app.test_client()
    copy.set_cookie("session", client.get_cookie("session").value)
    token = re.search(
        r'name="csrf_token" value="([^"]+)"', client.get("/staff/").get_data(as_text=True)
    ).group(1)
    resp = client.post("/staff/logout", data={"csrf_token": token})
    assert resp.status_code == 302
    end = resp.headers["Location"]
    assert end.startswith(f"{issuer}/session/end") and "id_token_hint=" in end
    assert _params(end)["post_logout_redirect_uri"] == AFTER_LOGOUT
    assert client.get("/staff/").status_code == 303 and copy.get("/staff/").status_code == 303
    assert all(row.ended_reason == "logout" for row in _sessions(app))
    # at the provider: confirm, and come back to our login page
    page = http.get(end, timeout=10)
    action, fields = _form(page.text)
    fields["logout"] = "yes"
    done = http.post(urllib.parse.urljoin(page.url, action), data=fields, allow_redirects=False, timeout=10)
    assert done.headers["Location"].startswith(AFTER_LOGOUT)
    # and the provider's own session is gone: the next SSO asks for the login again
    again = http.get(start_sso(app.test_client()), allow_redirects=True, timeout=10)
    assert 'name="login"' in again.text
