"""The demo tenant's portal (`make run`): one contact with portal access and a quote sent to them with an optional
line and alternatives, so the portal can be tried at once. Idempotent."""

from __future__ import annotations

from decimal import Decimal as D

from django.db import transaction
from django.utils import timezone

DEMO_QUOTE_TITLE = "Wi-Fi upgrade, main building"


@transaction.atomic
def portal_demo_seed(*, password: str, owner) -> str | None:
    """The sign-in email of the demo portal contact (the primary contact of the first customer with an email
    address), or None when the demo has no such contact yet."""
    from crm.models import ContactEmail
    from portal.models import PortalAccess
    from quotes.models import Quote
    from quotes.services import quotes as quote_services

    existing = PortalAccess.objects.filter(revoked_at__isnull=True).select_related("contact").first()
    if existing is not None:
        return existing.email
    email = (ContactEmail.objects.filter(contact__is_primary=True, contact__customer__archived_at__isnull=True)
             .select_related("contact__customer").order_by("contact__customer__name", "id").first())
    if email is None:
        return None
    contact = email.contact
    access = PortalAccess(contact=contact, email=email.address.lower(), can_see_quotes=True, can_see_tickets=True,
                          can_see_contracts=True, invited_by=owner, activated_at=timezone.now())
    access.set_password(password)
    access.save()
    if not Quote.objects.filter(customer=contact.customer, title=DEMO_QUOTE_TITLE).exists():
        quote = quote_services.quote_create(customer=contact.customer, acting_user=owner, title=DEMO_QUOTE_TITLE,
                                            contact=contact, introduction="As discussed on site: new access points "
                                            "throughout, with a choice of controller.")
        for fields in (
            {"description": "Wi-Fi 6 access point, ceiling mount", "quantity": D(12), "unit_price": D("189.00")},
            {"description": "Installation and cabling per access point", "quantity": D(12),
             "unit_price": D("85.00")},
            {"description": "Cloud controller licence, 3 years", "quantity": D(1), "unit_price": D("640.00"),
             "alternative_group": "Controller", "alternative_chosen": True},
            {"description": "On-site hardware controller", "quantity": D(1), "unit_price": D("1150.00"),
             "alternative_group": "Controller"},
            {"description": "Heat-map survey after installation", "quantity": D(1), "unit_price": D("350.00"),
             "is_optional": True},
        ):
            quote_services.line_add(quote=quote, acting_user=owner, fields=fields)
        quote_services.quote_send(quote=quote, acting_user=owner)
    return access.email
