"""Anonymous self-starts cannot hide real cases (issue #14, defect 5).

320 POST /start/<form> from one client in 2.4 s pushed all 20 real cases off /staff/, and
?status=new filtered after the newest 300 rows were taken.
"""

# ruff: noqa: F811  (pytest fixtures imported from tests/webapp/staff/conftest.py)
from __future__ import annotations

import datetime as dt
import re
import secrets

from sqlalchemy import func, select

from webapp import db
from webapp.db import Response, utcnow

from ..webapp.conftest import csrf
from ..webapp.staff.conftest import A, app, login, submitted, users  # noqa: F401


def _start(client, address: str = "10.9.0.1"):
    page = client.get("/").get_data(as_text=True)
    return client.post(
        "/start/testskjema", data={"csrf_token": csrf(page)}, environ_base={"REMOTE_ADDR": address}
    )


def test_self_start_is_limited_per_address_and_for_everyone(app):
    app.config.update(SELF_START_PER_ADDRESS=5, SELF_START_GLOBAL=8, SELF_START_WINDOW_MINUTES=10)
    client = app.test_client()
    statuses = [_start(client).status_code for _ in range(7)]
    assert statuses == [303] * 5 + [429] * 2, statuses
    assert _start(client, "10.9.0.2").status_code == 303  # another address still may
    others = [_start(client, f"10.9.1.{n}").status_code for n in range(4)]
    assert others == [303, 303, 429, 429], others  # 8 started from all addresses together
    with app.app_context(), db.session() as s:
        assert s.scalar(select(func.count()).select_from(Response)) == 8


def _bulk(app, count: int, *, origin: str, status: str, revision: int, age: dt.timedelta, **extra) -> None:
    now = utcnow()
    with app.app_context(), db.session() as s:
        for n in range(count):
            created = now - age + dt.timedelta(seconds=n)
            s.add(
                Response(
                    id=secrets.token_urlsafe(12),
                    form_id="testskjema",
                    form_version="1.0.0",
                    definition_hash="sha256:test",
                    municipality=A,
                    origin=origin,
                    lang="nb",
                    code=secrets.token_hex(4).upper(),
                    status=status,
                    answers={"relation": "parent"} if revision else {},
                    conversation_only=[],
                    revision=revision,
                    created_at=created,
                    updated_at=created,
                    submitted_at=created if status == "submitted" else None,
                    **extra,
                )
            )
        s.commit()


def _case_refs(page: str) -> list[str]:
    return re.findall(r"REAL-\d+", page)


def test_empty_self_starts_do_not_push_real_cases_off_the_overview(app, users):
    for n in range(20):
        submitted(app, case_ref=f"REAL-{n}")
    _bulk(app, 320, origin="self", status="open", revision=0, age=dt.timedelta(seconds=-1))  # after them
    coord = app.test_client()
    login(coord, users["coord_a"])
    page = coord.get("/staff/").get_data(as_text=True)
    assert len(set(_case_refs(page))) == 20
    assert "(20)" in page  # the count of new cases
    shown_all = coord.get("/staff/?tomme=1").get_data(as_text=True)
    assert shown_all.count('class="status status--open"') >= 280  # on request they are listed


def test_status_filter_runs_before_the_limit(app, users):
    for n in range(5):
        submitted(app, case_ref=f"REAL-{n}", when=utcnow() - dt.timedelta(days=2))
    _bulk(app, 310, origin="invite", status="open", revision=1, age=dt.timedelta(hours=1))  # answered, newer
    coord = app.test_client()
    login(coord, users["coord_a"])
    page = coord.get("/staff/?status=new").get_data(as_text=True)
    assert len(set(_case_refs(page))) == 5
    assert 'status status--open"' not in page


def test_unanswered_self_starts_are_purged_after_the_configured_hours(app):
    app.config["EMPTY_START_HOURS"] = 24
    _bulk(app, 3, origin="self", status="open", revision=0, age=dt.timedelta(hours=30))  # old and empty: go
    _bulk(app, 2, origin="self", status="open", revision=0, age=dt.timedelta(hours=2))  # young: stay
    _bulk(app, 2, origin="self", status="open", revision=1, age=dt.timedelta(hours=30))  # answered: stay
    _bulk(app, 1, origin="invite", status="open", revision=0, age=dt.timedelta(hours=30))  # invitation: stays
    result = app.test_cli_runner().invoke(args=["purge"])
    assert result.exit_code == 0 and "deleted 3 self-started forms without answers" in result.output
    with app.app_context(), db.session() as s:
        assert s.scalar(select(func.count()).select_from(Response)) == 5
