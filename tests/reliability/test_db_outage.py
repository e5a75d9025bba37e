"""The database going away gives a friendly error page, and nothing typed is lost once it is back."""

from __future__ import annotations

import warnings

import pytest
from sqlalchemy.engine import make_url

from webapp import create_app
from webapp.db import Database

from .conftest import NO_PG, PG_URL
from .helpers import PAGE, TEXT_ITEM, pinned_forms, stored_answers
from .tcpproxy import TcpProxy


def _app(url: str, tmp_path):
    # parorende-kartlegging pinned to 1.1.0: the outage tests save its items (helpers.pinned_forms)
    forms = str(pinned_forms(tmp_path / "forms"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "outage",
                "ACCESS_LOG": False,
                "DATABASE_URL": url,
                "FORMS": forms,
            }
        )


def _started(client) -> str:
    from bench.filler import csrf_of

    front = client.get("/").get_data(as_text=True)
    consent = client.post("/start/parorende-kartlegging", data={"csrf_token": csrf_of(front)}).headers[
        "Location"
    ]
    location = client.post(
        consent, data={"csrf_token": csrf_of(client.get(consent).get_data(as_text=True))}
    ).headers["Location"]
    while location.endswith(("/hvem", "/kontakt")):  # who gets the answers: keep them private
        data = {"csrf_token": csrf_of(client.get(location).get_data(as_text=True))}
        location = client.post(location, data=data | {"where": "private"}).headers["Location"]
    return consent.split("/")[2]


class SqliteOutage:
    """Point the running app at a database file it cannot open, then back."""

    def __init__(self, tmp_path):
        self.url = f"sqlite:///{tmp_path / 'outage.sqlite3'}"
        self.broken = f"sqlite:///{tmp_path / 'missing-folder' / 'x.sqlite3'}"

    def cut(self, app):
        self.good = app.extensions["formengine_db"]
        app.extensions["formengine_db"] = Database(self.broken)

    def restore(self, app):
        app.extensions["formengine_db"].engine.dispose()
        app.extensions["formengine_db"] = self.good


class PostgresOutage:
    """The app reaches PostgreSQL through a loopback proxy that is cut (every connection broken)."""

    def __init__(self, db_url):
        real = make_url(db_url)
        self.proxy = TcpProxy(real.host, real.port).start()
        self.real_url = db_url
        self.url = real.set(port=self.proxy.port).render_as_string(hide_password=False)

    def cut(self, app):
        self.proxy.cut()

    def restore(self, app):
        self.proxy.restore()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def outage(request, tmp_path):
    if request.param == "sqlite":
        yield SqliteOutage(tmp_path)
        return
    if not PG_URL:
        pytest.skip(NO_PG)
    db_url = request.getfixturevalue("pg_database")
    out = PostgresOutage(db_url)
    out.stored_url = db_url
    yield out
    out.proxy.cut()


def _friendly(resp) -> None:
    body = resp.get_data(as_text=True)
    assert "Traceback" not in body and "OperationalError" not in body and "sqlalchemy" not in body.lower()
    assert 'lang="' in body and "<h1" in body  # the app's own error page, not a bare server error
    assert resp.headers.get("Content-Security-Policy")


def _post_form(page: str, text: str) -> dict:
    import random

    from bench.filler import answers_for

    data = answers_for(page, random.Random(5))
    data[TEXT_ITEM] = text
    data["_nav"] = "next"
    return data


def test_database_outage_gives_friendly_page_and_loses_no_input(outage, caplog, tmp_path):
    app = _app(outage.url, tmp_path)
    client = app.test_client()
    rid = _started(client)
    url = f"/svar/{rid}/del/{PAGE}"
    page = client.get(url).get_data(as_text=True)
    form = _post_form(page, "typed while the database was away")

    outage.cut(app)
    down_get = client.get(url)
    down_post = client.post(url, data=form)
    for resp in (down_get, down_post):
        assert resp.status_code in (500, 503), resp.status_code
        _friendly(resp)

    outage.restore(app)
    # the browser sends the same form again (back + resend): it must be stored, not rejected
    statuses = [client.post(url, data=form).status_code for _ in range(2)]
    assert 303 in statuses, statuses
    db_url = getattr(outage, "stored_url", outage.url)
    app.extensions["formengine_db"].engine.dispose()
    assert stored_answers(db_url)[rid][TEXT_ITEM] == "typed while the database was away"


def test_database_outage_is_503_with_retry_after(tmp_path):
    outage = SqliteOutage(tmp_path)
    app = _app(outage.url, tmp_path)
    client = app.test_client()
    rid = _started(client)
    outage.cut(app)
    resp = client.get(f"/svar/{rid}/del/{PAGE}")
    outage.restore(app)
    assert resp.status_code == 503 and resp.headers.get("Retry-After")


@pytest.mark.postgres
def test_first_request_after_postgres_comes_back_succeeds(pg_database, tmp_path):
    outage = PostgresOutage(pg_database)
    app = _app(outage.url, tmp_path)
    client = app.test_client()
    rid = _started(client)
    url = f"/svar/{rid}/del/{PAGE}"
    assert client.get(url).status_code == 200
    outage.cut(app)
    outage.restore(app)
    resp = client.get(url)
    app.extensions["formengine_db"].engine.dispose()
    outage.proxy.cut()
    assert resp.status_code == 200, f"stale pooled connection gave {resp.status_code}"
