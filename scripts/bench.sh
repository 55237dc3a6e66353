#!/usr/bin/env bash
# make bench: set up, then the project's benchmark command (arguments are passed on).
# Unless --no-comparison is given, .venv-dh is made/updated first for the django-helpdesk comparison
# (bench/django_helpdesk), which manage.py bench runs right after CCS's pages.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash "$ROOT/scripts/setup_env.sh"
case " $* " in
  *" --no-comparison "*) ;;
  *) bash "$ROOT/bench/django_helpdesk/setup_venv.sh" ;;
esac
.venv/bin/python manage.py bootstrap -v 0  # every schema migrated, as the app expects
exec .venv/bin/python manage.py bench "$@"
