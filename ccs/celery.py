"""Celery app: tenant-aware (the caller's schema travels in a header of every task)."""

import os

from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ccs.settings")

app = CeleryApp("ccs")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_finalize.connect
def register_periodic_jobs(sender, **kwargs):
    """Each app lists its periodic jobs in `<app>.tasks.BEAT_SCHEDULE`; tenant-wide ones fan out per tenant."""
    from core.periodic import collect_beat_schedule

    sender.conf.beat_schedule = collect_beat_schedule()


from celery.signals import task_postrun, task_prerun  # noqa: E402

_log_tokens: dict[str, tuple] = {}


@task_prerun.connect
def _log_context_for_task(task_id=None, **kwargs):
    """Task log lines carry the task id as request id and the schema the task runs in, like request log lines."""
    from django.db import connection

    from ccs.logging import request_id_var, tenant_var

    _log_tokens[task_id] = (request_id_var.set(f"task-{task_id}"), tenant_var.set(connection.schema_name))


@task_postrun.connect
def _log_context_reset(task_id=None, **kwargs):
    from ccs.logging import request_id_var, tenant_var

    tokens = _log_tokens.pop(task_id, None)
    if tokens:
        request_id_var.reset(tokens[0])
        tenant_var.reset(tokens[1])
