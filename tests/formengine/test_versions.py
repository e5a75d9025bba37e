"""Versions: the registry, published.lock immutability, retired versions, semver order, diff."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from formengine import FormError, load_registry, publish
from formengine.cli.main import main
from formengine.definition.diff import diff

SHIPPED_FORMS = Path(__file__).resolve().parents[2] / "forms"

FORM = """\
id: demo
version: {version}
status: {status}
title: Demo
languages: [nb]
default_language: nb
sections:
  - id: s1
    title: Del 1
    items:
      - id: q1
        type: scale
        label: {label}
        options:
          - {{value: a, label: Lite, score: 0}}
          - {{value: b, label: Mye, score: 2}}
"""


def write(write_form, version="1.0.0", status="active", label="Hvor sliten er du?"):
    return write_form(FORM.format(version=version, status=status, label=label), "demo", version)


def test_shipped_forms_are_valid_under_strict(capsys):
    assert main(["check", "--strict", str(SHIPPED_FORMS)]) == 0
    registry = load_registry(SHIPPED_FORMS, strict=True)
    assert registry.problems == []
    assert len(registry.definitions) >= 5


def test_changing_a_label_in_a_published_version_fails_check(write_form, forms_root, capsys):
    path = write(write_form)
    digest = publish(forms_root, "demo@1.0.0")
    assert json.loads((forms_root / "published.lock").read_text()) == {"demo@1.0.0": digest}
    assert main(["check", str(forms_root)]) == 0
    path.write_text(path.read_text().replace("Hvor sliten er du?", "Hvor trøtt er du?"))
    assert main(["check", str(forms_root)]) == 1
    out = capsys.readouterr().out
    assert "FE301" in out and "create a new version instead" in out
    # The fix is a new version, which passes; the old file restored passes again.
    path.write_text(path.read_text().replace("Hvor trøtt er du?", "Hvor sliten er du?"))
    write(write_form, "1.1.0", label="Hvor trøtt er du?")
    assert main(["check", str(forms_root)]) == 0


def test_comments_and_formatting_do_not_change_the_hash(write_form, forms_root):
    path = write(write_form)
    publish(forms_root, "demo@1.0.0")
    path.write_text("# a comment\n" + path.read_text().replace("title: Demo", "title:   Demo   "))
    assert [p.code for p in load_registry(forms_root).problems] == []


def test_publish_refuses_drafts_and_broken_versions(write_form, forms_root):
    write(write_form, status="draft")
    with pytest.raises(FormError) as info:
        publish(forms_root, "demo@1.0.0")
    assert info.value.problems[0].code == "FE310"
    with pytest.raises(FormError) as info:
        publish(forms_root, "demo@9.9.9")
    assert info.value.problems[0].code == "FE309"


def test_newest_active_version_serves_new_fillings_and_retired_still_load(write_form, forms_root):
    write(write_form, "1.0.0", status="retired")
    write(write_form, "1.2.0")
    write(write_form, "1.10.0", status="draft")
    registry = load_registry(forms_root)
    assert registry.latest_active("demo").version == "1.2.0"  # semver order, drafts excluded
    assert registry.get("demo", "1.0.0").status == "retired"  # old responses still resolve
    assert [d.version for d in registry.versions("demo")] == ["1.0.0", "1.2.0", "1.10.0"]


def test_file_path_must_match_id_and_version(write_form, forms_root):
    write_form(FORM.format(version="1.0.1", status="active", label="x"), "demo", "1.0.0")
    codes = [(p.code, p.location.line) for p in load_registry(forms_root).problems]
    assert codes == [("FE117", 2)]


def test_diff_says_which_bump_is_needed(write_form, forms_root):
    write(write_form, "1.0.0")
    write(write_form, "1.0.1", label="Hvor trøtt er du?")
    write_form(
        FORM.format(version="2.0.0", status="active", label="x").replace("score: 2", "score: 3"),
        "demo",
        "2.0.0",
    )
    registry = load_registry(forms_root)
    assert diff(registry.get("demo", "1.0.0"), registry.get("demo", "1.0.1")).level == "patch"
    result = diff(registry.get("demo", "1.0.0"), registry.get("demo", "2.0.0"))
    assert result.level == "major" and ("major", "score changed", "q1: b 2 → 3") in result.changes


def test_shipped_core_1_1_is_a_minor_change():
    registry = load_registry(SHIPPED_FORMS)
    result = diff(
        registry.get("parorende-kartlegging", "1.0.0"), registry.get("parorende-kartlegging", "1.1.0")
    )
    assert result.level == "minor"


def test_published_lock_of_the_shipped_forms_holds():
    registry = load_registry(SHIPPED_FORMS)
    assert registry.lock, "the shipped forms should be published"
    assert not [p for p in registry.problems if p.code == "FE301"]


def test_a_second_folder_holds_municipal_versions_with_its_own_lock(write_form, forms_root, tmp_path):
    write(write_form)
    local = tmp_path / "local"
    (local / "demo-lokal").mkdir(parents=True)
    (local / "demo-lokal" / "1.0.0.yaml").write_text(
        "id: demo-lokal\nversion: 1.0.0\nstatus: active\nextends: demo@1.0.0\n"
        "municipality: {id: lokal, name: Lokal kommune}\n",
        "utf-8",
    )
    registry = load_registry([forms_root, local])
    assert registry.errors == []
    assert registry.get("demo-lokal", "1.0.0").item("q1").label.get() == "Hvor sliten er du?"
    publish([forms_root, local], "demo-lokal@1.0.0")
    assert "demo-lokal@1.0.0" in json.loads((local / "published.lock").read_text())
    assert not (forms_root / "published.lock").exists()
    assert load_registry([forms_root, local]).errors == []


def test_the_same_version_in_two_folders_is_refused(write_form, forms_root, tmp_path):
    path = write(write_form)
    other = tmp_path / "other" / "demo"
    other.mkdir(parents=True)
    (other / "1.0.0.yaml").write_text(path.read_text(), "utf-8")
    assert [p.code for p in load_registry([forms_root, tmp_path / "other"]).errors] == ["FE306"]


def test_a_missing_version_is_a_lookup_error(forms_root):
    with pytest.raises(LookupError):
        load_registry(forms_root).get("nope", "1.0.0")


def test_a_held_back_folder_serves_no_unpublished_version(write_form, forms_root, tmp_path):
    write(write_form)
    local = tmp_path / "local"
    (local / "demo-lokal").mkdir(parents=True)
    (local / "demo-lokal" / "1.0.0.yaml").write_text(
        "id: demo-lokal\nversion: 1.0.0\nstatus: active\nextends: demo@1.0.0\n"
        "municipality: {id: lokal, name: Lokal kommune}\n",
        "utf-8",
    )
    assert load_registry([forms_root, local]).latest_active("demo-lokal") is not None  # not held back
    registry = load_registry([forms_root, local], hold_back=[local])
    assert registry.get("demo-lokal", "1.0.0").status == "draft"
    assert registry.latest_active("demo-lokal") is None
    assert registry.latest_active("demo") is not None  # only the held-back folder is affected
    publish([forms_root, local], "demo-lokal@1.0.0")
    assert registry.latest_active("demo-lokal") is None  # a registry is a snapshot ...
    reloaded = registry.reload()  # ... and reload() keeps the folders and the hold-back
    assert reloaded.held_back == (local,)
    assert reloaded.get("demo-lokal", "1.0.0").status == "active"
