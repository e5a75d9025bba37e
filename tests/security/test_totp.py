"""Two-step login for staff without a single sign-on provider: TOTP (pyotp) with recovery codes.

Password-only login is off unless ALLOW_PASSWORD_ONLY; every role enrols (QR code and key,
then a code), gets ten recovery codes once, and then logs in with password and code. Wrong
codes count toward the same lock-out as wrong passwords.
"""

# ruff: noqa: F811  (pytest fixtures imported from tests/webapp/staff/conftest.py)
from __future__ import annotations

import re
import time

import pyotp
import pytest
from sqlalchemy import select

from webapp import db
from webapp.staff.models import AccessLog, StaffSession, StaffUser

from ..webapp.conftest import csrf
from ..webapp.staff.conftest import PASSWORD, app, login, submitted, token, users  # noqa: F401


@pytest.fixture
def strict(app):
    app.config["ALLOW_PASSWORD_ONLY"] = False
    return app


def _post_code(client, url: str, code: str):
    page = client.get(url).get_data(as_text=True)
    return client.post(url, data={"csrf_token": csrf(page), "code": code})


def _secret(page: str) -> str:
    return re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")


def _step_code(secret: str, steps_ahead: int = 0) -> str:
    return pyotp.TOTP(secret).at(time.time() + 30 * steps_ahead)


def enrol(client, email: str) -> tuple[str, list[str]]:
    resp = login(client, email)
    assert resp.status_code == 303 and resp.headers["Location"] == "/staff/tofaktor/ny"
    page = client.get("/staff/tofaktor/ny").get_data(as_text=True)
    assert (
        "<svg" in page and "otpauth" not in page
    )  # the QR code is an inline SVG; the URI is not shown as text
    secret = _secret(page)
    resp = _post_code(client, "/staff/tofaktor/ny", _step_code(secret))
    assert resp.status_code == 200, resp.status_code
    codes = re.findall(r"<code>([0-9a-f]{5}-[0-9a-f]{5})</code>", resp.get_data(as_text=True))
    assert len(codes) == 10
    return secret, codes


def test_password_alone_is_not_enough_for_any_role(strict, users):
    for who in users:
        client = strict.test_client()
        resp = login(client, users[who])
        assert resp.status_code == 303 and resp.headers["Location"] == "/staff/tofaktor/ny", who
        assert client.get("/staff/").status_code == 303  # not logged in yet
        assert client.get("/staff/skjema").status_code == 303


def test_enrol_then_log_in_with_password_and_code(strict, users):
    rid = submitted(strict)
    client = strict.test_client()
    secret, _codes = enrol(client, users["coord_a"])
    assert client.get(f"/staff/a/{rid}").status_code == 200  # enrolment logs in
    client.post("/staff/logout", data={"csrf_token": token(client)})
    resp = login(client, users["coord_a"])
    assert resp.headers["Location"] == "/staff/login/kode"
    resp = _post_code(client, "/staff/login/kode", _step_code(secret, 1))
    assert resp.status_code == 303 and client.get(f"/staff/a/{rid}").status_code == 200
    with strict.app_context(), db.session() as s:
        methods = [row.method for row in s.scalars(select(StaffSession).order_by(StaffSession.created_at))]
    assert methods == ["totp", "totp"]


def test_a_code_works_once(strict, users):
    client = strict.test_client()
    secret, _ = enrol(client, users["coord_a"])
    client.post("/staff/logout", data={"csrf_token": token(client)})
    code = _step_code(secret, 1)
    login(client, users["coord_a"])
    assert _post_code(client, "/staff/login/kode", code).status_code == 303
    other = strict.test_client()
    login(other, users["coord_a"])
    assert _post_code(other, "/staff/login/kode", code).status_code == 400  # replayed


def test_a_recovery_code_works_once(strict, users):
    client = strict.test_client()
    _secret_key, codes = enrol(client, users["coord_a"])
    client.post("/staff/logout", data={"csrf_token": token(client)})
    login(client, users["coord_a"])
    assert _post_code(client, "/staff/login/kode", codes[3].upper()).status_code == 303
    assert "9 unused recovery codes" in client.get("/staff/konto").get_data(
        as_text=True
    ) or "9 ubrukte" in client.get("/staff/konto").get_data(as_text=True)
    client.post("/staff/logout", data={"csrf_token": token(client)})
    login(client, users["coord_a"])
    assert _post_code(client, "/staff/login/kode", codes[3]).status_code == 400


def test_wrong_codes_lock_out_like_passwords(strict, users):
    client = strict.test_client()
    secret, _ = enrol(client, users["coord_a"])
    client.post("/staff/logout", data={"csrf_token": token(client)})
    login(client, users["coord_a"])
    statuses = [_post_code(client, "/staff/login/kode", "000000").status_code for _ in range(5)]
    assert statuses == [400] * 5
    resp = _post_code(client, "/staff/login/kode", _step_code(secret, 1))
    assert resp.status_code == 400 and "låst" in resp.get_data(as_text=True)
    assert login(strict.test_client(), users["coord_a"]).status_code == 400  # the password is locked too
    with strict.app_context(), db.session() as s:
        failed = s.scalars(select(AccessLog).where(AccessLog.action == "second_factor_failed")).all()
    assert len(failed) == 5


def test_enrolment_lockout_and_admin_reset(strict, users):
    client = strict.test_client()
    login(client, users["coord_a"])
    statuses = [_post_code(client, "/staff/tofaktor/ny", "123456").status_code for _ in range(6)]
    assert statuses[:5] == [400] * 5 and "låst" in _post_code(client, "/staff/tofaktor/ny", "1").get_data(
        as_text=True
    )
    # an administrator resets a user's second factor: the user enrols again, and is logged out
    admin = strict.test_client()
    enrol(admin, users["admin_a"])
    coord = strict.test_client()
    enrol(coord, users["formadmin_a"])
    with strict.app_context(), db.session() as s:
        uid = s.scalars(select(StaffUser.id).where(StaffUser.email == users["formadmin_a"])).one()
    resp = admin.post(f"/staff/brukere/{uid}/nullstill-tofaktor", data={"csrf_token": token(admin)})
    assert resp.status_code == 303
    assert coord.get("/staff/skjema").status_code == 303  # logged out
    resp = login(strict.test_client(), users["formadmin_a"])
    assert resp.headers["Location"] == "/staff/tofaktor/ny"


def test_a_pending_login_expires(strict, users):
    client = strict.test_client()
    secret, _ = enrol(client, users["coord_a"])
    client.post("/staff/logout", data={"csrf_token": token(client)})
    resp = login(client, users["coord_a"])
    assert resp.headers["Location"] == "/staff/login/kode", resp.status_code
    with client.session_transaction() as sess:
        pending = dict(sess["staff_pending"])
        pending["at"] -= 600
        sess["staff_pending"] = pending
    assert client.get("/staff/login/kode").headers["Location"] == "/staff/login"
    assert PASSWORD
