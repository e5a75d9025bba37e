"""The `formengine` command as other tools use it: output shapes and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from formengine.cli.main import main

REPO = Path(__file__).resolve().parents[2]
SHIPPED_FORMS = str(REPO / "forms")


def run(*args: str) -> subprocess.CompletedProcess:
    # from the repository root, so that the default forms folder (./forms) is the shipped one
    return subprocess.run(
        [sys.executable, "-m", "formengine", *args], capture_output=True, text=True, timeout=120, cwd=REPO
    )


def test_check_prints_one_line_per_problem_and_exits_1(write_items, forms_root):
    write_items("- {id: q1, type: txt, label: A}\n- {id: q1, type: text, label: B}")
    result = run("check", str(forms_root))
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    assert [line.split(": ")[1].split()[0] for line in lines] == ["FE104", "FE105"]
    assert lines[0].endswith("(did you mean 'text'?) — use one of: " + lines[0].split("use one of: ")[1])
    assert ":11:" in lines[0] and ":12:" in lines[1]
    assert "Traceback" not in result.stderr


def test_check_a_single_file_and_a_missing_path(write_items, forms_root, capsys):
    path = write_items("- {id: q1, type: text, label: A}")
    assert main(["check", str(path)]) == 0
    assert main(["check", str(forms_root / "nope.yaml")]) == 1


def test_list_json_and_show_json_shapes(capsys):
    assert main(["--forms", SHIPPED_FORMS, "list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {"id", "version", "status"} <= set(rows[0])
    assert (
        main(["--forms", SHIPPED_FORMS, "show", "parorende-kartlegging@1.0.0", "--json", "--lang", "nb"]) == 0
    )
    shown = json.loads(capsys.readouterr().out)
    for key in ("id", "version", "status", "languages", "sections", "scales"):
        assert key in shown
    item = next(i for s in shown["sections"] for i in s["items"] if i.get("options"))
    assert {"id", "type", "required", "options"} <= set(item)
    assert all("value" in o for o in item["options"])
    scale = shown["scales"][0]
    assert {"id", "items", "method"} <= set(scale)


def test_show_text_reads_as_pages():
    result = run("show", "parorende-kartlegging", "--lang", "nb")
    assert result.returncode == 0
    assert "Del 1 av" in result.stdout


def test_unknown_form_is_a_coded_error_not_a_traceback():
    result = run("show", "finnes-ikke@1.0.0")
    assert result.returncode == 1 and "FE309" in result.stderr and "Traceback" not in result.stderr


def test_version_has_one_source(capsys):
    """`formengine --version` and the package metadata both read formengine.__version__."""
    import tomllib

    import formengine

    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.strip() == f"formengine {formengine.__version__}"
    project = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))
    assert "version" not in project["project"] and "version" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "formengine.__version__"}


def test_schema_command_prints_json():
    result = run("schema")
    assert json.loads(result.stdout)["$schema"].startswith("https://json-schema.org/")


def test_forms_option_and_environment(write_items, forms_root, monkeypatch, capsys):
    write_items("- {id: q1, type: text, label: A}")
    assert main(["--forms", str(forms_root), "list", "--json"]) == 0
    assert [r["id"] for r in json.loads(capsys.readouterr().out)] == ["test"]
    monkeypatch.setenv("FORMENGINE_FORMS", str(forms_root))
    assert main(["list", "--json"]) == 0
    assert [r["id"] for r in json.loads(capsys.readouterr().out)] == ["test"]


def test_diff_command(capsys):
    assert (
        main(["--forms", SHIPPED_FORMS, "diff", "parorende-kartlegging@1.0.0", "parorende-kartlegging@1.1.0"])
        == 0
    )
    assert "MINOR" in capsys.readouterr().out


def test_a_stored_date_limited_by_today_stays_valid(write_items, forms_root):
    import datetime as dt

    from formengine import load_registry, validate_answers

    write_items("- {id: review, type: date, label: Neste gjennomgang, min: today}")
    defn = load_registry(forms_root).get("test", "1.0.0")
    old = {"review": "2020-01-01"}
    assert validate_answers(defn, old) == []  # re-scoring an old agreement years later
    assert [p.code for p in validate_answers(defn, old, today=dt.date(2026, 11, 22))] == ["FE504"]


def test_an_item_that_depends_on_a_hidden_item_is_hidden_too(write_items, forms_root):
    from formengine import load_registry
    from formengine.answers.conditions import effective_answers, visible_items

    write_items("""
        - {id: cares, type: yes_no, label: Hjelper du noen?}
        - {id: lives_with, type: yes_no, label: Bor dere sammen?, show_if: "cares == 'yes'"}
        - {id: nights, type: yes_no, label: Er du våken om natta?, show_if: "lives_with == 'yes'"}
    """)
    defn = load_registry(forms_root).get("test", "1.0.0")
    answers = {"cares": "no", "lives_with": "yes", "nights": "yes"}  # changed their mind on page 1
    assert effective_answers(defn, answers) == {"cares": "no"}
    assert visible_items(defn, answers) == {"cares"}


def test_the_command_speaks_the_language_in_formengine_lang(tmp_path, monkeypatch, capsys):
    from formengine.cli.main import main as run

    missing = tmp_path / "nowhere"
    monkeypatch.delenv("FORMENGINE_LANG", raising=False)
    assert run(["check", str(missing)]) == 1
    assert "FE001 cannot read file: no such file or folder" in capsys.readouterr().err
    monkeypatch.setenv("FORMENGINE_LANG", "nn")
    assert run(["check", str(missing)]) == 1
    assert "FE001 Fila kan ikkje lesast: fila eller mappa finst ikkje" in capsys.readouterr().err
