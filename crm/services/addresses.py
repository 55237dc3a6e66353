"""The address book of a customer: one default per type, an order the team chooses, each change on the timeline."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max

from core.events import event_record
from crm.models import Address, Customer
from crm.services.customers import customer_ensure_live

ADDRESS_FIELDS = ("kind", "label", "line1", "line2", "line3", "town", "county", "postcode", "country")


def _make_default(address: Address) -> None:
    Address.objects.filter(customer_id=address.customer_id, kind=address.kind, is_default=True).exclude(
        pk=address.pk).update(is_default=False)
    if not address.is_default:
        address.is_default = True
        address.save(update_fields=["is_default"])


def _ensure_a_default(customer_id: int, kind: str) -> None:
    kind_addresses = Address.objects.filter(customer_id=customer_id, kind=kind)
    if not kind_addresses.filter(is_default=True).exists():
        first = kind_addresses.order_by("position", "id").first()
        if first:
            _make_default(first)


def _summary(address: Address) -> str:
    return address.label or ", ".join(part for part in (address.line1, address.postcode) if part)


@transaction.atomic
def address_create(*, customer: Customer, acting_user, fields: dict, make_default: bool = False) -> Address:
    customer_ensure_live(customer)
    position = (customer.addresses.aggregate(last=Max("position"))["last"] or 0) + 1
    address = Address.objects.create(customer=customer, position=position,
                                     **{key: value for key, value in fields.items() if key in ADDRESS_FIELDS})
    if make_default:
        _make_default(address)
    _ensure_a_default(customer.pk, address.kind)
    address.refresh_from_db()
    event_record(kind="crm.address_added", actor=acting_user, subject=address, customer_id=customer.pk,
                 data={"summary": _summary(address), "kind": address.get_kind_display()})
    return address


@transaction.atomic
def address_update(*, address: Address, acting_user, fields: dict, make_default: bool = False) -> Address:
    customer_ensure_live(address.customer)
    previous_kind = address.kind
    changed = [field for field in ADDRESS_FIELDS if field in fields and getattr(address, field) != fields[field]]
    for field in changed:
        setattr(address, field, fields[field])
    if "kind" in changed:
        address.is_default = False
    address.save()
    if make_default:
        _make_default(address)
    _ensure_a_default(address.customer_id, address.kind)
    _ensure_a_default(address.customer_id, previous_kind)
    if changed or make_default:
        labels = [str(Address._meta.get_field(field).verbose_name) for field in changed]
        event_record(kind="crm.address_changed", actor=acting_user, subject=address, customer_id=address.customer_id,
                     data={"summary": _summary(address), "fields": labels or ["default"]})
    return address


@transaction.atomic
def address_remove(*, address: Address, acting_user) -> None:
    customer_id, kind, summary = address.customer_id, address.kind, _summary(address)
    customer_ensure_live(address.customer)
    address.delete()
    _ensure_a_default(customer_id, kind)
    event_record(kind="crm.address_removed", actor=acting_user, subject=None, customer_id=customer_id,
                 data={"summary": summary})


@transaction.atomic
def address_reorder(*, customer: Customer, acting_user, ordered_ids: list[int]) -> list[Address]:
    """Save the order the user dragged the cards into. Ids must be exactly this customer's addresses."""
    customer_ensure_live(customer)
    addresses = {address.pk: address for address in customer.addresses.select_for_update()}
    if sorted(ordered_ids) != sorted(addresses):
        from crm.errors import CrmError

        raise CrmError("The address book changed meanwhile: reload the page and try again.")
    for position, pk in enumerate(ordered_ids, start=1):
        addresses[pk].position = position
    Address.objects.bulk_update(addresses.values(), ["position"])
    event_record(kind="crm.addresses_reordered", actor=acting_user, subject=customer, customer_id=customer.pk, data={})
    return [addresses[pk] for pk in ordered_ids]
