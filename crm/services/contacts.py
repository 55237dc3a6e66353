"""Contacts of a customer. Invariants kept here: exactly one primary contact while a customer has any, and one
primary email and phone per contact while it has any. Each change is an event on the customer's timeline."""

from __future__ import annotations

from django.db import transaction

from core.events import event_record
from crm.models import Contact, ContactEmail, ContactPhone, Customer
from crm.services.customers import customer_ensure_live

CONTACT_FIELDS = ("first_name", "last_name", "job_title", "role", "notes")


def _replace_channels(*, contact: Contact, emails: list[dict], phones: list[dict]) -> None:
    contact.emails.all().delete()
    contact.phones.all().delete()
    for model, rows, value_field in ((ContactEmail, emails, "address"), (ContactPhone, phones, "number")):
        rows = [row for row in rows if (row.get(value_field) or "").strip()]
        primary_index = next((index for index, row in enumerate(rows) if row.get("is_primary")), 0)
        model.objects.bulk_create([
            model(contact=contact, kind=row["kind"], is_primary=index == primary_index,
                  **{value_field: row[value_field].strip()})
            for index, row in enumerate(rows)
        ])


def _set_primary(contact: Contact) -> None:
    Contact.objects.filter(customer_id=contact.customer_id, is_primary=True).exclude(pk=contact.pk).update(is_primary=False)
    if not contact.is_primary:
        contact.is_primary = True
        contact.save(update_fields=["is_primary", "updated_at"])


@transaction.atomic
def contact_create(*, customer: Customer, acting_user, fields: dict, emails: list[dict] = (), phones: list[dict] = (),
                   make_primary: bool = False) -> Contact:
    customer_ensure_live(customer)
    contact = Contact.objects.create(customer=customer, **{k: v for k, v in fields.items() if k in CONTACT_FIELDS})
    _replace_channels(contact=contact, emails=list(emails), phones=list(phones))
    if make_primary or not customer.contacts.filter(is_primary=True).exists():
        _set_primary(contact)
    event_record(kind="crm.contact_added", actor=acting_user, subject=contact, customer_id=customer.pk,
                 data={"name": contact.full_name, "role": contact.get_role_display(), "primary": contact.is_primary})
    return contact


@transaction.atomic
def contact_update(*, contact: Contact, acting_user, fields: dict, emails: list[dict], phones: list[dict],
                   make_primary: bool = False) -> Contact:
    customer_ensure_live(contact.customer)
    before = {field: getattr(contact, field) for field in CONTACT_FIELDS}
    before_channels = (sorted(contact.emails.values_list("address", "kind", "is_primary")),
                       sorted(contact.phones.values_list("number", "kind", "is_primary")))
    for field in CONTACT_FIELDS:
        if field in fields:
            setattr(contact, field, fields[field])
    contact.save()
    _replace_channels(contact=contact, emails=emails, phones=phones)
    changed = [str(Contact._meta.get_field(field).verbose_name) for field in CONTACT_FIELDS if getattr(contact, field) != before[field]]
    after_channels = (sorted(contact.emails.values_list("address", "kind", "is_primary")),
                      sorted(contact.phones.values_list("number", "kind", "is_primary")))
    if after_channels[0] != before_channels[0]:
        changed.append("emails")
    if after_channels[1] != before_channels[1]:
        changed.append("phones")
    if make_primary and not contact.is_primary:
        _set_primary(contact)
        changed.append("primary contact")
    if changed:
        event_record(kind="crm.contact_changed", actor=acting_user, subject=contact, customer_id=contact.customer_id,
                     data={"name": contact.full_name, "fields": changed})
    return contact


@transaction.atomic
def contact_make_primary(*, contact: Contact, acting_user) -> Contact:
    customer_ensure_live(contact.customer)
    if not contact.is_primary:
        _set_primary(contact)
        event_record(kind="crm.contact_primary_changed", actor=acting_user, subject=contact,
                     customer_id=contact.customer_id, data={"name": contact.full_name})
    return contact


@transaction.atomic
def contact_remove(*, contact: Contact, acting_user) -> None:
    """Delete the contact; when it was the primary one, the longest-standing remaining contact becomes primary."""
    customer = contact.customer
    customer_ensure_live(customer)
    was_primary, name = contact.is_primary, contact.full_name
    contact.delete()
    successor = None
    if was_primary:
        successor = customer.contacts.order_by("created_at", "id").first()
        if successor:
            _set_primary(successor)
    event_record(kind="crm.contact_removed", actor=acting_user, subject=customer, customer_id=customer.pk,
                 data={"name": name, "new_primary": successor.full_name if successor else ""})
