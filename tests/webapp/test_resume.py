"""Ways back in: invitation CLI and link, short code with a lock-out stored in the database."""

from __future__ import annotations

import re

from webapp import create_app
from webapp.db import CodeAttempt
from webapp.responses import CODE_ALPHABET, format_code, new_code, normalise_code

from .conftest import csrf
from .formfixtures import sample_registry


def invite(app, *args):
    result = app.test_cli_runner().invoke(args=["invite", "testskjema", *args])
    assert result.exit_code == 0, result.output
    link = re.search(r"link: (\S+)", result.output).group(1)
    code = re.search(r"code: (\S+)", result.output).group(1)
    return link, code


def enter_code(client, code, **kwargs):
    page = client.get("/fortsett").get_data(as_text=True)
    return client.post("/fortsett", data={"csrf_token": csrf(page), "code": code}, **kwargs)


def test_codes_use_an_unambiguous_alphabet():
    assert not set("0O1IL25SZ8B") & set(CODE_ALPHABET)
    code = new_code()
    assert len(code) == 8 and re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", format_code(code))
    assert normalise_code(" acde-f347 ") == "ACDEF347"


def test_invite_prints_link_and_code(app):
    link, code = invite(app, "--municipality", "0301", "--case", "2024/17")
    assert link.startswith("http://localhost:5000/r/") and re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", code)


def test_invite_unknown_form_fails(app):
    result = app.test_cli_runner().invoke(args=["invite", "nope"])
    assert result.exit_code != 0 and "no active form" in result.output


def test_link_opens_consent_and_rotates_session(app, client):
    link, _code = invite(app)
    with client.session_transaction() as sess:
        sess["sid"] = "old"
        sess["rids"] = ["someone-else"]
    resp = client.get(link.replace("http://localhost:5000", ""))
    assert resp.status_code == 303 and "/om" in resp.headers["Location"]
    with client.session_transaction() as sess:
        assert sess["sid"] != "old" and sess["rids"] == [resp.headers["Location"].split("/")[2]]
    assert client.get(resp.headers["Location"]).status_code == 200


def test_unknown_link_is_404(client):
    assert client.get("/r/not-a-token").status_code == 404


def test_code_resumes_on_another_device(app):
    _link, code = invite(app)
    other = app.test_client()
    resp = enter_code(other, code.lower().replace("-", " "))
    assert resp.status_code == 303 and "/om" in resp.headers["Location"]


def test_wrong_code_shows_error_next_to_field(client):
    resp = enter_code(client, "AAAA-AAAA")
    page = resp.get_data(as_text=True)
    assert resp.status_code == 400
    assert 'role="alert"' in page and 'href="#code"' in page and 'aria-invalid="true"' in page


def test_lockout_after_wrong_tries_survives_restart(tmp_path):
    cfg = {
        "TESTING": True,
        "SECRET_KEY": "x",
        "FORM_REGISTRY": sample_registry(),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'a.db'}",
        "CODE_MAX_ATTEMPTS": 3,
    }
    app = create_app(cfg)
    _link, code = invite(app)
    client = app.test_client()
    statuses = [enter_code(client, "AAAA-AAAA").status_code for _ in range(3)]
    assert statuses == [400, 400, 429]
    # a fresh process (new app, same database) still refuses, even the right code
    app2 = create_app(cfg)
    resp = enter_code(app2.test_client(), code)
    assert resp.status_code == 429
    assert "For mange forsøk" in resp.get_data(as_text=True)
    # another address is not affected
    resp = enter_code(app2.test_client(), code, environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert resp.status_code == 303
    with app2.extensions["formengine_db"].sessions() as s:
        assert s.query(CodeAttempt).count() == 4
