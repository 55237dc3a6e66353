"""Where an inbound email goes: appended to its ticket (by the headers it answers or the reply-address token, never
by its subject), a new ticket (contact by address, else customer by domain), held as unmatched, or ignored
(auto-replies and bounces, which must never open a ticket or be answered: that is how mail loops start)."""

from __future__ import annotations

import hashlib
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.models import ContactEmail, Customer
from helpdesk.errors import AttachmentRefused, HelpdeskError
from helpdesk.mail.parse import ParsedMessage, parse_message
from helpdesk.models import Comment, InboundMessage, InboundOutcome, Ticket, TicketSource, TicketStatus

FREE_MAIL_DOMAINS = {
    "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "hotmail.co.uk", "live.com", "live.co.uk", "msn.com",
    "icloud.com", "me.com", "mac.com", "aol.com", "gmx.com", "gmx.net", "proton.me", "protonmail.com", "mail.com",
    "yandex.com", "zoho.com", "btinternet.com", "sky.com", "virginmedia.com", "talktalk.net",
}
TOKEN_ADDRESS_RE = re.compile(r"^support\+([0-9a-f]{8,32})@", re.IGNORECASE)
OUR_MESSAGE_ID_RE = re.compile(r"^<(?:ticket|comment|resolved)-\d+\.([0-9a-f]{8,32})@([^>]+)>$", re.IGNORECASE)
REOPEN_FROM = {TicketStatus.RESOLVED: TicketStatus.OPEN, TicketStatus.WAITING_CUSTOMER: TicketStatus.OPEN}


def is_free_mail(domain: str) -> bool:
    domain = domain.lower()
    return domain in FREE_MAIL_DOMAINS or domain.startswith("yahoo.") or domain.startswith("ymail.")


# ---------------------------------------------------------------- matching
def ticket_for_message(parsed: ParsedMessage) -> Ticket | None:
    """The ticket this message answers: a stored Message-ID it refers to, else the support+TOKEN@ address."""
    ids = parsed.thread_ids
    if ids:
        own_host = f"{connection.schema_name}.".lower()
        tokens = [match.group(1).lower() for match in map(OUR_MESSAGE_ID_RE.match, ids)
                  if match and match.group(2).lower().startswith(own_host)]
        ticket = Ticket.objects.filter(reply_token__in=tokens).first() if tokens else None
        if ticket is None:
            comment = Comment.objects.filter(message_id__in=ids).select_related("ticket").first()
            ticket = comment.ticket if comment else None
        if ticket is None:
            inbound = InboundMessage.objects.filter(message_id__in=ids, ticket__isnull=False).select_related(
                "ticket").first()
            ticket = inbound.ticket if inbound else None
        if ticket is not None:
            return ticket
    tokens = [match.group(1).lower() for match in map(TOKEN_ADDRESS_RE.match, parsed.recipients) if match]
    return Ticket.objects.filter(reply_token__in=tokens).first() if tokens else None


def contact_email_for_sender(sender: str) -> ContactEmail | None:
    if not sender:
        return None
    return (ContactEmail.objects.filter(address__iexact=sender).select_related("contact__customer")
            .order_by("-is_primary", "id").first())


def customer_for_domain(sender: str) -> Customer | None:
    """A customer whose website or contacts use the sender's domain; none when free mail or ambiguous."""
    domain = sender.rpartition("@")[2].lower()
    if not domain or is_free_mail(domain):
        return None
    live = Customer.objects.filter(archived_at__isnull=True)
    by_website = list(live.filter(website_domain=domain)[:2])
    if len(by_website) == 1:
        return by_website[0]
    if by_website:
        return None
    ids = set(ContactEmail.objects.filter(address__iendswith=f"@{domain}", contact__customer__archived_at__isnull=True)
              .values_list("contact__customer_id", flat=True)[:50])
    return live.get(pk=ids.pop()) if len(ids) == 1 else None


# ---------------------------------------------------------------- processing
def inbound_message_process(*, raw: bytes, uid: int | None = None, uid_validity: int | None = None) -> InboundMessage:
    """Process one message in its own transaction. Never raises for a bad message: a failure is recorded (with the
    raw bytes, for an agent) and the caller moves on to the next one. Already seen Message-IDs are skipped."""
    try:
        parsed = parse_message(raw)
    except Exception as error:  # noqa: BLE001 - a message the parser cannot read at all
        message_id = f"<sha256-{hashlib.sha256(raw).hexdigest()}@unparseable>"
        return _record_failure(message_id=message_id, raw=raw, uid=uid, uid_validity=uid_validity, error=error,
                               parsed=None)
    existing = InboundMessage.objects.filter(message_id=parsed.message_id).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return _route(parsed=parsed, raw=raw, uid=uid, uid_validity=uid_validity)
    except Exception as error:  # noqa: BLE001 - recorded and visible; the other messages go on
        return _record_failure(message_id=parsed.message_id, raw=raw, uid=uid, uid_validity=uid_validity,
                               error=error, parsed=parsed)


@transaction.atomic
def _record_failure(*, message_id, raw, uid, uid_validity, error, parsed) -> InboundMessage:
    message, _created = InboundMessage.objects.get_or_create(message_id=message_id, defaults={
        "uid": uid, "uid_validity": uid_validity, "outcome": InboundOutcome.FAILED, "raw": raw,
        "error": f"{type(error).__name__}: {error}"[:2000],
        **(_summary(parsed) if parsed else {})})
    return message


def _summary(parsed: ParsedMessage) -> dict:
    return {"sender": _clean(parsed.sender)[:254], "sender_name": _clean(parsed.sender_name),
            "subject": _clean(parsed.subject), "sent_at": parsed.sent_at, "full_text": _clean(parsed.text)}


def _clean(text: str) -> str:
    return text.replace("\x00", "")  # PostgreSQL text cannot hold NUL


def _route(*, parsed: ParsedMessage, raw: bytes, uid, uid_validity) -> InboundMessage:
    record = InboundMessage(message_id=parsed.message_id, uid=uid, uid_validity=uid_validity, **_summary(parsed))
    if parsed.is_bounce or parsed.is_auto_reply:
        record.outcome = InboundOutcome.BOUNCE if parsed.is_bounce else InboundOutcome.AUTO_REPLY
        record.ticket = ticket_for_message(parsed)  # for reference only: nothing is added, nothing is sent
        record.save()
        return record
    ticket = ticket_for_message(parsed)
    if ticket is not None:
        record.comment = comment_add_from_email(ticket=ticket, parsed=parsed)
        record.ticket, record.outcome = ticket, InboundOutcome.APPENDED
        record.save()
        return record
    contact_email = contact_email_for_sender(parsed.sender)
    if contact_email is not None:
        customer, contact = contact_email.contact.customer, contact_email.contact
    else:
        customer, contact = customer_for_domain(parsed.sender), None
    if customer is None:
        record.outcome, record.raw = InboundOutcome.UNMATCHED, raw
        record.save()
        return record
    record.ticket = ticket_open_from_email(parsed=parsed, customer=customer, contact=contact, acting_user=None)
    record.outcome = InboundOutcome.NEW_TICKET
    record.save()
    return record


def _attachments_save(*, ticket: Ticket, comment: Comment | None, parsed: ParsedMessage) -> list[str]:
    """Saved through the helpdesk's attachment rules; a refused file is named in the text, the message is kept."""
    from helpdesk.services.conversation import _attachment_save, attachment_check

    refused = []
    for attachment in parsed.attachments:
        upload = SimpleUploadedFile(attachment.name, attachment.data, content_type=attachment.content_type)
        try:
            attachment_check(upload)
        except AttachmentRefused as error:
            refused.append(str(error))
            continue
        _attachment_save(ticket=ticket, comment=comment, upload=upload, acting_user=None)
    return refused


def _refused_note(refused: list[str]) -> str:
    if not refused:
        return ""
    return "\n\n" + "\n".join(_("[Attachment not kept: %(reason)s]") % {"reason": reason} for reason in refused)


@transaction.atomic
def comment_add_from_email(*, ticket: Ticket, parsed: ParsedMessage) -> Comment:
    """A customer's emailed reply: public, authored by the matching contact (or the bare address), threaded under
    the message it answers. A reply to a resolved (or waiting-on-customer) ticket reopens it."""
    from helpdesk.services.tickets import ticket_record, ticket_status_change

    contact_email = contact_email_for_sender(parsed.sender)
    contact = contact_email.contact if contact_email and contact_email.contact.customer_id == ticket.customer_id else None
    parent = Comment.objects.filter(ticket=ticket, message_id__in=parsed.thread_ids).order_by("-id").first() \
        if parsed.thread_ids else None
    body = _clean(parsed.reply_text) or _("(empty message)")
    comment = Comment.objects.create(ticket=ticket, parent=parent, author_contact=contact,
                                     author_email=parsed.sender[:254] if "@" in parsed.sender else "",
                                     body=body, message_id=parsed.message_id[:250], created_at=timezone.now())
    refused = _attachments_save(ticket=ticket, comment=comment, parsed=parsed)
    if refused:
        comment.body += _refused_note(refused)
        comment.save(update_fields=["body"])
    ticket_record(ticket=ticket, kind="helpdesk.ticket_email_received", acting_user=None,
                  sender=parsed.sender, refused=len(refused))
    reopen_to = REOPEN_FROM.get(ticket.status)
    if reopen_to is not None:
        ticket_status_change(ticket=ticket, status=reopen_to, acting_user=None)
    return comment


@transaction.atomic
def ticket_open_from_email(*, parsed: ParsedMessage, customer: Customer, contact, acting_user) -> Ticket:
    from helpdesk.services.emails import ticket_email_created
    from helpdesk.services.tickets import ticket_create

    description = _clean(parsed.text) or _("(empty message)")
    if contact is None and parsed.sender:
        description = _("From %(sender)s") % {"sender": parsed.sender} + "\n\n" + description
    ticket = ticket_create(customer=customer, acting_user=acting_user, contact=contact, source=TicketSource.EMAIL,
                           subject=_clean(parsed.subject or _("(no subject)"))[:200], description=description)
    refused = _attachments_save(ticket=ticket, comment=None, parsed=parsed)
    if refused:
        ticket.description += _refused_note(refused)
        ticket.save(update_fields=["description", "updated_at"])
    ticket_email_created(ticket=ticket)
    return ticket


@transaction.atomic
def inbound_message_assign(*, message: InboundMessage, customer: Customer, acting_user) -> Ticket:
    """An agent says which customer an unmatched message is from: it opens that customer's ticket."""
    message = InboundMessage.objects.select_for_update().get(pk=message.pk)
    if message.outcome != InboundOutcome.UNMATCHED or message.raw is None:
        raise HelpdeskError(_("This message has already been dealt with."))
    parsed = parse_message(bytes(message.raw))
    contact_email = contact_email_for_sender(parsed.sender)
    contact = contact_email.contact if contact_email and contact_email.contact.customer_id == customer.pk else None
    ticket = ticket_open_from_email(parsed=parsed, customer=customer, contact=contact, acting_user=acting_user)
    message.ticket, message.outcome, message.assigned_by, message.raw = ticket, InboundOutcome.NEW_TICKET, acting_user, None
    message.save(update_fields=["ticket", "outcome", "assigned_by", "raw"])
    return ticket
