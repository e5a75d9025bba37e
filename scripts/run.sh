#!/usr/bin/env bash
# Install the package and run the web app with the shipped forms on SQLite (instance/ folder).
# Usage: bash scripts/run.sh   → http://127.0.0.1:5000/
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install -q --disable-pip-version-check -e . 2>&1 | grep -v "Running pip as the 'root' user" || true
if ls locales/*/LC_MESSAGES/*.po >/dev/null 2>&1; then
  pybabel compile -d locales -D messages >/dev/null     # the web app's strings
  pybabel compile -d locales -D formengine >/dev/null   # the library's own strings
fi
export FORMENGINE_FORMS="${FORMENGINE_FORMS:-$PWD/forms}"
exec flask --app webapp run --host "${HOST:-127.0.0.1}" --port "${PORT:-5000}"
