#!/usr/bin/env bash
# The engineering gate: ruff (lint), ruff format (check only) and mypy, each with the
# configuration in pyproject.toml. Exits non-zero, naming every failed check, if any finds
# anything. scripts/test.sh (and so .ci/run) runs it before the tests; run it yourself
# before committing, or let pre-commit do it (see README, "Engineering gate").
# Usage: bash scripts/check.sh
set -uo pipefail
cd "$(dirname "$0")/.."

failed=()
run() {
  local name="$1"
  shift
  echo "== $name: $*"
  if ! "$@"; then
    failed+=("$name")
  fi
}

run "lint" python3 -m ruff check .
run "format" python3 -m ruff format --check .
run "types" python3 -m mypy

if [ ${#failed[@]} -gt 0 ]; then
  echo >&2
  echo "FAILED: the engineering gate found problems in: ${failed[*]}." >&2
  echo "  lint:   python3 -m ruff check .          (many are fixed by: ruff check --fix FILE)" >&2
  echo "  format: python3 -m ruff format --check . (fix with: ruff format FILE)" >&2
  echo "  types:  python3 -m mypy                  (configuration: [tool.mypy] in pyproject.toml)" >&2
  exit 1
fi
echo "== engineering gate passed (ruff, ruff format, mypy)"
