# ruff: noqa: F811  (pytest fixtures imported from tests/webapp/staff/conftest.py)
"""Server-side, revocable staff sessions (issue #14, defects 2 and 3).

A cookie copied before logout, a password change, deactivation or an administrator's "log out
everywhere" opens nothing afterwards; an idle session ends access to agreements and paper
forms too, and edits made while logged in are in the access log.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from webapp import db
from webapp.db import Response
from webapp.staff.models import AccessLog, StaffUser

from ..webapp.conftest import csrf
from ..webapp.helpers import post_page, section_url
from ..webapp.staff.conftest import PASSWORD, app, login, submitted, token, users  # noqa: F401


def _cookie(client) -> str:
    return client.get_cookie("session").value


def _clone(app, client):
    """A second browser holding a copy of ``client``'s session cookie (a stolen or copied cookie)."""
    other = app.test_client()
    other.set_cookie("session", _cookie(client))
    return other


def _opens_case(client, rid: str) -> bool:
    resp = client.get(f"/staff/a/{rid}")
    if resp.status_code == 200:
        return True
    assert resp.status_code == 303 and resp.headers["Location"].startswith("/staff/login"), resp.status_code
    return False


def _refused(resp) -> bool:
    """Sent to the staff login, or (once the session forgot the response) forbidden."""
    return resp.status_code == 403 or (
        resp.status_code == 303 and resp.headers["Location"].startswith("/staff/login")
    )


def _actions(app) -> list[str]:
    with app.app_context(), db.session() as s:
        return [row.action for row in s.scalars(select(AccessLog).order_by(AccessLog.id))]


def test_a_cookie_copied_before_logout_opens_nothing_afterwards(app, users):
    rid = submitted(app)
    coord = app.test_client()
    assert login(coord, users["coord_a"]).status_code == 303
    copy = _clone(app, coord)
    assert _opens_case(copy, rid)  # the copy works while the session lives
    resp = coord.post("/staff/logout", data={"csrf_token": token(coord)})
    assert resp.status_code == 303
    assert not _opens_case(copy, rid)
    assert not _opens_case(coord, rid)
    from webapp.staff.models import StaffSession

    with app.app_context(), db.session() as s:
        (row,) = s.scalars(select(StaffSession))
        assert row.ended_at is not None and row.ended_reason == "logout"


def test_logout_ends_every_session_of_that_user_but_not_others(app, users):
    rid = submitted(app)
    phone, desk, admin = app.test_client(), app.test_client(), app.test_client()
    for client, who in ((phone, "coord_a"), (desk, "coord_a"), (admin, "admin_a")):
        assert login(client, users[who]).status_code == 303
    phone.post("/staff/logout", data={"csrf_token": token(phone)})
    assert not _opens_case(desk, rid)
    assert _opens_case(admin, rid)


def test_password_change_ends_every_session(app, users):
    rid = submitted(app)
    one, two = app.test_client(), app.test_client()
    login(one, users["coord_a"])
    login(two, users["coord_a"])
    copy = _clone(app, two)
    page = one.get("/staff/konto").get_data(as_text=True)
    new = "a brand new passphrase 2031"
    resp = one.post(
        "/staff/konto", data={"csrf_token": csrf(page), "current": PASSWORD, "new": new, "repeat": new}
    )
    assert resp.status_code == 303 and "changed=1" in resp.headers["Location"]
    assert not any(_opens_case(c, rid) for c in (one, two, copy))
    assert login(app.test_client(), users["coord_a"]).status_code == 400  # the old password is gone
    fresh = app.test_client()
    assert login(fresh, users["coord_a"], new).status_code == 303 and _opens_case(fresh, rid)
    assert "password_change" in _actions(app)


def test_password_change_with_a_wrong_current_password_changes_nothing(app, users):
    client = app.test_client()
    login(client, users["coord_a"])
    page = client.get("/staff/konto").get_data(as_text=True)
    new = "a brand new passphrase 2031"
    resp = client.post(
        "/staff/konto", data={"csrf_token": csrf(page), "current": "wrong", "new": new, "repeat": new}
    )
    assert resp.status_code == 400
    assert login(app.test_client(), users["coord_a"]).status_code == 303


def test_admin_log_out_everywhere_and_deactivation(app, users):
    rid = submitted(app)
    coord, admin = app.test_client(), app.test_client()
    login(coord, users["coord_a"])
    login(admin, users["admin_a"])
    with app.app_context(), db.session() as s:
        uid = s.scalars(select(StaffUser.id).where(StaffUser.email == users["coord_a"])).one()
        other_uid = s.scalars(select(StaffUser.id).where(StaffUser.email == users["coord_b"])).one()
    page = admin.get("/staff/brukere").get_data(as_text=True)
    assert users["coord_a"] in page and users["coord_b"] not in page  # only my municipality
    resp = admin.post(f"/staff/brukere/{uid}/logg-ut", data={"csrf_token": csrf(page)})
    assert resp.status_code == 303
    assert not _opens_case(coord, rid)
    login(coord, users["coord_a"])  # may log in again after "log out everywhere" ...
    assert _opens_case(coord, rid)
    admin.post(f"/staff/brukere/{uid}/deaktiver", data={"csrf_token": csrf(page)})
    assert not _opens_case(coord, rid)  # ... but not after deactivation
    assert login(app.test_client(), users["coord_a"]).status_code == 400
    # another municipality's user is out of reach
    assert (
        admin.post(f"/staff/brukere/{other_uid}/deaktiver", data={"csrf_token": csrf(page)}).status_code
        == 404
    )
    assert {"user_logg_ut", "user_deaktiver"} <= set(_actions(app))
    # a coordinator may not manage users
    coord_b = app.test_client()
    login(coord_b, users["coord_b"])
    assert coord_b.get("/staff/brukere").status_code == 403


def test_cli_deactivate_and_logout_user_end_sessions(app, users):
    rid = submitted(app)
    coord = app.test_client()
    login(coord, users["coord_a"])
    runner = app.test_cli_runner()
    result = runner.invoke(args=["logout-user", users["coord_a"]])
    assert result.exit_code == 0 and "1 session(s) ended" in result.output
    assert not _opens_case(coord, rid)
    login(coord, users["coord_a"])
    result = runner.invoke(args=["deactivate-user", users["coord_a"]])
    assert result.exit_code == 0 and "deactivated" in result.output
    assert not _opens_case(coord, rid)


def _paper(app, coord) -> str:
    resp = coord.post(
        "/staff/papir",
        data={"csrf_token": token(coord), "form_id": "testskjema", "case_ref": "PAPIR-9", "lang": "nb"},
    )
    assert resp.status_code == 303
    with app.app_context(), db.session() as s:
        return s.scalars(select(Response.id).where(Response.case_ref == "PAPIR-9")).one()


def _age_sessions(app, client, minutes: int) -> None:
    """Make the staff session look idle for ``minutes`` (on the server and in the cookie)."""
    from webapp.staff import models

    with app.app_context(), db.session() as s:
        # (getattr: the same test shows the defect on code from before server-side sessions)
        for row in s.scalars(select(models.StaffSession)) if hasattr(models, "StaffSession") else ():
            row.last_seen -= dt.timedelta(minutes=minutes)
        s.commit()
    with client.session_transaction() as sess:
        sess["staff_seen"] -= minutes * 60


def test_idle_timeout_ends_access_to_paper_forms_and_edits_are_logged(app, users):
    coord = app.test_client()
    login(coord, users["coord_a"])
    paper = _paper(app, coord)
    url = section_url(paper, "relation")
    page = coord.get(url).get_data(as_text=True)
    assert post_page(coord, url, {"relation": "child", "_nav": "review"}, page).status_code == 303
    logged = [a for a in _actions(app) if a == "fill"]
    assert logged, "an edit of a paper form made while logged in is in the access log"
    _age_sessions(app, coord, app.config["STAFF_IDLE_MINUTES"] + 1)
    resp = coord.get(url)
    assert resp.status_code == 303 and resp.headers["Location"].startswith("/staff/login")
    # neither a save nor a submit gets through, with the page's own (still valid) CSRF token
    assert _refused(post_page(coord, url, {"relation": "parent", "_nav": "review"}, page))
    assert _refused(coord.post(f"/svar/{paper}/send", data={"csrf_token": csrf(page)}))
    with app.app_context(), db.session() as s:
        stored = s.get(Response, paper)
        assert stored.answers == {"relation": "child"} and stored.status == "open"


def test_deactivation_ends_access_to_an_agreement_being_filled(app, users):
    rid = submitted(app, case_ref="AVT-1")
    coord, admin = app.test_client(), app.test_client()
    login(coord, users["coord_a"])
    login(admin, users["admin_a"])
    # The agreement opens on its plan page; its other pages are reached through «flere deler».
    plan = coord.post(f"/staff/a/{rid}/avtale", data={"csrf_token": token(coord)})
    assert plan.headers["Location"] == f"/staff/a/{rid}/avtale/plan"
    with app.app_context(), db.session() as s:
        aid = s.scalars(select(Response.id).where(Response.assessment_id == rid)).one()
    url = section_url(aid, "review")
    more = coord.post(f"/staff/a/{rid}/avtale/flere-deler", data={"csrf_token": token(coord)})
    assert coord.get(more.headers["Location"]).headers["Location"].endswith(url)
    page = coord.get(url).get_data(as_text=True)
    assert coord.get(url).status_code == 200
    with app.app_context(), db.session() as s:
        uid = s.scalars(select(StaffUser.id).where(StaffUser.email == users["coord_a"])).one()
    admin.post(f"/staff/brukere/{uid}/deaktiver", data={"csrf_token": token(admin)})
    assert _refused(coord.get(url))
    assert _refused(post_page(coord, url, {"agreed": "Endret etter deaktivering", "_nav": "review"}, page))
    with app.app_context(), db.session() as s:
        assert not s.get(Response, aid).answers
