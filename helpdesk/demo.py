"""Demo helpdesk for `seed_demo`: tickets in every state, with conversations, notes, time and SLA clocks that show
on track, at risk, breached, paused and met. Idempotent (does nothing once the demo has tickets).

Support contracts (contracts_demo_seed), written through the services so the timeline is real: two renewing within
90 days (pending renewal, reminder sent), auto-renewing ones, hours per month and per year, a draft."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from crm.models import Customer, CustomerStatus
from helpdesk.models import SlaPolicy, SupportContract, Ticket, TicketCategory
from helpdesk.services import contracts as contract_services, conversation, tickets as services
from helpdesk.services.sla import ticket_sla_refresh

SUBJECTS = [
    ("Wi-Fi drops in the staff room every afternoon", "incident", "Wi-Fi"),
    ("New starter needs an account and a laptop on Monday", "service_request", "Accounts and access"),
    ("Reception phone shows 'no service'", "incident", "Telephony"),
    ("Patch two new desks in the finance office", "service_request", "Cabling"),
    ("Backup job failed overnight", "incident", "Backup and recovery"),
    ("Printer on floor 2 jams on every duplex job", "incident", "Printing"),
    ("Quote request: extra access point in the hall", "question", "Wi-Fi"),
    ("Email to one supplier bounces", "problem", "Email"),
    ("Firewall firmware update", "change", "Network"),
    ("CCTV recorder lost its network link", "incident", "Network"),
    ("Shared drive very slow since Tuesday", "problem", "Network"),
    ("How do I set up voicemail to email?", "question", "Telephony"),
]
REPLIES = [
    "Thanks for letting us know. We are looking into it now and will update you within the hour.",
    "Could you tell us roughly when it started and whether anyone else is affected?",
    "We have found the cause and applied a fix. Please let us know if you see it again.",
]
NOTES = ["Checked the controller logs: channel 11 congestion.", "Spoke to their office manager, they will call back.",
         "Part ordered from the distributor, ETA two days."]


def helpdesk_demo_seed(*, users: list) -> int:
    if Ticket.objects.exists() or not users:
        return 0
    rng = random.Random(7)
    customers = list(Customer.objects.filter(archived_at__isnull=True, status="customer").order_by("id")[:15]) or \
        list(Customer.objects.order_by("id")[:15])
    categories = {category.name: category for category in TicketCategory.objects.all()}
    now = timezone.now()
    created = 0
    for index in range(24):
        subject, kind, category = SUBJECTS[index % len(SUBJECTS)]
        customer = customers[index % len(customers)]
        agent = users[index % len(users)]
        opened = now - timedelta(hours=rng.choice([1, 3, 6, 20, 30, 50, 80, 120]))
        ticket = services.ticket_create(
            customer=customer, acting_user=agent, subject=subject, type=kind, category=categories.get(category),
            contact=customer.contacts.filter(is_primary=True).first(), priority=rng.choice(["low", "medium", "medium", "high", "urgent"]),
            assignee=None if index % 5 == 0 else agent, source=rng.choice(["email", "phone", "portal", "staff"]),
            description=f"Reported by the customer: {subject.lower()}.", ai_help=False)
        Ticket.objects.filter(pk=ticket.pk).update(created_at=opened)
        ticket.refresh_from_db()
        ticket_sla_refresh(ticket=ticket, acting_user=None, now=opened, reason=None)
        if index % 3:
            conversation.comment_add(ticket=ticket, acting_user=agent, body=REPLIES[index % 3],
                                     now=opened + timedelta(minutes=rng.choice([20, 45, 240, 600])))
        if index % 4 == 0:
            conversation.comment_add(ticket=ticket, acting_user=agent, body=NOTES[index % 3], is_internal=True,
                                     now=opened + timedelta(minutes=50))
            conversation.time_entry_add(ticket=ticket, acting_user=agent, minutes=rng.choice([15, 30, 45, 90]),
                                        note="Remote session")
        final = ["open", "in_progress", "waiting_customer", "resolved", "closed", "open"][index % 6]
        if final != ticket.status:
            services.ticket_status_change(ticket=ticket, status=final, acting_user=agent,
                                          now=min(now, opened + timedelta(hours=2)))
        ticket_sla_refresh(ticket=ticket, acting_user=None, reason=None)
        created += 1
    return created


# Support contracts ------------------------------------------------------------------------------------------------

DEMO_CONTRACTS = [
    # (name, type, months ago it started, term, monthly value, hours, period, auto-renew, activate)
    ("Managed network and Wi-Fi", "managed_service", 10, 12, Decimal("850.00"), Decimal("8"), "month", False, True),
    ("Phone system maintenance", "maintenance", 4, 36, Decimal("240.00"), Decimal("0"), "none", True, True),
    ("Support hours bundle", "support_hours", 2, 12, Decimal("375.00"), Decimal("40"), "year", False, True),
    ("Hosted CCTV storage", "saas", 11, 12, Decimal("95.00"), Decimal("0"), "none", True, True),
    ("Cabling warranty", "warranty", 0, 24, Decimal("0.00"), Decimal("0"), "none", False, False),
]


def contracts_demo_seed(*, owner) -> int:
    """Idempotent: does nothing once the demo tenant has contracts."""
    if SupportContract.objects.exists():
        return 0
    customers = list(Customer.objects.filter(status=CustomerStatus.CUSTOMER, archived_at__isnull=True)
                     .order_by("name")[:len(DEMO_CONTRACTS)])
    today = timezone.localdate()
    policy = SlaPolicy.objects.filter(is_default=True).first()
    for customer, (name, kind, months_ago, term, monthly, hours, period, auto_renew, activate) in zip(
            customers, DEMO_CONTRACTS):
        start = contract_services.add_months(today.replace(day=1), -months_ago)
        contract_services.contract_create(customer=customer, acting_user=owner, name=name, type=kind, start_date=start,
                                 term_months=term, monthly_value=monthly, hours_included=hours, hours_period=period,
                                 auto_renew=auto_renew, sla_policy=policy, owner=owner, activate=activate, today=start)
    contract_services.contracts_renewal_sweep(today=today)
    return len(customers)
