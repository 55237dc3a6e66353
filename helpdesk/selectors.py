"""Reads of tickets: every lookup of a user-supplied id goes through here."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Case, F, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import JSONObject
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from crm.models import Contact
from helpdesk.forms import SORTS, TicketFilters
from helpdesk.models import Attachment, Comment, Ticket, TicketPriority
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
    tickets = Ticket.objects.select_related("customer", "assignee")
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
    expressions = []
    for key in order:
        descending = key.startswith("-")
        field = key.lstrip("-")
        expressions.append(F(field).desc(nulls_last=True) if descending else F(field).asc(nulls_last=True))
    return tickets.order_by(*expressions, "-id")


THREAD_MAX_DEPTH = 4  # deeper replies line up with the fourth level; the page stays readable on a laptop


@dataclass(frozen=True, slots=True)
class ThreadMessage:
    """One message as the ticket page draws it. Read as plain values, not a Comment with its author and contact
    models: building those for 60 messages cost more than the rest of the conversation."""

    pk: int
    parent_id: int | None
    depth: int
    author_id: int | None
    author_label: str  # what Comment.author_label says
    is_internal: bool
    body: str
    created_at: datetime
    email_text: str | None  # the whole text of the email it came from, before quoted-reply trimming
    attachments: list[dict]  # {"pk", "file_name", "size"} in upload order


@dataclass(frozen=True)
class Conversation:
    """What the ticket page draws of the conversation: the visible part of the thread, in thread order, and how many
    messages come before it."""

    thread: list[ThreadMessage]
    earlier_count: int


def ticket_thread_order(rows: Iterable[tuple[int, int | None]]) -> list[tuple[int, int]]:
    """(pk, parent_id) in creation order -> (pk, depth) in thread order: each top-level message followed by its
    replies (any depth) under it. A reply whose parent is not in `rows` starts a thread of its own."""
    rows = list(rows)
    known = {pk for pk, _ in rows}
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in rows:
        children.setdefault(parent_id if parent_id in known else None, []).append(pk)
    order: list[tuple[int, int]] = []
    stack = [(pk, 0) for pk in reversed(children.get(None, []))]
    while stack:  # depth first, without recursion: a chain of hundreds of replies is fine
        pk, depth = stack.pop()
        order.append((pk, min(depth, THREAD_MAX_DEPTH)))
        stack.extend((child, depth + 1) for child in reversed(children.get(pk, [])))
    return order


_MESSAGE_COLUMNS = ("pk", "parent_id", "author_id", "author__first_name", "author__last_name", "author__email",
                    "author_contact_id", "author_contact__first_name", "author_contact__last_name", "author_email",
                    "is_internal", "body", "created_at", "inbound_message__full_text", "attachment_list")


def ticket_conversation(*, ticket: Ticket, latest: int | None = None) -> Conversation:
    """The comments as a thread, limited to the `latest` messages in thread order (all of them when None).

    Two queries whatever the length: the thread order from (pk, parent) of every comment, then the visible messages
    only, with their authors' names, the text of the email they came from and their attachments (a JSON array in the
    same row). A 200-message ticket used to load and build all 200 comments with their authors to draw 60."""
    order = ticket_thread_order(
        Comment.objects.filter(ticket=ticket).order_by("created_at", "id").values_list("pk", "parent_id"))
    earlier = max(0, len(order) - latest) if latest is not None else 0
    visible = order[earlier:]
    if not visible:
        return Conversation(thread=[], earlier_count=earlier)
    attachments = (Attachment.objects.filter(comment=OuterRef("pk")).order_by("created_at", "id")
                   .values(data=JSONObject(pk="pk", file_name="file_name", size="size")))
    rows = Comment.objects.filter(ticket=ticket).order_by()
    if earlier:  # only the window; when everything shows, no list of ids (thousands with ?all=1)
        rows = rows.filter(pk__in=[pk for pk, _ in visible])
    rows = rows.annotate(attachment_list=ArraySubquery(attachments)).values_list(*_MESSAGE_COLUMNS)
    labels: dict[tuple, str] = {}
    messages = {}
    for (pk, parent_id, author_id, first_name, last_name, email, contact_id, contact_first_name, contact_last_name,
         author_email, is_internal, body, created_at, email_text, attachment_list) in rows:
        if author_id:
            key = ("user", author_id)
            if key not in labels:  # the model's own __str__, once per author
                labels[key] = str(User(pk=author_id, first_name=first_name, last_name=last_name, email=email))
        elif contact_id:
            key = ("contact", contact_id)
            if key not in labels:
                labels[key] = str(Contact(pk=contact_id, first_name=contact_first_name, last_name=contact_last_name))
        else:
            key = ("email", author_email)
            labels.setdefault(key, author_email or str(_("Customer")))  # as Comment.author_label
        messages[pk] = (parent_id, author_id, labels[key], is_internal, body, created_at, email_text, attachment_list)
    thread = [ThreadMessage(pk, messages[pk][0], depth, *messages[pk][1:]) for pk, depth in visible
              if pk in messages]  # one deleted in between is left out
    return Conversation(thread=thread, earlier_count=earlier)
