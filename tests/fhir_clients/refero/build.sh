#!/usr/bin/env bash
# Build the Refero test page (tests/fhir_clients/refero) into .cache/refero/dist:
# `npm ci` from the committed lock file (exact versions, npm cache in .cache/npm), then esbuild.
# Does nothing when the sources and the lock file are unchanged since the last build.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
work="$root/.cache/refero"
sources=(package.json package-lock.json index.jsx index.html resources.js styles.css build.mjs)
stamp=$(cd "$here" && cat "${sources[@]}" | sha256sum | cut -d' ' -f1)
if [ -f "$work/dist/index.js" ] && [ "$(cat "$work/dist/.stamp" 2>/dev/null)" = "$stamp" ]; then
  exit 0
fi
mkdir -p "$work/src"
lock=$(sha256sum "$here/package-lock.json" | cut -d' ' -f1)
if [ "$(cat "$work/.lock-installed" 2>/dev/null)" != "$lock" ]; then
  cp "$here/package.json" "$here/package-lock.json" "$work/"
  # --ignore-scripts: esbuild finds its platform binary without its postinstall check, and
  # fhirpath's preinstall only builds its demo page.
  (cd "$work" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error --cache "$root/.cache/npm")
  echo "$lock" >"$work/.lock-installed"
fi
(cd "$here" && cp "${sources[@]}" "$work/src/")
node "$work/src/build.mjs"
echo "$stamp" >"$work/dist/.stamp"
