"""Helpdesk beat jobs: thin, the work is in the services."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task


@shared_task
def tickets_sla_sweep() -> int:
    from helpdesk.services.sla import tickets_sla_sweep as sweep

    return sweep()


@shared_task
def tickets_sla_recompute(policy_id: int | None = None, reason: str = "") -> int:
    """After a policy or the holidays changed: every open ticket under it gets its new deadlines and the reason."""
    from helpdesk.models import Ticket
    from helpdesk.models.ticket import OPEN_STATUSES
    from helpdesk.services.sla import ticket_sla_refresh

    tickets = Ticket.objects.filter(status__in=OPEN_STATUSES).select_related("customer")
    if policy_id:
        tickets = tickets.filter(sla_policy_id=policy_id)
    count = 0
    for ticket in tickets.iterator(chunk_size=200):
        ticket_sla_refresh(ticket=ticket, acting_user=None, reason=reason)
        count += 1
    return count


@shared_task
def mailboxes_poll() -> int:
    """Read the tenant's support mailbox (new tickets, replies); fanned out to every tenant by beat."""
    from helpdesk.mail.imap import mailboxes_poll as poll

    return poll()


@shared_task
def contracts_renewal_sweep() -> dict:
    from helpdesk.services.contracts import contracts_renewal_sweep as sweep

    return sweep()


BEAT_SCHEDULE = {
    "helpdesk-mailbox-poll": {
        "task": "core.tasks.fan_out",
        "schedule": timedelta(minutes=1),
        "args": ("helpdesk.tasks.mailboxes_poll",),
    },
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
