"""Every read of the portal. Each starts from the signed-in access: its contact's company, narrowed to the contact's
own items when the access says so, and a user-supplied id outside that answers the same 404 as one that does not
exist. Internal notes, staff-only files, costs and margins are never selected for the portal."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from portal.models import PortalAccess, PortalScope


def _int(pk) -> int:
    try:
        return int(pk)
    except (TypeError, ValueError):
        raise Http404 from None


# ------------------------------------------------------------------------------------------------------ quotes

def quote_list_for_access(*, access: PortalAccess) -> QuerySet:
    """The company's quotes that have at least one sent revision (a draft never sent is not the customer's yet).
    Figures come from the latest sent revision (`sent_total`, `sent_valid_until`, `sent_revision`), never from the working lines, which
    may hold a revision not sent yet."""
    from django.db.models import Subquery

    from quotes.models import Quote, QuoteRevision

    latest = QuoteRevision.objects.filter(quote=OuterRef("pk")).order_by("-number")
    quotes = (Quote.objects.filter(customer_id=access.contact.customer_id)
              .filter(Exists(QuoteRevision.objects.filter(quote=OuterRef("pk"))))
              .annotate(sent_total=Subquery(latest.values("snapshot__totals__total")[:1]),
                        sent_valid_until=Subquery(latest.values("snapshot__valid_until")[:1]),
                        sent_revision=Subquery(latest.values("number")[:1]))
              .select_related("contact"))
    if access.scope == PortalScope.OWN:
        quotes = quotes.filter(contact_id=access.contact_id)
    return quotes.order_by("-created_at", "-id")


def quote_get_for_access(*, access: PortalAccess, pk):
    quote = quote_list_for_access(access=access).select_related("owner").filter(pk=_int(pk)).first()
    if quote is None:
        raise Http404
    return quote


# ----------------------------------------------------------------------------------------------------- tickets

def ticket_list_for_access(*, access: PortalAccess) -> QuerySet:
    from helpdesk.models import Ticket

    tickets = Ticket.objects.filter(customer_id=access.contact.customer_id).select_related("contact", "site")
    if access.scope == PortalScope.OWN:
        tickets = tickets.filter(contact_id=access.contact_id)
    return tickets.order_by("-created_at", "-id")


def ticket_get_for_access(*, access: PortalAccess, pk):
    ticket = ticket_list_for_access(access=access).select_related("portal_rating").filter(pk=_int(pk)).first()
    if ticket is None:
        raise Http404
    return ticket


def ticket_public_conversation(*, ticket):
    """Public messages only, oldest first, with their files: internal notes are filtered out in SQL."""
    from helpdesk.models import Comment

    return (Comment.objects.filter(ticket=ticket, is_internal=False)
            .select_related("author", "author_contact").prefetch_related("attachments").order_by("created_at", "id"))


def _public_attachments(ticket):
    """Files of public messages, and the files the customer gave when opening the ticket (no staff uploader).
    Files on internal notes, and files staff attached to the ticket itself, stay staff-only."""
    return ticket.attachments.filter(Q(comment__is_internal=False) | Q(comment__isnull=True, uploaded_by__isnull=True))


def ticket_opening_files(*, ticket):
    return ticket.attachments.filter(comment__isnull=True, uploaded_by__isnull=True).order_by("created_at", "id")


def attachment_get_for_access(*, access: PortalAccess, ticket_pk, pk):
    ticket = ticket_get_for_access(access=access, pk=ticket_pk)
    attachment = _public_attachments(ticket).filter(pk=_int(pk)).first()
    if attachment is None:
        raise Http404
    return attachment


def site_choices_for_access(*, access: PortalAccess):
    return access.contact.customer.addresses.order_by("position", "id")


# --------------------------------------------------------------------------------------------------- contracts

def contract_list_for_access(*, access: PortalAccess) -> QuerySet:
    """The company's contracts except drafts (not agreed yet). Contracts belong to the company, not to a contact,
    so the "own items" scope does not narrow them."""
    from helpdesk.models import ContractStatus, SupportContract

    return (SupportContract.objects.filter(customer_id=access.contact.customer_id)
            .exclude(status=ContractStatus.DRAFT).select_related("sla_policy").order_by("-end_date", "-id"))


# ------------------------------------------------------------------------------------------------ staff reads

def access_list_for_customer(*, customer):
    """Each contact of the customer with its portal access (or None), for the staff panel."""
    from crm.models import Contact

    contacts = (Contact.objects.filter(customer=customer).select_related("portal_access")
                .prefetch_related("emails").order_by("-is_primary", "first_name", "last_name", "id"))
    return contacts


def contact_get_for_staff(*, user, pk):
    from crm.models import Contact

    contact = (Contact.objects.select_related("customer").filter(pk=_int(pk), customer__merged_into__isnull=True)
               .first())
    if contact is None or not user.has_perm("crm.view_customers"):
        raise Http404
    return contact


def rating_summary(*, since=None) -> dict:
    """Average and count of the portal ratings (the helpdesk figure on the dashboard)."""
    from django.db.models import Avg, Count

    from portal.models import TicketRating

    ratings = TicketRating.objects.all()
    if since is not None:
        ratings = ratings.filter(created_at__gte=since)
    figures = ratings.aggregate(average=Avg("score"), count=Count("id"))
    return {"average": round(figures["average"], 1) if figures["average"] is not None else None,
            "count": figures["count"]}


def contract_drawdowns(*, contracts, today=None) -> dict:
    """This period's hours of each contract that includes hours, in one query for the whole page (the helpdesk's
    `contract_drawdown` does one per contract): {contract id: Drawdown}."""
    from django.db.models import Count, Sum

    from helpdesk.models import TimeEntry
    from helpdesk.selectors_contracts import MINUTES_PER_HOUR, Drawdown, contract_period

    periods = {contract.pk: (contract, contract_period(contract=contract, today=today)) for contract in contracts}
    periods = {pk: value for pk, value in periods.items() if value[1] is not None}
    if not periods:
        return {}
    condition = Q()
    for pk, (_contract, (start, end)) in periods.items():
        condition |= Q(ticket__contract_id=pk, spent_on__gte=start, spent_on__lte=end)
    totals = {row["ticket__contract_id"]: row for row in
              TimeEntry.objects.filter(condition, billable=True).values("ticket__contract_id")
              .annotate(minutes=Sum("minutes"), entries=Count("id")).order_by()}
    return {pk: Drawdown(period_start=start, period_end=end,
                         included_minutes=int(contract.hours_included * MINUTES_PER_HOUR),
                         used_minutes=(totals.get(pk) or {}).get("minutes") or 0,
                         entries=(totals.get(pk) or {}).get("entries") or 0)
            for pk, (contract, (start, end)) in periods.items()}
