"""The engineering gate and the habits around it (issue 16, parts 1, 2 and 7).

CI (`.ci/run`) runs `scripts/test.sh`, which runs the gate (`scripts/check.sh`: ruff, ruff
format, mypy) before the tests, and fails when pytest collects nothing. The scripts are run
here with a stand-in `python3` on PATH, so the tests check what the scripts do, not how they
are written, without installing anything or running the real tools.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FAKE_PYTHON = """#!/usr/bin/env bash
# stand-in for python3: record the call, exit with the code the test chose for that tool
echo "$*" >> "$CALLS"
case "$*" in
  *"-m ruff check"*) exit "${RUFF_RC:-0}" ;;
  *"-m ruff format"*) exit "${FORMAT_RC:-0}" ;;
  *"-m mypy"*) exit "${MYPY_RC:-0}" ;;
  *"-m pytest"*) exit "${PYTEST_RC:-0}" ;;
esac
exit 0
"""


def _run_with_fake_python(
    tmp_path: Path, script: str, **codes: int
) -> tuple[subprocess.CompletedProcess[str], str]:
    """Run ``script`` (bash source) in a copy of the repository layout with a stand-in python3."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "python3"
    fake.write_text(FAKE_PYTHON, "utf-8")
    fake.chmod(0o755)
    calls = tmp_path / "calls.txt"
    calls.touch()
    env = {
        **os.environ,
        "PATH": f"{bin_dir}:{os.environ['PATH']}",
        "CALLS": str(calls),
        **{key: str(value) for key, value in codes.items()},
    }
    (tmp_path / "scripts").mkdir()
    for name in ("check.sh",):
        (tmp_path / "scripts" / name).write_text((REPO / "scripts" / name).read_text("utf-8"), "utf-8")
    path = tmp_path / "scripts" / "under_test.sh"
    path.write_text(script, "utf-8")
    done = subprocess.run(
        ["bash", str(path)], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    return done, calls.read_text("utf-8")


def _test_tail() -> str:
    """The part of scripts/test.sh that runs the tests and sets the exit code."""
    text = (REPO / "scripts" / "test.sh").read_text("utf-8")
    start = text.index('echo "== running the test suite"')
    return "#!/usr/bin/env bash\nset -euo pipefail\n" + text[start:]


def test_ci_runs_the_test_script_and_the_test_script_runs_the_gate_before_pytest():
    assert "scripts/test.sh" in (REPO / ".ci" / "run").read_text("utf-8")
    text = (REPO / "scripts" / "test.sh").read_text("utf-8")
    assert text.index("bash scripts/check.sh") < text.index("-m pytest")


def test_the_gate_runs_ruff_format_check_and_mypy(tmp_path):
    done, calls = _run_with_fake_python(tmp_path, (REPO / "scripts" / "check.sh").read_text("utf-8"))
    assert done.returncode == 0, done.stderr
    assert calls.splitlines() == ["-m ruff check .", "-m ruff format --check .", "-m mypy"]


@pytest.mark.parametrize(
    ("tool", "name"), [("RUFF_RC", "lint"), ("FORMAT_RC", "format"), ("MYPY_RC", "types")]
)
def test_any_finding_fails_the_gate_and_names_the_check(tmp_path, tool, name):
    done, calls = _run_with_fake_python(
        tmp_path, (REPO / "scripts" / "check.sh").read_text("utf-8"), **{tool: 1}
    )
    assert done.returncode == 1
    assert f"FAILED: the engineering gate found problems in: {name}." in done.stderr
    assert len(calls.splitlines()) == 3  # every check runs, so one run shows every kind of finding


def test_no_tests_collected_fails_the_test_command(tmp_path):
    done, _ = _run_with_fake_python(tmp_path, _test_tail(), PYTEST_RC=5)
    assert done.returncode == 5
    assert "collected no tests" in done.stderr


@pytest.mark.parametrize("code", [0, 1])
def test_the_test_command_passes_pytests_exit_code_through(tmp_path, code):
    done, _ = _run_with_fake_python(tmp_path, _test_tail(), PYTEST_RC=code)
    assert done.returncode == code


def test_pre_commit_runs_the_same_tools():
    import yaml

    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text("utf-8"))
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    assert set(hooks) == {"ruff", "ruff-format", "mypy", "commit-subject"}
    assert config["default_install_hook_types"] == ["pre-commit", "commit-msg"]
    assert hooks["ruff"]["entry"].startswith("python3 -m ruff check")
    assert hooks["ruff-format"]["entry"].startswith("python3 -m ruff format")
    assert hooks["mypy"]["entry"] == "python3 -m mypy" and hooks["mypy"]["pass_filenames"] is False


@pytest.mark.parametrize(("subject", "code"), [("x" * 72, 0), ("x" * 73, 1)])
def test_commit_subjects_longer_than_72_characters_are_refused(tmp_path, subject, code):
    import shlex

    import yaml

    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text("utf-8"))
    hook = next(hook for repo in config["repos"] for hook in repo["hooks"] if hook["id"] == "commit-subject")
    message = tmp_path / "COMMIT_EDITMSG"
    message.write_text(f"{subject}\n\nA body may be as long as it needs to be.\n", "utf-8")
    done = subprocess.run(
        [*shlex.split(hook["entry"]), str(message)], capture_output=True, text=True, timeout=30
    )
    assert done.returncode == code, done.stderr


def test_the_gate_tools_are_in_the_test_extra():
    extra = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]["optional-dependencies"][
        "test"
    ]
    names = {re.split(r"[<>=\[ ]", requirement, maxsplit=1)[0].lower() for requirement in extra}
    assert {"ruff", "mypy", "types-pyyaml"} <= names


def test_every_mypy_exception_is_written_down_with_a_reason():
    text = (REPO / "pyproject.toml").read_text("utf-8")
    config = tomllib.loads(text)["tool"]["mypy"]
    assert config["strict"] is True
    blocks = text.split("[[tool.mypy.overrides]]")[1:]
    assert len(blocks) == len(config.get("overrides", []))
    for block in blocks:
        assert block.lstrip().startswith("#"), f"an override without a comment saying why:\n{block[:200]}"


def test_no_test_skips_when_a_project_module_is_missing():
    pattern = re.compile(r"importorskip\(\s*[\"'](formengine|webapp)")
    found = [
        f"{path.relative_to(REPO)}:{number}"
        for path in sorted((REPO / "tests").rglob("*.py"))
        for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1)
        if pattern.search(line)
    ]
    assert not found


def test_licence_file_matches_the_package_metadata():
    project = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]
    assert project["license"] == {"text": "MIT"}
    text = (REPO / "LICENSE").read_text("utf-8")
    assert text.startswith("MIT License") and "Copyright (c) 2026 the formengine authors" in text


def test_changelog_is_in_keep_a_changelog_form():
    headings = [
        line for line in (REPO / "CHANGELOG.md").read_text("utf-8").splitlines() if line.startswith("#")
    ]
    assert headings[0] == "# Changelog"
    releases = [h for h in headings if h.startswith("## ")]
    assert releases[0] == "## [Unreleased]"
    for heading in releases[1:]:
        assert re.fullmatch(r"## \[\d+\.\d+\.\d+\] - \d{4}-\d{2}-\d{2}", heading), heading
    categories = {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}
    for heading in headings:
        if heading.startswith("### "):
            assert heading[4:] in categories, heading
    import formengine

    assert f"## [{formengine.__version__}] - " in "\n".join(releases), "the current version has no entry"


def _collected(cwd: Path) -> list[str]:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
    }
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return sorted(line for line in done.stdout.splitlines() if "::" in line)


def test_pytest_collects_the_same_tests_from_tests_as_from_the_root():
    from_root = _collected(REPO)
    assert len(from_root) > 1000
    assert _collected(REPO / "tests") == from_root
