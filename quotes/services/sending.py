"""Sending a quote: its PDF (drawn once per sent revision, kept in the tenant's folder) and the email that carries
it to the customer with a link to the portal.

`quote_email_send` freezes the revision through `quote_send` (so every sending rule, approval included, applies),
queues an OutboundEmail that names the revision's PDF as its attachment, and leaves on commit a task that draws the
PDF and then hands the email to core's delivery task (retries, status, last error: ADR 0008). The builder shows
the delivery state and sends a failed email again with `quote_email_resend`.
"""

from __future__ import annotations

import re
import zoneinfo
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Case, When
from django.db.models.functions import Lower
from django.utils import dateformat, timezone
from django.urls import reverse
from django.utils.translation import gettext as _

from core.email import email_send
from core.events import event_record
from core.models import EmailStatus, OutboundEmail
from core.transactions import on_commit_in_this_schema
from quotes.errors import QuoteError
from quotes.links import current_tenant, quote_portal_url
from quotes.models import Quote, QuoteEmail, QuoteRevision, RevisionPdf, revision_pdf_path
from quotes.pdf import RenderedPdf, pdf_render
from quotes.services.quotes import quote_send, quote_snapshot
from quotes.totals import QuoteArithmeticError

MAX_COPIES = 10
MAX_RECIPIENTS = 200
SUBJECT_MAX = 250
PDF_CONTENT_TYPE = "application/pdf"


# ------------------------------------------------------------------------------------------------------- PDF

def _issued_on(revision: QuoteRevision, tenant) -> date:
    """The sending day in the tenant's timezone, whether drawn in a request or in a worker."""
    return revision.sent_at.astimezone(zoneinfo.ZoneInfo(tenant.timezone)).date()


def revision_pdf_ensure(*, revision: QuoteRevision) -> RevisionPdf:
    """The revision's stored PDF, drawn now if it was never drawn or its file has gone (same snapshot, same PDF)."""
    existing = RevisionPdf.objects.filter(revision=revision).first()
    if existing is not None and default_storage.exists(existing.file.name):
        return existing
    tenant = current_tenant()
    rendered = pdf_render(revision.snapshot, tenant=tenant, issued_on=_issued_on(revision, tenant))
    path = revision_pdf_path(revision)
    if default_storage.exists(path):
        default_storage.delete(path)  # a stale file under the fixed name would make the storage pick another name
    stored_name = default_storage.save(path, ContentFile(rendered.content))
    document, _created = RevisionPdf.objects.update_or_create(
        revision=revision, defaults={"file": stored_name, "size": len(rendered.content), "pages": rendered.pages,
                                     "generated_at": timezone.now()})
    return document


def quote_pdf_preview(*, quote: Quote) -> RenderedPdf:
    """The working lines as a PDF marked DRAFT: drawn on request, never stored (they change with every edit)."""
    try:
        snapshot = quote_snapshot(quote=quote)
    except QuoteArithmeticError as error:
        raise QuoteError(str(error)) from error
    tenant = current_tenant()
    today = timezone.now().astimezone(zoneinfo.ZoneInfo(tenant.timezone)).date()
    return pdf_render(snapshot, tenant=tenant, issued_on=today, draft=True)


def revision_pdf_file_name(revision: QuoteRevision) -> str:
    return f"{revision.quote.reference}-R{revision.number}.pdf"


# ----------------------------------------------------------------------------------------------------- email

def quote_topic(quote: Quote) -> str:
    return f"quotes.quote:{quote.pk}"


def quote_recipients(*, quote: Quote) -> list[tuple[str, str]]:
    """(address, "Name <address>") of the customer's contacts' emails for the dialog's list, the quote's contact
    first; at most MAX_RECIPIENTS (any other address can be typed)."""
    from crm.models import ContactEmail

    emails = (ContactEmail.objects.filter(contact__customer_id=quote.customer_id).select_related("contact")
              .annotate(is_quote_contact=Case(When(contact_id=quote.contact_id, then=0), default=1))
              .order_by("is_quote_contact", Lower("contact__first_name"), Lower("contact__last_name"), "-is_primary",
                        "id")[:MAX_RECIPIENTS])
    seen, recipients = set(), []
    for email in emails:
        if email.address.lower() not in seen:
            seen.add(email.address.lower())
            recipients.append((email.address, f"{email.contact.full_name} <{email.address}>"))
    return recipients


def quote_email_defaults(*, quote: Quote, acting_user) -> dict:
    """What the send dialog starts with: the quote's contact, and a subject and message the user can change."""
    contact_email = ""
    if quote.contact_id:
        primary = quote.contact.emails.order_by("-is_primary", "id").first()
        contact_email = primary.address if primary else ""
    tenant = current_tenant()
    greeting = quote.contact.first_name if quote.contact_id else _("Sir or Madam")
    sender = getattr(acting_user, "full_name", "") or getattr(acting_user, "email", "")
    message = _(
        "Dear %(greeting)s,\n\n"
        "Please find attached our quote %(ref)s R%(rev)s for %(title)s. It is valid until %(valid)s.\n\n"
        "You can also read it online and accept it there, using the link below this message.\n\n"
        "If anything needs changing, just reply to this email.\n\n"
        "Kind regards,\n%(sender)s\n%(company)s") % {
        "greeting": greeting, "ref": quote.reference, "rev": quote.revision, "title": quote.title,
        "valid": dateformat.format(quote.valid_until, "j F Y"), "sender": sender, "company": tenant.name}
    return {"to": contact_email, "cc": "",
            "subject": _("Quote %(ref)s R%(rev)s: %(title)s") % {"ref": quote.reference, "rev": quote.revision,
                                                                "title": quote.title},
            "message": message}


def _clean_address(raw: str, *, field: str) -> str:
    address = raw.strip()
    try:
        validate_email(address)
    except ValidationError as error:
        raise QuoteError(_("%(field)s: “%(value)s” is not an email address.") % {"field": field, "value": address}) \
            from error
    return address


def parse_copies(raw: str) -> list[str]:
    """Copy addresses typed as a list separated by commas, semicolons, spaces or new lines."""
    parts = [part for part in re.split(r"[,;\s]+", raw or "") if part]
    if len(parts) > MAX_COPIES:
        raise QuoteError(_("Copy at most %(n)s addresses.") % {"n": MAX_COPIES})
    copies = []
    for part in parts:
        address = _clean_address(part, field=_("Cc"))
        if address.lower() not in {copy.lower() for copy in copies}:
            copies.append(address)
    return copies


@transaction.atomic
def quote_email_send(*, quote: Quote, acting_user, to: str, subject: str, message: str,
                     cc: list[str] | None = None) -> QuoteEmail:
    """Freeze the current revision (every rule of `quote_send` applies) and email it, PDF attached, to `to`."""
    if not (to or "").strip():
        raise QuoteError(_("Say who the quote goes to."))
    to = _clean_address(to, field=_("To"))
    copies = [_clean_address(address, field=_("Cc")) for address in (cc or [])]
    if len(copies) > MAX_COPIES:
        raise QuoteError(_("Copy at most %(n)s addresses.") % {"n": MAX_COPIES})
    subject = " ".join((subject or "").split())
    if not subject:
        raise QuoteError(_("Give the email a subject."))
    if len(subject) > SUBJECT_MAX:
        raise QuoteError(_("Keep the subject under %(n)s characters.") % {"n": SUBJECT_MAX})
    if not (message or "").strip():
        raise QuoteError(_("Write a message to go with the quote."))
    revision = quote_send(quote=quote, acting_user=acting_user, draw_pdf=False)
    quote.refresh_from_db()
    tenant = current_tenant()
    outbound = email_send(
        to=to, cc=copies, subject=subject, template="quotes/email/quote_sent", topic=quote_topic(quote),
        context={"message": message.strip(), "portal_url": quote_portal_url(quote), "quote": quote,
                 "revision": revision, "tenant": tenant, "file_name": revision_pdf_file_name(revision)},
        reply_to=getattr(acting_user, "email", "") or "",
        attachments=[{"path": revision_pdf_path(revision), "name": revision_pdf_file_name(revision),
                      "content_type": PDF_CONTENT_TYPE}],
        deliver=False)
    sent = QuoteEmail.objects.create(quote=quote, revision=revision, message=outbound,
                                     sent_by=acting_user if getattr(acting_user, "is_authenticated", False) else None)
    event_record(kind="quotes.quote_emailed", actor=acting_user, subject=quote, customer_id=quote.customer_id,
                 data={"ref": quote.reference, "title": quote.title, "revision": revision.number, "to": to,
                       "cc": copies})
    _schedule_delivery(sent)
    return sent


def _schedule_delivery(sent: QuoteEmail) -> None:
    from quotes.tasks import quote_email_deliver

    on_commit_in_this_schema(lambda: quote_email_deliver.delay(sent.pk))


@transaction.atomic
def quote_email_resend(*, sent: QuoteEmail, acting_user) -> QuoteEmail:
    """Queue a failed email again, as it was (same revision, same PDF, same recipients)."""
    outbound = OutboundEmail.objects.select_for_update().get(pk=sent.message_id)
    if outbound.status != EmailStatus.FAILED:
        raise QuoteError(_("Only an email that failed can be sent again; this one is %(status)s.")
                         % {"status": outbound.get_status_display().lower()})
    outbound.status = EmailStatus.QUEUED
    outbound.save(update_fields=["status"])
    event_record(kind="quotes.quote_email_resent", actor=acting_user, subject=sent.quote,
                 customer_id=sent.quote.customer_id,
                 data={"ref": sent.quote.reference, "title": sent.quote.title, "revision": sent.revision.number,
                       "to": outbound.to})
    _schedule_delivery(sent)
    return sent


def quote_email_failed(message: OutboundEmail) -> None:
    """After the last retry: the person who sent the quote hears of it, with a link to the quote (Send again)."""
    from core.models import NotificationLevel
    from core.notifications import notify_user

    sent = QuoteEmail.objects.select_related("quote", "revision", "sent_by").filter(message=message).first()
    if sent is None or sent.sent_by is None or not sent.sent_by.is_active:
        return
    notify_user(user=sent.sent_by, level=NotificationLevel.DANGER,
                link=reverse("quotes:quote_builder", kwargs={"pk": sent.quote_id}),
                message=_("The email of %(ref)s R%(rev)s to %(to)s could not be delivered: %(error)s") % {
                    "ref": sent.quote.reference, "rev": sent.revision.number, "to": message.to,
                    "error": message.last_error})


def quote_email_deliver_run(*, quote_email_id: int) -> str:
    """The task's work: draw the PDF if it is not there yet, then hand the email to core's delivery task."""
    from core.tasks import email_deliver

    sent = QuoteEmail.objects.select_related("revision__quote", "message").filter(pk=quote_email_id).first()
    if sent is None or sent.message.status == EmailStatus.SENT:
        return "skipped"
    try:
        revision_pdf_ensure(revision=sent.revision)
    except Exception as error:  # noqa: BLE001 - a PDF that cannot be drawn must show on the quote, not vanish
        message = sent.message
        message.status = EmailStatus.FAILED
        message.last_error = f"The PDF could not be drawn: {type(error).__name__}: {error}"[:500]
        message.save(update_fields=["status", "last_error"])
        quote_email_failed(message)
        raise
    email_deliver.delay(sent.message_id)
    return "queued"
