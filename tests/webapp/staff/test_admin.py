"""Log-in (lock-out, idle timeout, session rotation), create-user, access log, export, statistics, purge."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import pytest
from sqlalchemy import text

from webapp import db
from webapp.db import Response
from webapp.staff.models import AccessLog, StaffUser

from .conftest import PASSWORD, SECRET_TEXT, A, B, login, submitted


def test_create_user_hashes_with_argon2(app):
    result = app.test_cli_runner().invoke(
        args=["create-user", "Ny@A.no", "--role", "coordinator", "--municipality", A, "--password-stdin"],
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    with app.app_context(), db.session() as s:
        user = s.query(StaffUser).one()
    assert (
        user.email == "ny@a.no"
        and user.password_hash.startswith("$argon2id$")
        and PASSWORD not in user.password_hash
    )
    assert login(app.test_client(), "ny@a.no").status_code == 303


def test_create_user_refuses_unknown_role_and_short_password(app):
    runner = app.test_cli_runner()
    assert (
        runner.invoke(
            args=["create-user", "x@a.no", "--role", "boss", "--municipality", A, "--password-stdin"],
            input=PASSWORD + "\n",
        ).exit_code
        != 0
    )
    assert (
        runner.invoke(
            args=["create-user", "x@a.no", "--role", "coordinator", "--municipality", A, "--password-stdin"],
            input="short\n",
        ).exit_code
        != 0
    )


def test_lockout_after_five_failures_even_with_the_right_password(app, users):
    client = app.test_client()
    for _ in range(5):
        assert login(client, users["coord_a"], "wrong").status_code == 400
    resp = login(client, users["coord_a"])
    assert resp.status_code == 400 and "låst" in resp.get_data(as_text=True)
    assert login(app.test_client(), users["coord_b"]).status_code == 303  # other accounts unaffected


def test_login_rotates_the_session_and_idle_timeout_logs_out(app, users):
    client = app.test_client()
    with client.session_transaction() as sess:
        sess["planted"] = "by an attacker"
        sess["rids"] = ["someone-elses"]
    login(client, users["coord_a"])
    with client.session_transaction() as sess:
        assert "planted" not in sess and "rids" not in sess and sess["staff_uid"]
        sess["staff_seen"] = sess["staff_seen"] - 31 * 60
    resp = client.get("/staff/")
    assert resp.status_code == 303 and "expired=1" in resp.headers["Location"]
    assert client.get("/staff/").headers["Location"].startswith("/staff/login")


def test_wrong_password_for_unknown_account_says_the_same(app, users):
    one = login(app.test_client(), "nobody@a.no", "x").get_data(as_text=True)
    two = login(app.test_client(), users["coord_a"], "x").get_data(as_text=True)
    assert "Feil e-postadresse eller passord" in one and "Feil e-postadresse eller passord" in two


@pytest.fixture
def admin(app, users):
    client = app.test_client()
    login(client, users["admin_a"])
    return client


def test_log_is_paged_and_only_my_municipality(app, users, admin):
    rid = submitted(app)
    for _ in range(55):
        admin.get(f"/staff/a/{rid}")
    login(app.test_client(), users["coord_b"])
    first = admin.get("/staff/logg").get_data(as_text=True)
    assert "Side 1 av 2" in first and "coord@b.no" not in first
    assert "2024/17" in first and rid not in first  # the case number, not the internal id
    assert "Side 2 av 2" in admin.get("/staff/logg?side=2").get_data(as_text=True)


def test_access_log_is_append_only(app, users, admin):
    admin.get("/staff/")
    with app.app_context(), db.session() as s:
        entry = s.query(AccessLog).first()
        entry.detail = "rewritten"
        with pytest.raises(PermissionError):
            s.commit()
    with app.app_context(), db.session() as s:
        for statement in ("UPDATE staff_access_log SET detail = 'x'", "DELETE FROM staff_access_log"):
            with pytest.raises(Exception, match="append-only"):
                s.execute(text(statement))
            s.rollback()


def test_export_has_scores_and_priorities_but_no_names_case_refs_or_free_text(app, admin):
    rids = [submitted(app, case_ref=f"SECRET-CASE-{n}") for n in range(5)]
    submitted(app, municipality=B, case_ref="B-ONLY")
    body = admin.get("/staff/export.json").get_data(as_text=True)
    data = json.loads(body)
    assert len(data["assessments"]) == 5
    row = data["assessments"][0]
    assert row["Prioritet 1"] == "Hvile" and row["Flagg: Barn under 18 bor i hjemmet"] == 1
    text_csv = admin.get("/staff/export.csv").get_data().decode("utf-8-sig")
    for leak in (SECRET_TEXT, "SECRET-CASE", "B-ONLY", *rids):
        assert leak not in body and leak not in text_csv
    assert list(csv.reader(io.StringIO(text_csv), delimiter=";"))[0][:3] == ["Løpenummer", "Person", "Skjema"]
    with app.app_context(), db.session() as s:
        assert {"export_json", "export_csv"} <= {e.action for e in s.query(AccessLog)}


def test_statistics_counts_priorities(app, admin):
    for n in range(3):
        submitted(app, case_ref=f"S-{n}")
    for n in range(3):
        submitted(app, case_ref=f"T-{n}", answers={"what_matters": ["rest"]})
    page = admin.get("/staff/statistikk").get_data(as_text=True)
    assert re.search(r"Hvile</th><td>6<", page) and re.search(
        r"Informasjon</th><td><span class=\"muted\">færre enn 5", page
    )
    assert re.search(r"Pårørende</th><td>6<", page)


def test_purge_deletes_old_assessments_with_their_agreements_and_logs_the_count(app):
    old = submitted(app, case_ref="OLD")
    submitted(app, case_ref="OLD", form_id="testavtale", answers={}, assessment_id=old, origin="staff")
    keep = submitted(app, case_ref="NEW")
    with app.app_context(), db.session() as s:
        s.query(Response).filter(Response.case_ref == "OLD").update({"created_at": dt.datetime(2000, 1, 1)})
        s.commit()
    result = app.test_cli_runner().invoke(args=["purge", "--older-than-days", "365"])
    assert result.exit_code == 0 and "deleted 1" in result.output
    with app.app_context(), db.session() as s:
        assert [r.id for r in s.query(Response)] == [keep]
        (entry,) = [e for e in s.query(AccessLog) if e.action == "purge"]
    assert (
        entry.detail.startswith("1 older than 365") and entry.municipality == A and "OLD" not in entry.detail
    )


def test_a_form_administrator_lands_on_the_form_versions_after_login(app):
    """A role without access to cases must not be sent to a 403 right after logging in."""
    result = app.test_cli_runner().invoke(
        args=["create-user", "skjema@a.no", "--role", "form_admin", "--municipality", A, "--password-stdin"],
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    client = app.test_client()
    response = login(client, "skjema@a.no")
    assert response.status_code == 303 and response.headers["Location"].endswith("/staff/forms")
