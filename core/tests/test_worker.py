"""A real Celery worker process: the caller's schema travels with every task."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django_tenants.utils import schema_context

from core.tasks import schema_name_report

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def real_worker(django_db_setup, django_db_blocker):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ccs.test_settings",
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "TEST_DATABASE_NAME": "",
        "DATABASE_URL": _database_url(),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "ccs", "worker", "--pool", "solo", "-l", "warning",
         "-Q", f"worker-test-{settings.RUN_ID}", "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    yield f"worker-test-{settings.RUN_ID}"
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def _database_url() -> str:
    database = settings.DATABASES["default"]
    password = f":{database['PASSWORD']}" if database["PASSWORD"] else ""
    return f"postgres://{database['USER']}{password}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/{database['NAME']}"


@pytest.mark.worker
def test_tasks_run_in_the_schema_of_the_caller(real_worker, settings, db):
    # given a real worker (not eager)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    from ccs.celery import app

    app.conf.task_always_eager = False
    try:
        results = {}
        deadline = time.monotonic() + 60
        # when a task is sent from each tenant
        for schema in ("test1", "test2", "public"):
            with schema_context(schema):
                results[schema] = schema_name_report.apply_async(queue=real_worker)
        # then the worker ran each in its caller's schema
        answers = {schema: result.get(timeout=max(deadline - time.monotonic(), 1)) for schema, result in results.items()}
    finally:
        app.conf.task_always_eager = True
    assert answers == {"test1": "test1", "test2": "test2", "public": "public"}
    assert connection.schema_name == "public"
