"""Helpdesk beat jobs: thin, the work is in the services."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task


@shared_task
def tickets_sla_sweep() -> int:
    from helpdesk.services.sla import tickets_sla_sweep as sweep

    return sweep()


@shared_task
def contracts_renewal_sweep() -> dict:
    from helpdesk.services.contracts import contracts_renewal_sweep as sweep

    return sweep()


BEAT_SCHEDULE = {
    "helpdesk-contracts-renewal": {
        "task": "core.tasks.fan_out",
        "schedule": timedelta(days=1),
        "args": ("helpdesk.tasks.contracts_renewal_sweep",),
    },
    "helpdesk-sla-sweep": {
        "task": "core.tasks.fan_out",
        "schedule": timedelta(minutes=2),
        "args": ("helpdesk.tasks.tickets_sla_sweep",),
    },
}
