#!/usr/bin/env bash
# Install everything the test suite needs on a fresh Debian machine, run the engineering gate
# (scripts/check.sh: ruff, ruff format, mypy), then run the whole suite.
# Usage: bash scripts/test.sh [pytest args]
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || need_apt+=(poppler-utils)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt+=(postgresql)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need_apt+=(fonts-dejavu-core)
command -v npm >/dev/null 2>&1 || need_apt+=(npm)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "== installing system packages: ${need_apt[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    echo "warning: missing ${need_apt[*]} and not root; the tests that need them will be skipped" >&2
  fi
fi

echo "== installing Python packages"
python3 -m pip install -q --disable-pip-version-check -e ".[test]" 2>&1 | grep -v "Running pip as the 'root' user" || true

# The engineering gate: lint, format and types, each with the project's own configuration
# (pyproject.toml). Any finding fails the run before a single test starts.
bash scripts/check.sh

if [ -d locales ] && ls locales/*/LC_MESSAGES/*.po >/dev/null 2>&1; then
  pybabel compile -d locales -D messages >/dev/null     # the web app's strings
  pybabel compile -d locales -D formengine >/dev/null   # the library's own strings
fi

# The real OpenID Connect provider the single sign-on tests start (tests/oidc, npm oidc-provider).
if command -v npm >/dev/null 2>&1; then
  echo "== installing the test OpenID provider (npm ci in tests/oidc)"
  (cd tests/oidc && npm ci --no-audit --no-fund --silent) || echo "warning: npm ci in tests/oidc failed" >&2
fi

# The Helsenorge Refero test page the FHIR renderer tests load (tests/fhir_clients/refero):
# npm ci from its lock file (exact versions, cache in .cache/npm), then esbuild into .cache/refero.
if command -v npm >/dev/null 2>&1; then
  echo "== building the Refero test page (npm ci + esbuild, tests/fhir_clients/refero/build.sh)"
  bash tests/fhir_clients/refero/build.sh || echo "warning: building the Refero test page failed" >&2
fi

# A throwaway PostgreSQL server on a private port for the database tests.
if [ -z "${FORMENGINE_TEST_POSTGRES_URL:-}" ] && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  # shellcheck source=scripts/pg.sh
  source scripts/pg.sh && pg_start || echo "warning: could not start PostgreSQL; its tests will be skipped" >&2
fi

echo "== dependency audit (pip-audit; warns, never fails the build)"
bash scripts/audit.sh || true

echo "== running the test suite"
set +e
python3 -m pytest -q -p no:cacheprovider "$@"
rc=$?
set -e
if [ "$rc" = 5 ]; then
  echo "FAILED: pytest collected no tests (exit 5). A test run that tests nothing is a failure;" >&2
  echo "check the paths and -k/-m arguments given to scripts/test.sh." >&2
fi
exit "$rc"
