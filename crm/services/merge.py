"""Merging a duplicate customer into the one that stays. Everything attached moves; the duplicate is archived with
a pointer to the survivor, so old links still lead somewhere. The merge is an event on both timelines."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core.events import event_record
from core.models import Event
from crm.errors import CrmError
from crm.models import Activity, Address, Contact, Customer, Opportunity

FILLED_FROM_DUPLICATE = ("sector", "size_band", "website", "email", "phone", "registration_number", "owner")


@transaction.atomic
def customer_merge(*, survivor: Customer, duplicate: Customer, acting_user) -> Customer:
    if survivor.pk == duplicate.pk:
        raise CrmError(_("A customer cannot be merged into itself."))
    survivor = Customer.objects.select_for_update().get(pk=survivor.pk)
    duplicate = Customer.objects.select_for_update().get(pk=duplicate.pk)
    if survivor.is_archived or duplicate.merged_into_id:
        raise CrmError(_("Only live customers can be merged."))
    moved = {
        "contacts": duplicate.contacts.count(), "addresses": duplicate.addresses.count(),
        "activities": duplicate.activities.count(), "opportunities": duplicate.opportunities.count(),
    }
    # Contacts: the survivor's primary contact stays primary.
    if survivor.contacts.filter(is_primary=True).exists():
        Contact.objects.filter(customer=duplicate).update(is_primary=False)
    Contact.objects.filter(customer=duplicate).update(customer=survivor)
    # Addresses: appended after the survivor's, without stealing a default it already has.
    taken = set(survivor.addresses.filter(is_default=True).values_list("kind", flat=True))
    Address.objects.filter(customer=duplicate, kind__in=taken).update(is_default=False)
    offset = survivor.addresses.aggregate(last=Max("position"))["last"] or 0
    for address in duplicate.addresses.all():
        address.customer, address.position = survivor, offset + address.position
        address.save(update_fields=["customer", "position"])
    Activity.objects.filter(customer=duplicate).update(customer=survivor)
    Opportunity.objects.filter(customer=duplicate).update(customer=survivor)
    Event.objects.filter(customer_id=duplicate.pk).update(customer_id=survivor.pk)
    survivor.tags.add(*duplicate.tags.all())
    for field in FILLED_FROM_DUPLICATE:
        if not getattr(survivor, field) and getattr(duplicate, field):
            setattr(survivor, field, getattr(duplicate, field))
    if duplicate.known_facts.strip():
        survivor.known_facts = "\n\n".join(part for part in (survivor.known_facts.strip(), duplicate.known_facts.strip()) if part)
    survivor.lead_score = max(survivor.lead_score, duplicate.lead_score)
    survivor.save()
    duplicate.archived_at = timezone.now()
    duplicate.merged_into = survivor
    duplicate.save(update_fields=["archived_at", "merged_into"])
    event_record(kind="crm.customer_merged", actor=acting_user, subject=survivor, customer_id=survivor.pk,
                 data={"from": duplicate.name, "into": survivor.name, **moved})
    event_record(kind="crm.customer_merged_away", actor=acting_user, subject=duplicate, customer_id=duplicate.pk,
                 data={"into": survivor.name})
    return survivor
