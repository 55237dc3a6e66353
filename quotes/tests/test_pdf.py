"""The quote PDF: drawn by WeasyPrint from the sent revision, read back with pdftotext and rendered with pdftoppm."""

from __future__ import annotations

import struct
import subprocess
from datetime import date
from decimal import Decimal as D

import pytest
from django.core.files.storage import default_storage

from crm.models import Address, Contact, ContactEmail
from crm.tests.factories import CustomerFactory
from quotes.models import RevisionPdf
from quotes.services import quotes as services
from quotes.services.sending import quote_pdf_preview, revision_pdf_ensure


def pdf_text(content: bytes) -> str:
    result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True)
    return result.stdout.decode()


def png_size(content: bytes) -> tuple[int, int]:
    assert content[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", content[16:24])


def build_quote(user, *, lines_extra: int = 0):
    """A quote with every kind of line: sections, a discount, an alternative group, a monthly line, an optional item."""
    customer = CustomerFactory(name="Northgate Academy Trust")
    Address.objects.create(customer=customer, kind="billing", is_default=True, line1="1 Trust Way", town="Leeds",
                           postcode="LS1 4AP")
    site = Address.objects.create(customer=customer, kind="site", label="Upper School", line1="Moor Road",
                                  town="Leeds", postcode="LS6 2QQ")
    contact = Contact.objects.create(customer=customer, first_name="Priya", last_name="Shah")
    ContactEmail.objects.create(contact=contact, address="priya.shah@northgate.example", is_primary=True)
    quote = services.quote_create(customer=customer, acting_user=user, title="Wi-Fi refresh, Upper School",
                                  contact=contact, site=site, introduction="Thank you for the site visit.\nHere is our proposal.",
                                  today=date(2026, 11, 30))
    add = lambda **fields: services.line_add(quote=quote, acting_user=user, fields=fields)  # noqa: E731
    add(kind="section", description="Wireless network")
    add(description="Ubiquiti U7 Pro access point\nWi-Fi 7, tri-band, PoE+", part_number="U7-PRO", quantity=D(12),
        unit_price=D("189.00"), unit_cost=D("141.75"), discount_percent=D("5"), internal_note="Distributor promo ends Friday",
        supplier_name="Secret Distribution Ltd")
    add(description="Installation and configuration", part_number="LAB-ENG", quantity=D("1.5"), unit="day",
        unit_price=D("480.00"), unit_cost=D("230.00"))
    add(kind="section", description="Switching")
    add(description="24-port PoE switch (good)", part_number="USW-24-POE", unit_price=D("399.00"),
        unit_cost=D("310.00"), alternative_group="Core switch", alternative_chosen=True)
    add(description="48-port PoE switch (better)", part_number="USW-48-POE", unit_price=D("799.00"),
        unit_cost=D("620.00"), alternative_group="Core switch")
    add(description="Managed Wi-Fi monitoring", part_number="MWM-1", quantity=D(12), unit="licence",
        unit_price=D("4.50"), unit_cost=D("2.10"), recurrence="monthly")
    add(description="Spare access point kept on site", part_number="U7-PRO-SPARE", unit_price=D("189.00"),
        unit_cost=D("141.75"), is_optional=True)
    for number in range(lines_extra):
        add(description=f"Cable run {number + 1}: Cat6A from comms room to classroom\nTested and labelled",
            part_number=f"CAT6A-{number + 1:03d}", unit_price=D("85.00"), unit_cost=D("40.00"))
    quote.refresh_from_db()
    return quote


@pytest.fixture
def sent_revision(admin_user):
    quote = build_quote(admin_user)
    return services.quote_send(quote=quote, acting_user=admin_user)
