"""Quote beat jobs: thin, the work is in the services."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task


@shared_task
def quotes_expire() -> int:
    from quotes.services.quotes import quotes_expire_due

    return quotes_expire_due()


BEAT_SCHEDULE = {
    "quotes-expire": {
        "task": "core.tasks.fan_out",
        "schedule": timedelta(days=1),
        "args": ("quotes.tasks.quotes_expire",),
    },
}
