"""Large-tenant tickets and the helpdesk pages that `make bench` measures: 50,000 tickets, one with 200 comments."""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from crm.models import Customer
from helpdesk.models import Comment, SlaPolicy, Ticket, TicketPriority, TicketStatus
from helpdesk.models.ticket import SlaState

BENCH_TICKETS = 50_000
HEAVY_COMMENTS = 200
HEAVY_SUBJECT = "Bench heavy conversation"


def helpdesk_bench_seed(*, stdout) -> None:
    """Bulk inserts (numbers, due times and states set directly, as the SLA service would have): idempotent."""
    from accounts.models import User
    from core.models import NumberSequence

    existing = Ticket.objects.count()
    if existing < BENCH_TICKETS:
        stdout.write(f"seeding {BENCH_TICKETS - existing} tickets ...")
        rng = random.Random(5)
        customers = list(Customer.objects.values_list("pk", flat=True)[:5000])
        agents = list(User.objects.filter(is_active=True).values_list("pk", flat=True)[:40])
        policy = SlaPolicy.objects.filter(is_default=True).first()
        now = timezone.now()
        statuses = [TicketStatus.NEW, TicketStatus.OPEN, TicketStatus.IN_PROGRESS, TicketStatus.WAITING_CUSTOMER,
                    TicketStatus.RESOLVED, TicketStatus.CLOSED, TicketStatus.CLOSED, TicketStatus.CLOSED]
        states = {TicketStatus.RESOLVED: SlaState.MET, TicketStatus.CLOSED: SlaState.MET,
                  TicketStatus.WAITING_CUSTOMER: SlaState.PAUSED}
        rows = []
        for number in range(existing + 1, BENCH_TICKETS + 1):
            created = now - timedelta(minutes=rng.randint(0, 400_000))
            status = rng.choice(statuses)
            state = states.get(status) or rng.choice([SlaState.ON_TRACK, SlaState.ON_TRACK, SlaState.AT_RISK,
                                                     SlaState.BREACHED])
            due = created + timedelta(hours=rng.randint(2, 90))
            rows.append(Ticket(
                number=number, subject=HEAVY_SUBJECT if number == 1 else f"Bench ticket {number}: printer offline",
                customer_id=rng.choice(customers), priority=rng.choice(TicketPriority.values), status=status,
                assignee_id=rng.choice(agents + [None]), created_at=created, sla_policy=policy,
                response_due_at=due, resolution_due_at=due + timedelta(hours=20), sla_state=state,
                sla_due_at=None if state in (SlaState.MET, SlaState.PAUSED) else due,
                reply_token=f"bench{number:012d}"))
        with transaction.atomic():
            Ticket.objects.bulk_create(rows, batch_size=5000)
            NumberSequence.objects.update_or_create(series="helpdesk.ticket", defaults={"last_value": BENCH_TICKETS})
    heavy = Ticket.objects.get(number=1)
    if heavy.comments.count() < HEAVY_COMMENTS:
        stdout.write(f"seeding {HEAVY_COMMENTS} comments on one ticket ...")
        agent = User.objects.filter(is_active=True).first()
        start = heavy.created_at
        comments = [Comment(ticket=heavy, author=agent, body=f"Update {index}: checked the spooler and the driver.\n"
                            "Still investigating.", is_internal=index % 3 == 0, created_at=start + timedelta(minutes=index))
                    for index in range(HEAVY_COMMENTS)]
        with transaction.atomic():
            created = Comment.objects.bulk_create(comments)
            # every third message answers the one before it, so the thread has depth
            for index, comment in enumerate(created):
                if index and index % 3 == 0:
                    comment.parent_id = created[index - 1].pk
            Comment.objects.bulk_update(created, ["parent_id"], batch_size=500)


def helpdesk_bench_pages(tenant) -> list[tuple[str, str]]:
    from django_tenants.utils import tenant_context

    with tenant_context(tenant):
        heavy = Ticket.objects.get(number=1)
    return [
        ("Tickets, open (50,000 tickets)", "/tickets/"),
        ("Tickets, breaching soon", "/tickets/?view=breaching"),
        ("Tickets, search", "/tickets/?view=all&q=T-004242"),
        ("Ticket page (200 comments)", f"/tickets/{heavy.pk}/"),
    ]
