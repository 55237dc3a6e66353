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
