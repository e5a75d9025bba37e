"""Shared set-up for the authoring tests: an app over the shipped forms plus a municipal folder, users, variants."""

from __future__ import annotations

import re
from pathlib import Path

from argon2 import PasswordHasher

from webapp import create_app
from webapp.staff import auth

from .conftest import csrf
from .staff.conftest import add_user, login

ROOT = Path(__file__).resolve().parents[2]
MUNI = "3403"
OTHER = "4601"

GOOD_VARIANT = """\
id: testby-kommune
version: 1.0.0
status: draft
extends: parorende-kartlegging@1.1.0
municipality:
  id: "3403"
  name: Testby kommune
languages: [nb, nn, en]
default_language: nb
title:
  nb: Kartlegging for pårørende – Testby
  nn: Kartlegging for pårørande – Testby
  en: Needs assessment for relatives – Testby
contacts:
  - id: koordinator
    name: {nb: Pårørendekoordinator, nn: Pårørandekoordinator, en: Relatives' coordinator}
    phone: "+47 00 00 00 01"
offers:
  - id: samtalegruppe
    title: {nb: Samtalegruppe i Testby, nn: Samtalegruppe i Testby, en: Conversation group in Testby}
    contact: koordinator
    domains: [groups, feelings]
changes:
  - op: add_items
    after: support_contact_person
    items:
      - id: local_callback
        type: yes_no
        label:
          nb: Vil du at Testby ringer deg?
          nn: Vil du at Testby ringjer deg?
          en: Would you like Testby to call you?
"""

# two mistakes: an overlay target that does not exist (line 25) and an unknown item type (line 28)
BROKEN_VARIANT = GOOD_VARIANT.replace(
    "after: support_contact_person", "after: suport_contact_person"
).replace("type: yes_no", "type: yes_or_no")


def make_app(tmp_path: Path, monkeypatch, municipal: Path | None = None):
    monkeypatch.setattr(auth, "hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    auth._dummy_hash.cache_clear()
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "ACCESS_LOG": False,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'authoring.sqlite3'}",
            "FORMS": str(ROOT / "forms"),
            "MUNICIPAL_FORMS": str(municipal or tmp_path / "municipal"),
        }
    )


def staff_client(app, email: str, role: str, municipality: str = MUNI):
    add_user(app, email, role, municipality)
    client = app.test_client()
    assert login(client, email).status_code == 303
    return client


def upload(client, text: str | None = None, *, file: bytes | None = None, filename: str = "skjema.yaml"):
    """Post the upload form like a browser (multipart; encoded here, so no temporary file is left open)."""
    page = client.get("/staff/forms/new").get_data(as_text=True)
    boundary = "----authoring-test-boundary"
    parts = [(b'name="csrf_token"', csrf(page).encode()), (b'name="text"', (text or "").encode())]
    parts.append(
        (b'name="file"; filename="' + (filename.encode() if file is not None else b"") + b'"', file or b"")
    )
    body = (
        b"".join(
            b"--"
            + boundary.encode()
            + b"\r\nContent-Disposition: form-data; "
            + head
            + b"\r\n\r\n"
            + value
            + b"\r\n"
            for head, value in parts
        )
        + b"--"
        + boundary.encode()
        + b"--\r\n"
    )
    return client.post(
        "/staff/forms/new", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )


def publish(client, form_id: str, version: str, confirm: bool = True):
    url = f"/staff/forms/{form_id}/{version}"
    page = client.get(url).get_data(as_text=True)
    data = {"csrf_token": csrf(page)}
    if confirm:
        data["confirm"] = "yes"
    return client.post(url + "/publish", data=data)


def source_row(page: str, line: int) -> str:
    """The source line's row and the problem rows right under it (up to the next source line)."""
    match = re.search(rf'<tr id="L{line}".*?(?=<tr id="L{line + 1}")', page, re.S)
    assert match, f"no source line {line}"
    return match.group(0)
