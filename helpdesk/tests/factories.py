import factory
from django.db import transaction

from crm.tests.factories import CustomerFactory


def make_ticket(*, customer=None, acting_user=None, **fields):
    """A ticket through the service (number, SLA and history as in real life)."""
    from helpdesk.services.tickets import ticket_create

    with transaction.atomic():
        return ticket_create(customer=customer or CustomerFactory(), acting_user=acting_user,
                             subject=fields.pop("subject", "Printer offline"), **fields)


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "helpdesk.TicketCategory"

    name = factory.Sequence(lambda n: f"Category {n}")


def make_contract(*, customer=None, acting_user=None, activate=True, **fields):
    """A support contract through the service: active from 1 Jan 2026 for 12 months at 500.00 a month by default."""
    from datetime import date
    from decimal import Decimal

    from helpdesk.services.contracts import contract_create

    fields.setdefault("name", "Managed IT")
    fields.setdefault("start_date", date(2026, 1, 1))
    if "monthly_value" not in fields and "annual_value" not in fields:
        fields["monthly_value"] = Decimal("500.00")
    with transaction.atomic():
        return contract_create(customer=customer or CustomerFactory(), acting_user=acting_user, activate=activate,
                               today=fields.pop("today", fields["start_date"]), **fields)
