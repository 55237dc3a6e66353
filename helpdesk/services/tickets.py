"""Every write to a ticket. Each change is an event (on the ticket's history and the customer's timeline), written in
the same transaction, and open ticket pages and lists are told live on commit."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.events import event_record
from core.notifications import live_signal, notify_user
from core.numbering import number_next
from crm.services.customers import customer_ensure_live
from helpdesk.errors import HelpdeskError
from helpdesk.models import Ticket, TicketPriority, TicketSource, TicketStatus
from helpdesk.models.ticket import DONE_STATUSES

TICKET_SERIES = "helpdesk.ticket"
EDITABLE_FIELDS = ("subject", "description", "contact", "site", "type", "category", "contract", "quote")
CONTRACT_AUTO = object()  # ticket_create's default: the customer's contract in force, if any


def _label(value) -> str:
    return str(value) if value not in (None, "") else _("nobody")


def ticket_record(*, ticket: Ticket, kind: str, acting_user, **data) -> None:
    event_record(kind=kind, actor=acting_user, subject=ticket, customer_id=ticket.customer_id,
                 data={"ref": ticket.reference, **data})
    ticket_signal(ticket)


def ticket_signal(ticket: Ticket) -> None:
    live_signal(topic="tickets", signals=["tickets-changed", f"ticket-{ticket.pk}-changed"])


def _check_belongs(ticket: Ticket) -> None:
    if ticket.contact_id and ticket.contact.customer_id != ticket.customer_id:
        raise HelpdeskError(_("That contact belongs to another customer."))
    if ticket.site_id and ticket.site.customer_id != ticket.customer_id:
        raise HelpdeskError(_("That site belongs to another customer."))
    if ticket.contract_id and ticket.contract.customer_id != ticket.customer_id:
        raise HelpdeskError(_("That contract belongs to another customer."))
    if ticket.quote_id and ticket.quote.customer_id != ticket.customer_id:
        raise HelpdeskError(_("That quote belongs to another customer."))


@transaction.atomic
def ticket_create(*, customer, acting_user, subject: str, description: str = "", contact=None, site=None,
                  type: str = "incident", category=None, priority: str = TicketPriority.MEDIUM, assignee=None,
                  source: str = TicketSource.STAFF, tags: Iterable = (), contract=CONTRACT_AUTO,
                  quote=None, ai_help: bool = True) -> Ticket:
    """Without `contract`, the ticket goes under the customer's contract in force (pass None for none).
    `ai_help=False`: no AI ticket help is queued (generated demo data must not spend the tenant's AI budget)."""
    customer_ensure_live(customer)
    if contract is CONTRACT_AUTO:
        from helpdesk.selectors_contracts import contract_in_force_for_customer

        contract = contract_in_force_for_customer(customer_id=customer.pk)
    ticket = Ticket(customer=customer, subject=subject.strip(), description=description, contact=contact, site=site,
                    type=type, category=category, priority=priority, assignee=assignee, source=source, contract=contract,
                    quote=quote,
                    created_by=acting_user if getattr(acting_user, "is_authenticated", False) else None)
    _check_belongs(ticket)
    ticket.full_clean(exclude=["number"])
    ticket.number = number_next(series=TICKET_SERIES)
    ticket.save()
    ticket.tags.set(tags)
    from helpdesk.services.sla import ticket_sla_refresh

    ticket_sla_refresh(ticket=ticket, acting_user=None, reason=None)
    ticket_record(ticket=ticket, kind="helpdesk.ticket_created", acting_user=acting_user, subject=ticket.subject,
                  priority=str(ticket.get_priority_display()))
    from helpdesk.services.emails import ticket_email_created

    ticket_email_created(ticket=ticket)  # the contact's acknowledgement, whatever the ticket came through
    if assignee and assignee != acting_user:
        _notify_assignee(ticket)
    if ai_help:
        _ticket_help_on_commit(ticket=ticket, acting_user=acting_user)
    return ticket


def _ticket_help_on_commit(*, ticket: Ticket, acting_user) -> None:
    """AI help starts by itself for every new ticket once the ticket is committed (when the tenant has AI
    configured): never inside the ticket's transaction, so AI can neither delay nor fail the creation."""
    from ai_prompts.services.features import ticket_help_autostart
    from core.transactions import on_commit_in_this_schema

    ticket_id = ticket.pk
    on_commit_in_this_schema(lambda: ticket_help_autostart(ticket_id=ticket_id, acting_user=acting_user))


@transaction.atomic
def ticket_update(*, ticket: Ticket, acting_user, changes: dict, tags: Iterable | None = None) -> Ticket:
    changed = [field for field in EDITABLE_FIELDS if field in changes and getattr(ticket, field) != changes[field]]
    for field in changed:
        setattr(ticket, field, changes[field])
    if tags is not None and set(ticket.tags.all()) != set(tags):
        ticket.tags.set(tags)
        changed.append("tags")
    if changed:
        _check_belongs(ticket)
        ticket.full_clean()
        ticket.save()
        ticket_record(ticket=ticket, kind="helpdesk.ticket_changed", acting_user=acting_user,
                      fields=[str(Ticket._meta.get_field(field).verbose_name) for field in changed])
        if "contract" in changed:  # the contract may bring another SLA policy
            from helpdesk.services.sla import ticket_sla_refresh

            ticket_sla_refresh(ticket=ticket, acting_user=acting_user,
                               reason=_("Support contract changed to %(name)s") % {"name": _label(ticket.contract)})
    return ticket


@transaction.atomic
def ticket_assign(*, ticket: Ticket, assignee, acting_user) -> Ticket:
    if ticket.assignee_id == (assignee.pk if assignee else None):
        return ticket
    previous = ticket.assignee
    ticket.assignee = assignee
    update = ["assignee", "updated_at"]
    if assignee and ticket.status == TicketStatus.NEW:
        ticket.status = TicketStatus.OPEN  # picked up
        update.append("status")
    ticket.save(update_fields=update)
    ticket_record(ticket=ticket, kind="helpdesk.ticket_assigned", acting_user=acting_user, to=_label(assignee),
                  **{"from": _label(previous)})
    if assignee and assignee != acting_user:
        _notify_assignee(ticket)
    return ticket


def _notify_assignee(ticket: Ticket) -> None:
    from django.urls import reverse

    from helpdesk.services.emails import ticket_email_assignee

    notify_user(user=ticket.assignee, link=reverse("helpdesk:ticket_detail", args=[ticket.pk]),
                message=_("%(ref)s “%(subject)s” is assigned to you.") % {"ref": ticket.reference, "subject": ticket.subject})
    ticket_email_assignee(ticket=ticket)


@transaction.atomic
def ticket_status_change(*, ticket: Ticket, status: str, acting_user, now=None) -> Ticket:
    if status not in TicketStatus.values:
        raise HelpdeskError(_("Unknown status."))
    if status == ticket.status:
        return ticket
    now = now or timezone.now()
    previous = ticket.status
    ticket.status = status
    if status == TicketStatus.RESOLVED:
        ticket.resolved_at = now
    elif status == TicketStatus.CLOSED:
        ticket.closed_at = now
        ticket.resolved_at = ticket.resolved_at or now
    else:  # reopened
        ticket.resolved_at = ticket.closed_at = None
    ticket.save(update_fields=["status", "resolved_at", "closed_at", "updated_at"])
    from helpdesk.services.sla import ticket_sla_pause_track, ticket_sla_refresh

    ticket_sla_pause_track(ticket=ticket, previous_status=previous, now=now)
    kind = "helpdesk.ticket_resolved" if status == TicketStatus.RESOLVED else "helpdesk.ticket_status_changed"
    ticket_record(ticket=ticket, kind=kind, acting_user=acting_user, to=str(ticket.get_status_display()),
                  **{"from": str(TicketStatus(previous).label)})
    ticket_sla_refresh(ticket=ticket, acting_user=acting_user, now=now,
                       reason=_("Status changed from %(from)s to %(to)s") % {"from": TicketStatus(previous).label,
                                                                               "to": ticket.get_status_display()})
    if status == TicketStatus.RESOLVED:
        from helpdesk.services.emails import ticket_email_resolved

        ticket_email_resolved(ticket=ticket)
    return ticket


@transaction.atomic
def ticket_priority_change(*, ticket: Ticket, priority: str, acting_user, now=None) -> Ticket:
    if priority not in TicketPriority.values:
        raise HelpdeskError(_("Unknown priority."))
    if priority == ticket.priority:
        return ticket
    previous = ticket.priority
    ticket.priority = priority
    ticket.save(update_fields=["priority", "updated_at"])
    ticket_record(ticket=ticket, kind="helpdesk.ticket_priority_changed", acting_user=acting_user,
                  to=str(ticket.get_priority_display()), **{"from": str(TicketPriority(previous).label)})
    from helpdesk.services.sla import ticket_sla_refresh

    ticket_sla_refresh(ticket=ticket, acting_user=acting_user, now=now,
                       reason=_("Priority changed from %(from)s to %(to)s") % {"from": TicketPriority(previous).label,
                                                                                 "to": ticket.get_priority_display()})
    return ticket


def ticket_bulk(*, tickets: Iterable[Ticket], acting_user, action: str, value) -> int:
    """Apply one change to many tickets, each through its own service (so each has its history)."""
    count = 0
    for ticket in tickets:
        if action == "assign":
            ticket_assign(ticket=ticket, assignee=value, acting_user=acting_user)
        elif action == "status":
            ticket_status_change(ticket=ticket, status=value, acting_user=acting_user)
        elif action == "close":
            ticket_status_change(ticket=ticket, status=TicketStatus.CLOSED, acting_user=acting_user)
        else:
            raise HelpdeskError(_("Unknown bulk action."))
        count += 1
    return count


def ticket_is_done(ticket: Ticket) -> bool:
    return ticket.status in DONE_STATUSES
