"""Every hostile definition from tests/security/hostile.py is refused with a coded, located
problem, without a traceback: by ``formengine check FILE`` and by the upload page (issue #14).

Times are measured and printed (run with ``-s``), never asserted; a generous subprocess
timeout is the only failure condition for speed.
"""

# ruff: noqa: F811  (pytest fixtures)
from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ..webapp.authoringkit import make_app, staff_client, upload
from .hostile import generate

REPO = Path(__file__).resolve().parent.parent.parent
CASES = generate()
LOCATED = re.compile(r"^(?P<file>[^:\n]+\.yaml):(?P<line>\d+):(?P<col>\d+): (?P<code>FE\d{3}) ", re.M)


def test_the_generator_makes_at_least_100_hostile_definitions():
    assert len(CASES) >= 100
    from . import hostile

    for group in (
        hostile.bombs,
        hostile.nesting,
        hostile.huge,
        hostile.non_finite,
        hostile.impossible,
        hostile.cycles,
        hostile.expressions,
        hostile.encodings,
        hostile.syntax,
    ):
        assert len(group()) >= 5, group.__name__


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("hostile")
    paths = []
    for n, (name, content) in enumerate(CASES):
        path = folder / f"{n:03d}_{name}.yaml"
        path.write_bytes(content)
        paths.append(path)
    return paths


def test_formengine_check_refuses_each_file_with_a_located_code(files):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "formengine", "check", *[p.name for p in files]],
        cwd=files[0].parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    elapsed = time.perf_counter() - started
    assert "Traceback" not in result.stdout + result.stderr, result.stderr[-2000:]
    assert result.returncode == 1
    located: dict[str, list[str]] = {}
    for match in LOCATED.finditer(result.stdout):
        assert int(match["line"]) >= 1 and int(match["col"]) >= 1
        located.setdefault(match["file"], []).append(match["code"])
    unrefused = [p.name for p in files if p.name not in located]
    assert not unrefused, unrefused
    for path in files:
        assert f"{path.name}: 0 form version(s) valid" in result.stderr, path.name
    print(
        f"\nformengine check of {len(files)} hostile files in one run: {elapsed:.1f} s "
        f"({elapsed / len(files) * 1000:.0f} ms a file on average, process start included)"
    )


def test_each_file_alone_is_checked_in_reported_time(files):
    from formengine.definition.registry import check_file

    times = []
    for path in files:
        started = time.perf_counter()
        problems, valid = check_file(path)
        times.append((time.perf_counter() - started, path.name))
        assert not valid and any(p.location.line >= 1 and p.code.startswith("FE") for p in problems), (
            path.name
        )
    times.sort()
    print(
        f"\ncheck_file per hostile file: median {statistics.median(t for t, _ in times) * 1000:.1f} ms, "
        f"slowest {times[-1][0] * 1000:.0f} ms ({times[-1][1]})"
    )


@pytest.fixture(scope="module")
def author(tmp_path_factory):
    monkeypatch = pytest.MonkeyPatch()
    app = make_app(tmp_path_factory.mktemp("upload"), monkeypatch)
    yield staff_client(app, "skjema@testby.no", "form_admin")
    app.extensions["formengine_db"].engine.dispose()
    monkeypatch.undo()


@pytest.mark.parametrize("index", range(len(CASES)), ids=[name for name, _ in CASES])
def test_the_upload_page_refuses_each_with_a_located_code(author, index):
    name, content = CASES[index]
    started = time.perf_counter()
    resp = upload(author, file=content, filename=f"{name}.yaml")
    elapsed = time.perf_counter() - started
    page = resp.get_data(as_text=True)
    assert resp.status_code in (400, 413), resp.status_code
    assert "Traceback" not in page and "Internal Server Error" not in page
    codes = re.findall(r"\bFE\d{3}\b", page)
    assert codes, f"{name}: no coded problem on the page"
    assert re.search(r"(linje|line)\s*\d+|upload\.yaml:\d+:\d+|#L\d+|id=\"line-\d+\"", page, re.I), name
    if elapsed > 2:
        print(f"\n{name}: upload answered in {elapsed:.2f} s")
