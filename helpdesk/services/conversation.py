"""The conversation on a ticket: public replies (emailed to the contact), internal notes, attachments and time."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from helpdesk.errors import AttachmentRefused, HelpdeskError
from helpdesk.models import Attachment, CannedResponse, Comment, Ticket, TicketStatus, TimeEntry
from helpdesk.services.tickets import ticket_record

MAX_ATTACHMENT_BYTES = getattr(settings, "HELPDESK_MAX_ATTACHMENT_BYTES", 10 * 1024 * 1024)
ALLOWED_EXTENSIONS = {
    ".pdf", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".txt", ".log", ".csv", ".xlsx", ".docx", ".pptx", ".zip",
    ".eml", ".msg", ".json", ".xml", ".cfg", ".conf",
}


@transaction.atomic
def comment_add(*, ticket: Ticket, acting_user, body: str, is_internal: bool = False, parent: Comment | None = None,
                files=(), now=None) -> Comment:
    """A staff reply or note. The first public reply by staff is the first response the SLA measures."""
    body = body.strip()
    if not body:
        raise HelpdeskError(_("Write a message first."))
    if parent is not None and parent.ticket_id != ticket.pk:
        raise HelpdeskError(_("That message belongs to another ticket."))
    for upload in files:
        attachment_check(upload)
    now = now or timezone.now()
    comment = Comment.objects.create(ticket=ticket, parent=parent, author=acting_user, body=body,
                                     is_internal=is_internal, created_at=now)
    for upload in files:
        _attachment_save(ticket=ticket, comment=comment, upload=upload, acting_user=acting_user)
    if is_internal:
        ticket_record(ticket=ticket, kind="helpdesk.ticket_noted", acting_user=acting_user)
        return comment
    from helpdesk.services.emails import comment_message_id, ticket_email_reply

    comment.message_id = comment_message_id(comment)
    comment.save(update_fields=["message_id"])
    ticket_record(ticket=ticket, kind="helpdesk.ticket_replied", acting_user=acting_user)
    if ticket.first_responded_at is None:
        ticket.first_responded_at = now
        ticket.save(update_fields=["first_responded_at", "updated_at"])
        from helpdesk.services.sla import ticket_sla_refresh

        ticket_sla_refresh(ticket=ticket, acting_user=acting_user, now=now, reason=None)
    if ticket.status == TicketStatus.NEW:
        from helpdesk.services.tickets import ticket_status_change

        ticket_status_change(ticket=ticket, status=TicketStatus.OPEN, acting_user=acting_user, now=now)
    ticket_email_reply(ticket=ticket, comment=comment)
    return comment


def attachment_check(upload) -> None:
    extension = Path(upload.name).suffix.lower()
    if extension not in ALLOWED_EXTENSIONS:
        raise AttachmentRefused(_("%(name)s: files of this type cannot be attached (allowed: %(types)s).")
                                % {"name": upload.name, "types": ", ".join(sorted(ALLOWED_EXTENSIONS))})
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise AttachmentRefused(_("%(name)s is larger than %(size)d MB.")
                                % {"name": upload.name, "size": MAX_ATTACHMENT_BYTES // (1024 * 1024)})
    if upload.size == 0:
        raise AttachmentRefused(_("%(name)s is empty.") % {"name": upload.name})


def _attachment_save(*, ticket: Ticket, comment: Comment | None, upload, acting_user) -> Attachment:
    name = Path(upload.name).name[:200]
    attachment = Attachment(ticket=ticket, comment=comment, file_name=name, size=upload.size,
                            content_type=(getattr(upload, "content_type", "") or "application/octet-stream")[:100],
                            uploaded_by=acting_user)
    attachment.file.save(name, upload, save=False)
    attachment.save()
    ticket_record(ticket=ticket, kind="helpdesk.attachment_added", acting_user=acting_user, name=name)
    return attachment


@transaction.atomic
def attachment_add(*, ticket: Ticket, acting_user, upload) -> Attachment:
    attachment_check(upload)
    return _attachment_save(ticket=ticket, comment=None, upload=upload, acting_user=acting_user)


@transaction.atomic
def time_entry_add(*, ticket: Ticket, acting_user, minutes: int, billable: bool = True, note: str = "",
                   spent_on=None) -> TimeEntry:
    if not 1 <= minutes <= 24 * 60:
        raise HelpdeskError(_("Time must be between 1 minute and 24 hours."))
    entry = TimeEntry.objects.create(ticket=ticket, user=acting_user, minutes=minutes, billable=billable, note=note,
                                     spent_on=spent_on or timezone.localdate())
    ticket_record(ticket=ticket, kind="helpdesk.ticket_time_logged", acting_user=acting_user, minutes=minutes,
                  billable=billable)
    return entry


def canned_response_render(*, response: CannedResponse, ticket: Ticket, agent) -> str:
    """Fill the placeholders; unknown ones stay as typed so nothing silently disappears."""
    values = {
        "contact_name": ticket.contact.first_name if ticket.contact_id else _("there"),
        "ticket_number": ticket.reference,
        "agent_name": agent.full_name or agent.email,
        "customer_name": ticket.customer.name,
    }

    class _Keep(dict):
        def __missing__(self, key):
            return "{" + key + "}"

    try:
        return response.body.format_map(_Keep(values))
    except (ValueError, IndexError):  # stray braces in the text: leave it as written
        return response.body


@transaction.atomic
def comment_add_from_contact(*, ticket: Ticket, contact, body: str, files=(), now=None) -> Comment:
    """The customer's own public reply (the portal), authored by the contact, with its files. Like an emailed reply,
    it reopens a resolved ticket or one waiting on the customer; it is never a first response."""
    from helpdesk.mail.route import REOPEN_FROM
    from helpdesk.services.tickets import ticket_status_change

    body = body.strip()
    if not body:
        raise HelpdeskError(_("Write a message first."))
    if contact.customer_id != ticket.customer_id:
        raise HelpdeskError(_("That contact belongs to another customer."))
    for upload in files:
        attachment_check(upload)
    comment = Comment.objects.create(ticket=ticket, author_contact=contact, body=body, is_internal=False,
                                     created_at=now or timezone.now())
    for upload in files:
        _attachment_save(ticket=ticket, comment=comment, upload=upload, acting_user=None)
    ticket_record(ticket=ticket, kind="helpdesk.ticket_customer_replied", acting_user=None, contact=str(contact))
    reopen_to = REOPEN_FROM.get(ticket.status)
    if reopen_to is not None:
        ticket_status_change(ticket=ticket, status=reopen_to, acting_user=None, now=now)
    return comment
