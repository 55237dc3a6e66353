"""Helpdesk beat jobs: thin, the work is in the services."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task


@shared_task
def tickets_sla_sweep() -> int:
    from helpdesk.services.sla import tickets_sla_sweep as sweep

    return sweep()


@shared_task
def mailboxes_poll() -> int:
    """Read the tenant's support mailbox (new tickets, replies); fanned out to every tenant by beat."""
    from helpdesk.mail.imap import mailboxes_poll as poll

    return poll()


BEAT_SCHEDULE = {
    "helpdesk-mailbox-poll": {
        "task": "core.tasks.fan_out",
        "schedule": timedelta(minutes=1),
        "args": ("helpdesk.tasks.mailboxes_poll",),
    },
    "helpdesk-sla-sweep": {
        "task": "core.tasks.fan_out",
        "schedule": timedelta(minutes=2),
        "args": ("helpdesk.tasks.tickets_sla_sweep",),
    },
}
