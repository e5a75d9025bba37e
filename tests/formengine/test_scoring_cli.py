"""The `formengine score FORM@VERSION ANSWERS.json` command."""

from __future__ import annotations

import json
from pathlib import Path

from formengine.cli.main import main

REPO = Path(__file__).resolve().parents[2]
FORMS = str(REPO / "forms")
FULL = REPO / "tests/data/answers/core_full_realistic.json"


def write(tmp_path, document) -> str:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(document), "utf-8")
    return str(path)


def test_prints_the_report_json(capsys):
    assert main(["--forms", FORMS, "score", "parorende-kartlegging@1.0.0", str(FULL), "--lang", "en"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["form"], data["version"], data["lang"]) == ("parorende-kartlegging", "1.0.0", "en")
    values = {s["id"]: s["value"] for s in data["scales"]}
    assert values["strain_total"] == 2.31
    assert next(s for s in data["scales"] if s["id"] == "strain_time")["label"] == "Time and being on call"


def test_bad_answers_print_coded_lines_and_exit_1(tmp_path, capsys):
    doc = {
        "form": "parorende-kartlegging",
        "version": "1.0.0",
        "answers": {"nonsense": "x", "strain_time_1": "loads", "roles_held": "caregiver"},
    }
    assert main(["--forms", FORMS, "score", "parorende-kartlegging@1.0.0", write(tmp_path, doc)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    codes = sorted(line.split(": ")[1].split()[0] for line in captured.err.strip().splitlines())
    assert codes == ["FE501", "FE502", "FE503"]


def test_answers_for_another_version_are_fe505(tmp_path, capsys):
    doc = {"form": "parorende-kartlegging", "version": "1.1.0", "answers": {}}
    assert main(["--forms", FORMS, "score", "parorende-kartlegging@1.0.0", write(tmp_path, doc)]) == 1
    assert "FE505" in capsys.readouterr().err


def test_unreadable_answers_file_is_fe507(tmp_path, capsys):
    path = tmp_path / "broken.json"
    path.write_text("{not json", "utf-8")
    assert main(["--forms", FORMS, "score", "parorende-kartlegging@1.0.0", str(path)]) == 1
    assert "FE507" in capsys.readouterr().err


def test_unknown_form_version_is_fe309(tmp_path, capsys):
    assert main(["--forms", FORMS, "score", "parorende-kartlegging@9.9.9", str(FULL)]) == 1
    assert "FE309" in capsys.readouterr().err
