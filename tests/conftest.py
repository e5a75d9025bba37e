"""Shared fixtures: write small forms inline as YAML, and copy the shipped forms."""

from __future__ import annotations

import os
import shutil
import textwrap
from pathlib import Path

import pytest

# Staff log in with a password alone in the tests (and in servers they start, which inherit the
# environment); the second factor has its own tests, which switch this off.
os.environ.setdefault("FORMENGINE_ALLOW_PASSWORD_ONLY", "1")
# Tests start many forms from 127.0.0.1; the self-start limit has its own tests, which set it.
os.environ.setdefault("FORMENGINE_SELF_START_PER_ADDRESS", "1000000")
os.environ.setdefault("FORMENGINE_SELF_START_GLOBAL", "0")

REPO = Path(__file__).resolve().parent.parent
SHIPPED_FORMS = REPO / "forms"

MINIMAL = """\
id: {form_id}
version: {version}
status: active
title: Test
languages: [nb]
default_language: nb
sections:
  - id: s1
    title: Del 1
    items:
{items}
"""


@pytest.fixture
def forms_root(tmp_path: Path) -> Path:
    root = tmp_path / "forms"
    root.mkdir()
    return root


@pytest.fixture
def write_form(forms_root: Path):
    """Write YAML text to forms/<id>/<version>.yaml and return the path."""

    def write(text: str, form_id: str = "test", version: str = "1.0.0") -> Path:
        path = forms_root / form_id / f"{version}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), "utf-8")
        return path

    return write


@pytest.fixture
def write_items(write_form):
    """Write a one-section nb form whose items are the given YAML (indented list entries)."""

    def write(items: str, form_id: str = "test", version: str = "1.0.0") -> Path:
        body = textwrap.indent(textwrap.dedent(items).strip("\n"), "      ")
        return write_form(MINIMAL.format(form_id=form_id, version=version, items=body), form_id, version)

    return write


@pytest.fixture
def shipped_forms(tmp_path: Path) -> Path:
    """A private, editable copy of the shipped forms, as drafts: without published.lock.

    Tests edit files in it (translations, overlays, doc examples); a test about publishing
    publishes in it explicitly. The real lock is checked against forms/ itself.
    """
    target = tmp_path / "shipped"
    shutil.copytree(SHIPPED_FORMS, target, ignore=shutil.ignore_patterns("published.lock"))
    return target
