"""Reads of tickets: every lookup of a user-supplied id goes through here."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from helpdesk.forms import SORTS, TicketFilters
from helpdesk.models import Comment, Ticket, TicketPriority
from helpdesk.models.ticket import OPEN_STATUSES, SlaState

BREACHING_WITHIN = timedelta(hours=2)


def ticket_get_for_user(*, user, pk) -> Ticket:
    """The same 404 for a ticket that does not exist and one the user may not see.

    Read without ORDER BY and LIMIT (the primary key finds one row at most): over these ten joins PostgreSQL planned
    `.first()`'s sorted, limited query in ~6 ms, `.get()`'s limited one in ~5 ms and this one in ~2.5 ms."""
    if not user.has_perm("helpdesk.view_tickets"):
        raise Http404
    tickets = list(Ticket.objects.select_related("customer", "contact", "site", "assignee", "category", "sla_policy",
                                                 "quote", "contract", "portal_rating__contact")
                   .filter(pk=pk).order_by())
    if not tickets:
        raise Http404
    return tickets[0]


def ticket_list(*, filters: TicketFilters, user, now=None) -> QuerySet[Ticket]:
    now = now or timezone.now()
    tickets = Ticket.objects.select_related("customer", "assignee", "contact")
    if filters.view == "mine":
        tickets = tickets.filter(assignee=user, status__in=OPEN_STATUSES)
    elif filters.view == "unassigned":
        tickets = tickets.filter(assignee__isnull=True, status__in=OPEN_STATUSES)
    elif filters.view == "breaching":
        tickets = tickets.filter(status__in=OPEN_STATUSES).filter(
            Q(sla_state__in=[SlaState.AT_RISK, SlaState.BREACHED])
            | Q(sla_state=SlaState.ON_TRACK, sla_due_at__lte=now + BREACHING_WITHIN))
    elif filters.view == "open":
        tickets = tickets.filter(status__in=OPEN_STATUSES)
    if filters.search:
        term = filters.search.strip()
        number = term.upper().removeprefix("T-")
        if number.isdigit():  # a ticket number, typed whole or in part of its leading zeros: an index lookup
            tickets = tickets.filter(number=int(number))
        else:
            tickets = tickets.filter(Q(subject__icontains=term) | Q(customer__name__icontains=term))
    if filters.status:
        tickets = tickets.filter(status=filters.status)
    if filters.priority:
        tickets = tickets.filter(priority=filters.priority)
    if filters.assignee == "me":
        tickets = tickets.filter(assignee=user)
    elif filters.assignee == "none":
        tickets = tickets.filter(assignee__isnull=True)
    elif filters.assignee.isdigit():
        tickets = tickets.filter(assignee_id=int(filters.assignee))
    if filters.customer:
        tickets = tickets.filter(customer_id=filters.customer)
    if filters.sla_state:
        tickets = tickets.filter(sla_state=filters.sla_state)
    order = SORTS.get(filters.sort, SORTS["sla"])
    if any("priority_rank" in key for key in order):
        tickets = tickets.annotate(priority_rank=Case(
            *[When(priority=value, then=Value(rank)) for rank, value in enumerate(TicketPriority.values)],
            output_field=IntegerField()))
    from django.db.models import F

    expressions = []
    for key in order:
        descending = key.startswith("-")
        field = key.lstrip("-")
        expressions.append(F(field).desc(nulls_last=True) if descending else F(field).asc(nulls_last=True))
    return tickets.order_by(*expressions, "-id")


def ticket_conversation(*, ticket: Ticket) -> list[dict]:
    """The comments as a thread: each top-level message with its replies (any depth) indented under it."""
    comments = list(Comment.objects.filter(ticket=ticket).select_related("author", "author_contact", "inbound_message")
                    .defer("inbound_message__raw").prefetch_related("attachments").order_by("created_at", "id"))
    children: dict[int | None, list[Comment]] = {}
    known = {comment.pk for comment in comments}
    for comment in comments:
        parent = comment.parent_id if comment.parent_id in known else None
        children.setdefault(parent, []).append(comment)
    thread: list[dict] = []

    def walk(parent_id, depth):
        for comment in children.get(parent_id, []):
            thread.append({"comment": comment, "depth": min(depth, 4)})
            walk(comment.pk, depth + 1)

    walk(None, 0)
    return thread
