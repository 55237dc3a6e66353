"""Activities and follow-ups. Logging one is an event on the customer's timeline; so is completing one."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.events import event_record
from crm.errors import CrmError
from crm.models import Activity, Customer
from crm.services.customers import customer_ensure_live

ACTIVITY_FIELDS = ("kind", "subject", "notes", "occurred_at", "duration_minutes", "contact", "outcome", "follow_up_on")


@transaction.atomic
def activity_log(*, customer: Customer, acting_user, fields: dict, owner=None) -> Activity:
    customer_ensure_live(customer)
    contact = fields.get("contact")
    if contact is not None and contact.customer_id != customer.pk:
        raise CrmError(_("That contact belongs to another customer."))
    activity = Activity.objects.create(customer=customer, owner=owner or acting_user,
                                       **{key: value for key, value in fields.items() if key in ACTIVITY_FIELDS})
    event_record(kind="crm.activity_logged", actor=acting_user, subject=activity, customer_id=customer.pk, data={
        "kind": activity.get_kind_display(), "subject": activity.subject,
        "outcome": activity.get_outcome_display() if activity.outcome else "",
        "contact": activity.contact.full_name if activity.contact else "",
        "follow_up_on": activity.follow_up_on.isoformat() if activity.follow_up_on else "",
    })
    return activity


@transaction.atomic
def activity_complete(*, activity: Activity, acting_user) -> Activity:
    if activity.completed_at is None:
        activity.completed_at = timezone.now()
        activity.save(update_fields=["completed_at"])
        event_record(kind="crm.activity_completed", actor=acting_user, subject=activity,
                     customer_id=activity.customer_id, data={"kind": activity.get_kind_display(), "subject": activity.subject})
    return activity


@transaction.atomic
def activity_update(*, activity: Activity, acting_user, fields: dict) -> Activity:
    """Correct a logged activity; the timeline records which fields changed (the original entry stays as it was)."""
    customer_ensure_live(activity.customer)
    contact = fields.get("contact")
    if contact is not None and contact.customer_id != activity.customer_id:
        raise CrmError(_("That contact belongs to another customer."))
    changed = [key for key in ACTIVITY_FIELDS if key in fields and getattr(activity, key) != fields[key]]
    if not changed:
        return activity
    for key in changed:
        setattr(activity, key, fields[key])
    activity.save(update_fields=changed)
    event_record(kind="crm.activity_changed", actor=acting_user, subject=activity, customer_id=activity.customer_id,
                 data={"kind": activity.get_kind_display(), "subject": activity.subject,
                       "fields": [str(Activity._meta.get_field(key).verbose_name) for key in changed]})
    return activity
