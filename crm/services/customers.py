"""Every write to customers. Each change is an event on the customer's timeline, written in the same transaction."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.events import event_record
from crm.errors import CustomerArchived
from crm.models import Customer, CustomerStatus, Tag

EDITABLE_FIELDS = (
    "name", "sector", "size_band", "website", "email", "phone", "registration_number", "is_competitor",
    "known_facts", "lead_score", "lifecycle_automation",
)


def _label(value) -> str:
    return str(value) if value not in (None, "") else "—"


@transaction.atomic
def customer_create(*, acting_user, name: str, status: str = CustomerStatus.LEAD, owner=None, tags: Iterable[Tag] = (),
                    **fields) -> Customer:
    customer = Customer(name=name.strip(), status=status, owner=owner,
                        **{key: value for key, value in fields.items() if key in EDITABLE_FIELDS})
    customer.full_clean(exclude=["normalised_name"])
    customer.save()
    customer.tags.set(tags)
    event_record(kind="crm.customer_created", actor=acting_user, subject=customer, customer_id=customer.pk,
                 data={"name": customer.name, "status": customer.get_status_display()})
    return customer


def tag_get_or_create(*, name: str) -> Tag:
    """Tags are matched without regard to case ("WiFi" is "wifi")."""
    name = name.strip()[:50]
    return Tag.objects.filter(name__iexact=name).first() or Tag.objects.create(name=name)


def customer_ensure_live(customer: Customer) -> None:
    if customer.is_archived:
        raise CustomerArchived(_("%(name)s is archived: restore it before changing it.") % {"name": customer.name})


@transaction.atomic
def customer_update(*, customer: Customer, acting_user, changes: dict, tags: Iterable[Tag] | None = None) -> Customer:
    """Save edited fields; owner and status changes go through their own services (they have their own events)."""
    customer_ensure_live(customer)
    changed = [field for field in EDITABLE_FIELDS if field in changes and getattr(customer, field) != changes[field]]
    for field in changed:
        setattr(customer, field, changes[field])
    if tags is not None and set(customer.tags.all()) != set(tags):
        customer.tags.set(tags)
        changed.append("tags")
    if changed:
        customer.full_clean(exclude=["normalised_name"])
        customer.save()
        labels = [str(Customer._meta.get_field(field).verbose_name) for field in changed]
        event_record(kind="crm.customer_changed", actor=acting_user, subject=customer, customer_id=customer.pk,
                     data={"fields": labels})
    return customer


@transaction.atomic
def customer_status_change(*, customer: Customer, status: str, acting_user=None, reason: str = "") -> Customer:
    """A person's change (acting_user) or a lifecycle rule's (acting_user None, with the reason on the timeline)."""
    customer_ensure_live(customer)
    previous = customer.status
    if previous == status:
        return customer
    customer.status = status
    customer.save(update_fields=["status"])
    event_record(kind="crm.customer_status_changed", actor=acting_user, subject=customer, customer_id=customer.pk,
                 data={"from": str(CustomerStatus(previous).label), "to": str(CustomerStatus(status).label),
                       "from_value": previous, "to_value": status, "reason": reason})
    return customer


@transaction.atomic
def customer_owner_change(*, customer: Customer, owner, acting_user) -> Customer:
    customer_ensure_live(customer)
    previous = customer.owner
    if previous == owner:
        return customer
    customer.owner = owner
    customer.save(update_fields=["owner"])
    event_record(kind="crm.customer_owner_changed", actor=acting_user, subject=customer, customer_id=customer.pk,
                 data={"from": _label(previous), "to": _label(owner)})
    return customer


@transaction.atomic
def customer_archive(*, customer: Customer, acting_user) -> Customer:
    if not customer.is_archived:
        customer.archived_at = timezone.now()
        customer.save(update_fields=["archived_at"])
        event_record(kind="crm.customer_archived", actor=acting_user, subject=customer, customer_id=customer.pk, data={})
    return customer


@transaction.atomic
def customer_restore(*, customer: Customer, acting_user) -> Customer:
    if customer.is_archived:
        customer.archived_at = None
        customer.save(update_fields=["archived_at"])
        event_record(kind="crm.customer_restored", actor=acting_user, subject=customer, customer_id=customer.pk, data={})
    return customer


@transaction.atomic
def customer_bulk_status(*, customers: Iterable[Customer], status: str, acting_user) -> int:
    count = 0
    for customer in customers:
        if not customer.is_archived and customer.status != status:
            customer_status_change(customer=customer, status=status, acting_user=acting_user)
            count += 1
    return count


@transaction.atomic
def customer_bulk_owner(*, customers: Iterable[Customer], owner, acting_user) -> int:
    count = 0
    for customer in customers:
        if not customer.is_archived and customer.owner_id != getattr(owner, "pk", None):
            customer_owner_change(customer=customer, owner=owner, acting_user=acting_user)
            count += 1
    return count
