"""The django-helpdesk comparison project (bench/django_helpdesk) runs in its own .venv-dh: these tests drive it
through that interpreter and are skipped where `make bench` has not made it."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

PROJECT_DIR = Path(settings.BASE_DIR) / "bench" / "django_helpdesk"
DH_PYTHON = Path(settings.BASE_DIR) / ".venv-dh" / "bin" / "python"

pytestmark = pytest.mark.skipif(not DH_PYTHON.exists(), reason=".venv-dh is absent (make bench makes it)")


def _run_dh(code: str) -> dict:
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env.update(DJANGO_SETTINGS_MODULE="dhsite.settings", DH_DATABASE_NAME="ccs_bench_dh_test",
               DATABASE_URL=settings.DATABASE_URL, PYTHONDONTWRITEBYTECODE="1")
    result = subprocess.run([str(DH_PYTHON), "-c", "import django; django.setup()\n" + code], cwd=PROJECT_DIR,
                            env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_settings_are_production_like():
    # when
    found = _run_dh("import json; from django.conf import settings as s; "
                    "print(json.dumps([s.DEBUG, s.MIDDLEWARE[0], s.STORAGES['staticfiles']['BACKEND']]))")

    # then
    assert found == [False, "dhsite.middleware.ServerTimingMiddleware",
                     "whitenoise.storage.CompressedManifestStaticFilesStorage"]


def test_seeding_is_idempotent():
    # given a migrated (kept) test database, seeded once with small sizes
    code = """
import json
from django.core.management import call_command
from helpdesk.models import FollowUp, Queue, Ticket
from dhsite.seed import dh_bench_seed, dh_database_create
dh_database_create()
call_command("migrate", verbosity=0)
counts = []
for _ in range(2):
    seeded = dh_bench_seed(tickets=30, followups=7)
    counts.append([Ticket.objects.count(), Queue.objects.count(), FollowUp.objects.count(),
                   Ticket.objects.get(pk=seeded["heavy_ticket_id"]).followup_set.count(),
                   sorted(set(Ticket.objects.values_list("status", flat=True)))])
print(json.dumps(counts))
"""
    # when seeded twice more
    first, second = _run_dh(code)

    # then the second run adds nothing
    assert first == second
    tickets, queues, followups, on_heavy, statuses = first
    assert (tickets, queues, followups, on_heavy) == (30, 10, 7, 7)
    assert set(statuses) <= {1, 2, 3, 4}


def test_it_is_served_like_ccs_with_the_same_cap_on_requests_in_flight():
    # when
    found = _run_dh("import json; from dhsite.asgi import application; "
                    "print(json.dumps([type(application).__name__, application.max_in_flight]))")

    # then
    assert found == ["BoundedASGIHandler", 2]
