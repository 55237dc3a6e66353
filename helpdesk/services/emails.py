"""Emails about tickets: to the contact on creation, on each public reply and on resolution; to the agent on
assignment. Each one threads (Message-ID, In-Reply-To, References) and carries the ticket's reply address, so the
customer's answer finds its ticket. They leave through core.email (a row, delivered by Celery with retries)."""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.urls import reverse

from core.email import email_send
from helpdesk.models import Comment, Ticket


def _domain() -> str:
    return settings.BASE_DOMAIN


def ticket_root_message_id(ticket: Ticket) -> str:
    return f"<ticket-{ticket.number}.{ticket.reply_token}@{connection.schema_name}.{_domain()}>"


def comment_message_id(comment: Comment) -> str:
    return f"<comment-{comment.pk}.{comment.ticket.reply_token}@{connection.schema_name}.{_domain()}>"


def ticket_reply_address(ticket: Ticket) -> str:
    """support+<token>@<tenant host>: the inbound mailbox matches the token when a reply's headers were lost."""
    return f"support+{ticket.reply_token}@{connection.schema_name}.{_domain()}"


def ticket_topic(ticket: Ticket) -> str:
    return f"helpdesk.ticket:{ticket.pk}"


def _context(ticket: Ticket, **extra) -> dict:
    tenant = connection.tenant
    return {"ticket": ticket, "tenant": tenant, "contact": ticket.contact,
            "ticket_url": f"https://{connection.schema_name}.{_domain()}{reverse('helpdesk:ticket_detail', args=[ticket.pk])}",
            **extra}


def _contact_email(ticket: Ticket) -> str:
    if not ticket.contact_id:
        return ""
    primary = ticket.contact.emails.filter(is_primary=True).first() or ticket.contact.emails.first()
    return primary.address if primary else ""


def _thread_headers(ticket: Ticket, *, message_id: str, parent: Comment | None = None) -> dict:
    root = ticket_root_message_id(ticket)
    if message_id == root:
        return {"Message-ID": root}
    in_reply_to = parent.message_id if parent is not None and parent.message_id else root
    references = [root] + ([in_reply_to] if in_reply_to != root else [])
    return {"Message-ID": message_id, "In-Reply-To": in_reply_to, "References": " ".join(references)}


def ticket_email_created(*, ticket: Ticket) -> None:
    to = _contact_email(ticket)
    if not to:
        return
    email_send(to=to, subject=f"[{ticket.reference}] {ticket.subject}", template="helpdesk/email/ticket_created",
               context=_context(ticket), reply_to=ticket_reply_address(ticket), topic=ticket_topic(ticket),
               headers=_thread_headers(ticket, message_id=ticket_root_message_id(ticket)))


def ticket_email_reply(*, ticket: Ticket, comment: Comment) -> None:
    to = _contact_email(ticket)
    if not to or comment.is_internal:
        return
    email_send(to=to, subject=f"Re: [{ticket.reference}] {ticket.subject}", template="helpdesk/email/ticket_reply",
               context=_context(ticket, comment=comment), reply_to=ticket_reply_address(ticket),
               topic=ticket_topic(ticket),
               headers=_thread_headers(ticket, message_id=comment.message_id, parent=comment.parent))


def ticket_email_resolved(*, ticket: Ticket) -> None:
    to = _contact_email(ticket)
    if not to:
        return
    email_send(to=to, subject=f"Resolved: [{ticket.reference}] {ticket.subject}",
               template="helpdesk/email/ticket_resolved", context=_context(ticket),
               reply_to=ticket_reply_address(ticket), topic=ticket_topic(ticket),
               headers=_thread_headers(ticket, message_id=f"<resolved-{ticket.number}.{ticket.reply_token}@"
                                                         f"{connection.schema_name}.{_domain()}>"))


def ticket_email_assignee(*, ticket: Ticket) -> None:
    if not ticket.assignee or not ticket.assignee.email:
        return
    email_send(to=ticket.assignee.email, subject=f"Assigned to you: [{ticket.reference}] {ticket.subject}",
               template="helpdesk/email/ticket_assigned", context=_context(ticket), topic=ticket_topic(ticket))
