#!/usr/bin/env bash
# make test: set up (with Chromium), then the test suite and, in a separate pytest run, the browser tests.
# Extra arguments go to the first pytest run. CCS_SKIP_BROWSER=1 skips tests/browser.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
t0="$(date +%s.%N)"

bash "$ROOT/scripts/setup_env.sh" --test

unit_rc=0
.venv/bin/pytest -q -p no:cacheprovider --ignore=tests/browser "$@" || unit_rc=$?

browser_rc=skipped
if [ -d tests/browser ] && [ "${CCS_SKIP_BROWSER:-0}" != 1 ]; then
  browser_rc=0
  # separate process: pytest-playwright's event loop breaks later pytest-asyncio tests
  .venv/bin/pytest -q -p no:cacheprovider tests/browser || browser_rc=$?
fi

result() { case "$1" in 0) echo passed ;; skipped) echo skipped ;; *) echo "FAILED (exit $1)" ;; esac; }
elapsed="$(echo "$(date +%s.%N) $t0" | awk '{printf "%.1f", $1 - $2}')"
echo "tests: $(result "$unit_rc"); browser tests: $(result "$browser_rc"); total ${elapsed} s"
[ "$unit_rc" = 0 ] && { [ "$browser_rc" = 0 ] || [ "$browser_rc" = skipped ]; }
