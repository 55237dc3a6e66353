#!/usr/bin/env bash
# make bench: set up, then the project's benchmark command (arguments are passed on).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash "$ROOT/scripts/setup_env.sh"
.venv/bin/python manage.py bootstrap -v 0  # every schema migrated, as the app expects
exec .venv/bin/python manage.py bench "$@"
