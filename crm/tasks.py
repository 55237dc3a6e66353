from datetime import timedelta

from celery import shared_task

from crm.services.lifecycle import customers_mark_inactive


@shared_task
def lifecycle_mark_inactive() -> int:
    """Runs in one tenant (core.tasks.fan_out sends it to each)."""
    return customers_mark_inactive()


BEAT_SCHEDULE = {
    "lifecycle-inactive": {
        "task": "core.tasks.fan_out",
        "schedule": timedelta(days=1),
        "args": ("crm.tasks.lifecycle_mark_inactive",),
    },
}
