"""`formengine new-variant`: slugs, refusals, and a scaffold that passes check as written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from formengine.cli.commands.new_variant import SCHEMA_LINE, slugify
from formengine.cli.main import main
from formengine.definition.registry import load_registry

CORE = "parorende-kartlegging@1.1.0"


@pytest.mark.parametrize(
    "name,slug",
    [
        ("Eksempel kommune", "eksempel-kommune"),
        ("Bø i Telemark", "bo-i-telemark"),
        ("Ålesund kommune", "aalesund-kommune"),
        ("Lærdal", "laerdal"),
        ("Guovdageaidnu – Kautokeino", "guovdageaidnu-kautokeino"),
        ("Nord-Fron  kommune", "nord-fron-kommune"),
    ],
)
def test_slugify(name, slug):
    assert slugify(name) == slug


def scaffold(root: Path, *extra: str) -> int:
    return main(
        ["--forms", str(root), "new-variant", "--municipality", "Bø i Telemark", "--extends", CORE, *extra]
    )


def test_scaffold_passes_strict_check_as_written(shipped_forms: Path, capsys):
    assert scaffold(shipped_forms) == 0
    path = shipped_forms / "bo-i-telemark" / "1.0.0.yaml"
    text = path.read_text("utf-8")
    assert text.splitlines()[0] == SCHEMA_LINE
    assert "status: draft" in text and f"extends: {CORE}" in text
    assert main(["check", "--strict", "-q", str(path)]) == 0, capsys.readouterr().out
    definition = load_registry(shipped_forms).get("bo-i-telemark", "1.0.0")
    assert definition.status == "draft" and definition.municipality.name == "Bø i Telemark"
    core = load_registry(shipped_forms).get(*CORE.split("@"))
    assert set(definition.offers[0].domains) <= {d.id for d in core.domains}
    assert definition.offers[0].contact == definition.contacts[0].id


def test_every_overlay_op_is_shown_with_real_ids_and_uncommented_it_validates(shipped_forms: Path, capsys):
    scaffold(shipped_forms)
    path = shipped_forms / "bo-i-telemark" / "1.0.0.yaml"
    text = path.read_text("utf-8")
    for op in ("add_items", "add_section", "set_text", "hide"):
        assert f"# - op: {op}" in text
    core = load_registry(shipped_forms).get(*CORE.split("@"))
    for key in ("after", "target"):
        for ident in re.findall(rf"#   {key}: (\w+)", text):
            assert ident in core.items_by_id or ident in {s.id for s in core.sections}, ident
    path.write_text(re.sub(r"(?m)^  # (- |  )", r"  \1", text), "utf-8")
    assert main(["check", "--strict", "-q", str(path)]) == 0, capsys.readouterr().out
    definition = load_registry(shipped_forms).get("bo-i-telemark", "1.0.0")
    hidden = re.search(r"#   target: (\w+)\n*$", text).group(1)
    assert "local_callback" in definition.items_by_id and hidden not in definition.items_by_id
    assert definition.sections[-1].id == "local_services"


def test_id_and_version_options(shipped_forms: Path):
    assert scaffold(shipped_forms, "--id", "bo", "--version", "2.1.0") == 0
    assert (shipped_forms / "bo" / "2.1.0.yaml").is_file()


def test_refuses_to_overwrite(shipped_forms: Path, capsys):
    assert scaffold(shipped_forms) == 0
    path = shipped_forms / "bo-i-telemark" / "1.0.0.yaml"
    path.write_text(path.read_text("utf-8") + "# my edits\n", "utf-8")
    assert scaffold(shipped_forms) == 2
    assert "already exists" in capsys.readouterr().err
    assert path.read_text("utf-8").endswith("# my edits\n")


@pytest.mark.parametrize(
    "extra,message",
    [
        (("--id", "Bad_Id"), "not a valid form id"),
        (("--version", "1.0"), "not a version"),
        (("--id", "parorende-kartlegging"), "its own id"),
    ],
)
def test_usage_errors(shipped_forms: Path, capsys, extra, message):
    assert scaffold(shipped_forms, *extra) == 2
    assert message in capsys.readouterr().err


def test_unknown_base_and_variant_base(shipped_forms: Path, capsys):
    assert (
        main(
            [
                "--forms",
                str(shipped_forms),
                "new-variant",
                "--municipality",
                "X",
                "--extends",
                "parorende-kartlegging@9.9.9",
            ]
        )
        == 1
    )
    assert "FE309" in capsys.readouterr().err
    assert (
        main(
            [
                "--forms",
                str(shipped_forms),
                "new-variant",
                "--municipality",
                "X",
                "--extends",
                "eksempel-kommune@1.0.0",
            ]
        )
        == 1
    )
    assert "FE311" in capsys.readouterr().err
    assert not (shipped_forms / "x").exists()
