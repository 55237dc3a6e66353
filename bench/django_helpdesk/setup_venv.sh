#!/usr/bin/env bash
# .venv-dh for make bench's django-helpdesk comparison (bench/django_helpdesk/requirements.txt), kept apart from
# CCS's .venv. Idempotent: installs only when the virtualenv is missing or requirements.txt changed.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
VENV="$ROOT/.venv-dh"
LOG="$ROOT/.local/pip-dh.log"
mkdir -p "$ROOT/.local"

PY="${PYTHON:-$(command -v python3.11 || command -v python3)}"
if [ ! -x "$VENV/bin/python" ]; then
  rm -rf "$VENV"
  "$PY" -m venv "$VENV" || { rm -rf "$VENV"; echo "error: could not create .venv-dh with $PY" >&2; exit 1; }
  echo "venv-dh: created .venv-dh with $("$VENV/bin/python" -V 2>&1)"
fi
REQ_SHA="$(sha256sum "$HERE/requirements.txt" | cut -d' ' -f1)"
if [ "$(cat "$VENV/.requirements.sha256" 2>/dev/null || true)" = "$REQ_SHA" ]; then
  echo "venv-dh: up to date"
else
  echo "venv-dh: installing bench/django_helpdesk/requirements.txt ..."
  "$VENV/bin/pip" install -q -r "$HERE/requirements.txt" >"$LOG" 2>&1 \
    || { grep -v '^WARNING: Location' "$LOG" | tail -n 30 >&2; echo "error: pip install failed (log: $LOG)" >&2; exit 1; }
  printf '%s\n' "$REQ_SHA" >"$VENV/.requirements.sha256"
  echo "venv-dh: installed"
fi
