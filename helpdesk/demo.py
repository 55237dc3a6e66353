"""A few support contracts for the demo tenant (seed_demo), written through the services so the timeline is real:
two renewing within 90 days (pending renewal, reminder sent), auto-renewing ones, hours per month and per year,
a draft."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from crm.models import Customer, CustomerStatus
from helpdesk.models import SlaPolicy, SupportContract
from helpdesk.services import contracts as services

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
        start = services.add_months(today.replace(day=1), -months_ago)
        services.contract_create(customer=customer, acting_user=owner, name=name, type=kind, start_date=start,
                                 term_months=term, monthly_value=monthly, hours_included=hours, hours_period=period,
                                 auto_renew=auto_renew, sla_policy=policy, owner=owner, activate=activate, today=start)
    services.contracts_renewal_sweep(today=today)
    return len(customers)
