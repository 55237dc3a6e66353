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
