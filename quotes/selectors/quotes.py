"""Reads of quote documents for the pages and the API: the filtered list with its totals, the owner menu, and access
helpers that look ids up inside what the user may see (the tenant's schema) and answer the same 404 for "missing"
and "not yours"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.http import Http404

from crm.models import Customer
from quotes.models import Quote, QuoteLine, QuoteRevision, QuoteStatus
from quotes.models.quote import ApprovalState

AWAITING_APPROVAL = "approval"
CUSTOMER_IDS_INLINE = 200


@dataclass(frozen=True)
class QuoteFilters:
    search: str = ""  # a number (Q-2026-00042 or 2026-42), or words of the title or of the customer's name
    status: str = ""  # a QuoteStatus, or AWAITING_APPROVAL (drafts a manager must approve)
    owner: int | None = None
    customer: int | None = None
    created_from: date | None = None
    created_to: date | None = None


def quote_list(*, filters: QuoteFilters) -> QuerySet[Quote]:
    quotes = Quote.objects.select_related("customer", "owner")
    search = filters.search.strip()
    if search:
        parts = search.upper().removeprefix("Q-").split("-")
        if len(parts) == 2 and all(part.isdigit() for part in parts):
            quotes = quotes.filter(year=int(parts[0]), number=int(parts[1]))
        else:
            quotes = _quote_search(quotes, search.split()[:8])
    if filters.status in QuoteStatus.values:
        quotes = quotes.filter(status=filters.status)
    elif filters.status == AWAITING_APPROVAL:
        quotes = quotes.filter(status=QuoteStatus.DRAFT, approval=ApprovalState.PENDING)
    if filters.owner:
        quotes = quotes.filter(owner_id=filters.owner)
    if filters.customer:
        quotes = quotes.filter(customer_id=filters.customer)
    if filters.created_from:
        quotes = quotes.filter(created_at__date__gte=filters.created_from)
    if filters.created_to:
        quotes = quotes.filter(created_at__date__lte=filters.created_to)
    return quotes.order_by("-created_at", "-id")


def _quote_search(quotes: QuerySet[Quote], words: list[str]) -> QuerySet[Quote]:
    """Every word in the title, or every word in the customer's name: both through trigram indexes (the customers
    are found first, so common words such as "Ltd" never make the planner scan every quote). Only when that finds
    nothing are the words matched across both ("acme cabling": the customer Acme, a title with "cabling"), which
    costs a pass over the quotes."""
    customers, title = Customer.objects.all(), Q()
    for word in words:
        customers = customers.filter(name__icontains=word)
        title &= Q(title__icontains=word)
    # a handful of customers is passed as ids, so the planner can use the quotes' customer index with the title's
    customer_ids = list(customers.values_list("pk", flat=True)[:CUSTOMER_IDS_INLINE + 1])
    by_customer = customer_ids if len(customer_ids) <= CUSTOMER_IDS_INLINE else customers.values("pk")
    found = quotes.filter(title | Q(customer_id__in=by_customer))
    if len(words) == 1 or customer_ids or quotes.filter(title).exists():
        return found
    for word in words:
        quotes = quotes.filter(Q(title__icontains=word)
                               | Q(customer_id__in=Customer.objects.filter(name__icontains=word).values("pk")))
    return quotes


def quote_list_totals(quotes: QuerySet[Quote]) -> list[dict]:
    """The sums of the filtered quotes, one row per currency (money in different currencies is never added)."""
    rows = (quotes.order_by().values("currency")
            .annotate(count=Count("id"), net_total=Sum("net_total"), tax_total=Sum("tax_total"),
                      grand_total=Sum("grand_total"), monthly_total=Sum("monthly_total"),
                      annual_total=Sum("annual_total"))
            .order_by("currency"))
    return list(rows)


def quote_get_for_user(*, user, pk) -> Quote:
    try:
        return Quote.objects.select_related("customer", "contact", "site", "owner").get(pk=int(pk))
    except (Quote.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def quote_line_get(*, quote: Quote, pk) -> QuoteLine:
    try:
        line = quote.lines.get(pk=int(pk))
    except (QuoteLine.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    line.quote = quote  # the services read the quote's state from here: no second query
    return line


def quote_lines(*, quote: Quote) -> list[QuoteLine]:
    return list(quote.lines.order_by("position", "id"))


def quote_revision_get(*, quote: Quote, number) -> QuoteRevision:
    try:
        return quote.revisions.select_related("sent_by").get(number=int(number))
    except (QuoteRevision.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def quote_owner_choices() -> list[tuple[int, str]]:
    """(pk, name) of the people a quote list can be filtered by: active users who may write quotes, and anyone who
    owns one. Not every user: a large team of read-only colleagues would make the menu (and the page) heavy."""
    user_model = get_user_model()
    can_write = Permission.objects.filter(content_type__app_label="quotes", codename="change_quotes")
    users = (user_model.objects.filter(Q(is_active=True, groups__permissions__in=can_write)
                                       | Q(Exists(Quote.objects.filter(owner=OuterRef("pk")))))
             .distinct().order_by("first_name", "last_name", "email").values_list("pk", "first_name", "last_name",
                                                                                   "email"))
    return [(pk, f"{first} {last}".strip() or email) for pk, first, last, email in users]
