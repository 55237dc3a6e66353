"""The tenant's support mailbox settings. The password is stored encrypted and never written to history or logs."""

from __future__ import annotations

from django.db import transaction

from core.events import event_record
from helpdesk.models import Mailbox

SETTINGS_FIELDS = ("host", "port", "security", "username", "folder", "is_enabled")


def mailbox_get() -> Mailbox | None:
    return Mailbox.objects.order_by("id").first()


@transaction.atomic
def mailbox_save(*, mailbox: Mailbox, acting_user) -> Mailbox:
    """Save the settings (a new connection starts from the folder's current UIDs being unknown)."""
    created = mailbox.pk is None
    changed = list(SETTINGS_FIELDS) if created else [
        field for field in SETTINGS_FIELDS
        if getattr(Mailbox.objects.get(pk=mailbox.pk), field) != getattr(mailbox, field)]
    password_changed = created or Mailbox.objects.get(pk=mailbox.pk).password != mailbox.password
    if not created and {"host", "username", "folder"} & set(changed):
        mailbox.uid_validity, mailbox.last_uid = None, 0  # another folder: its UIDs mean nothing to us
    mailbox.full_clean()
    mailbox.save()
    if changed or password_changed:
        event_record(kind="helpdesk.mailbox_changed", actor=acting_user, subject=mailbox,
                     data={"fields": changed + (["password"] if password_changed else [])})
    return mailbox
