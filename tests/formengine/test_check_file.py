"""`formengine check FILE` checks that file, wherever it is (issue #14, defect 4).

It used to report "1 form version(s) valid" with exit 0 for `cd forms/x && formengine check
1.0.0.yaml`, and for any file outside a forms folder, even one with a syntax error or a
billion-laughs bomb.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
SHIPPED_FORMS = REPO / "forms"

BOMB = "".join(
    f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)
)
BOMB = 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n' + BOMB


def check(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "formengine", "check", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _no_traceback(result: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in result.stdout + result.stderr


def test_a_file_in_the_current_folder_is_checked(tmp_path):
    forms = tmp_path / "forms"
    shutil.copytree(SHIPPED_FORMS, forms, ignore=shutil.ignore_patterns("published.lock"))
    folder = forms / "eksempel-kommune"
    good = check("1.0.0.yaml", cwd=folder)
    assert good.returncode == 0 and "1 form version(s) valid" in good.stderr, good.stderr
    (folder / "1.0.0.yaml").write_text("id: eksempel-kommune\nversion: 1.0.0\n  oops: [\n", "utf-8")
    bad = check("1.0.0.yaml", cwd=folder)
    _no_traceback(bad)
    assert bad.returncode == 1
    assert bad.stdout.startswith("1.0.0.yaml:3:") and " FE004 " in bad.stdout, bad.stdout
    assert "0 form version(s) valid" in bad.stderr


def test_a_file_anywhere_is_checked_syntax_error_and_billion_laughs(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: x\nversion: 1.0.0\n  bad: [\n", "utf-8")
    result = check("broken.yaml", cwd=tmp_path)
    _no_traceback(result)
    assert (
        result.returncode == 1 and result.stdout.startswith("broken.yaml:3:") and " FE004 " in result.stdout
    )
    bomb = tmp_path / "laughs.yaml"
    bomb.write_text(BOMB, "utf-8")
    result = check(str(bomb), cwd=REPO)
    _no_traceback(result)
    assert result.returncode == 1 and " FE007 " in result.stdout, result.stdout
    assert "0 form version(s) valid" in result.stderr


def test_a_valid_file_outside_a_forms_folder_and_a_variant_of_a_shipped_form(tmp_path):
    source = SHIPPED_FORMS / "eksempel-kommune" / "1.0.0.yaml"
    (tmp_path / "mine.yaml").write_text(source.read_text("utf-8"), "utf-8")
    env_forms = ["--forms", str(SHIPPED_FORMS)]
    result = subprocess.run(
        [sys.executable, "-m", "formengine", *env_forms, "check", "mine.yaml"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    _no_traceback(result)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "mine.yaml: 1 form version(s) valid" in result.stderr


def test_a_bad_number_in_a_file_is_located(tmp_path):
    path = tmp_path / "score.yaml"
    path.write_text(
        (REPO / "tests" / "data" / "malformed" / "45_score_infinite.yaml").read_text("utf-8"), "utf-8"
    )
    result = check("score.yaml", cwd=tmp_path)
    _no_traceback(result)
    assert result.returncode == 1 and result.stdout.startswith("score.yaml:16:41: FE015 "), result.stdout


def test_score_and_pdf_of_a_version_with_a_bad_number_report_it_without_a_traceback(tmp_path):
    """Defect 1: `formengine score` and `pdf` printed an OverflowError traceback for `score: 1e999`."""
    folder = tmp_path / "forms" / "bad"
    folder.mkdir(parents=True)
    text = (REPO / "tests" / "data" / "malformed" / "45_score_infinite.yaml").read_text("utf-8")
    (folder / "1.0.0.yaml").write_text(text.replace("id: test", "id: bad", 1), "utf-8")
    (tmp_path / "a.json").write_text('{"form": "bad", "version": "1.0.0", "answers": {"q1": "a"}}', "utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    for args in (["score", "bad@1.0.0", "a.json"], ["pdf", "bad@1.0.0", "a.json", "-o", "x.pdf"]):
        result = subprocess.run(
            [sys.executable, "-m", "formengine", *args],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        _no_traceback(result)
        assert result.returncode == 1 and "1.0.0.yaml:16:41: FE015 " in result.stderr, result.stderr
    assert not (tmp_path / "x.pdf").exists()
