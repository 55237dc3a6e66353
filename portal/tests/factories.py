"""Portal objects for tests and the harness: contacts with an email, accesses, sent quotes, signed-in portal clients."""

from __future__ import annotations

from decimal import Decimal
from importlib import import_module

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from crm.models import Contact, ContactEmail
from crm.tests.factories import CustomerFactory

PASSWORD = "Portal-pass-2026!"


def make_contact(*, customer=None, first_name="Jane", last_name="Doe", email=None) -> Contact:
    customer = customer or CustomerFactory()
    contact = Contact.objects.create(customer=customer, first_name=first_name, last_name=last_name)
    address = email or f"{first_name.lower()}.{contact.pk}@customer{customer.pk}.example.com"
    ContactEmail.objects.create(contact=contact, address=address, is_primary=True)
    return contact


def make_access(*, contact=None, customer=None, password=PASSWORD, activated=True, **fields):
    from portal.models import PortalAccess

    contact = contact or make_contact(customer=customer)
    access = PortalAccess(contact=contact, email=contact.emails.first().address.lower(),
                          activated_at=timezone.now() if activated else None, **fields)
    if password:
        access.set_password(password)
    access.save()
    return access


def make_sent_quote(*, customer, contact=None, owner=None, lines=None, title="Network refresh"):
    """A quote sent as R1: by default one counted line (2 x 100.00), an optional line (50.00) and a group of two
    alternatives (300.00 chosen, 450.00), VAT at the tenant's rate."""
    from quotes.services import quotes as services

    lines = lines if lines is not None else [
        {"description": "Switch", "quantity": Decimal(2), "unit_price": Decimal("100.00")},
        {"description": "Spare PSU", "quantity": Decimal(1), "unit_price": Decimal("50.00"), "is_optional": True},
        {"description": "Firewall basic", "quantity": Decimal(1), "unit_price": Decimal("300.00"),
         "alternative_group": "Firewall", "alternative_chosen": True},
        {"description": "Firewall pro", "quantity": Decimal(1), "unit_price": Decimal("450.00"),
         "alternative_group": "Firewall"},
    ]
    with transaction.atomic():
        quote = services.quote_create(customer=customer, acting_user=owner, title=title, contact=contact, owner=owner)
        for fields in lines:
            services.line_add(quote=quote, acting_user=owner, fields=fields)
        services.quote_send(quote=quote, acting_user=owner)
    quote.refresh_from_db()
    return quote


def portal_client(access, host: str = "test1.localhost"):
    """A test client signed in to the portal as `access` (its own session cookie, as the sign-in view makes it)."""
    from django.test import Client

    from portal.access import ACCESS_KEY, VERSION_KEY

    client = Client(HTTP_HOST=host)
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[ACCESS_KEY] = access.pk
    store[VERSION_KEY] = access.session_version
    store.save()
    client.cookies[settings.PORTAL_SESSION_COOKIE_NAME] = store.session_key
    return client
