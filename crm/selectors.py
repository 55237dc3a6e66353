"""Reads of customers, always inside the current tenant's schema; ids the user supplies go through access helpers."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef, Q, QuerySet, Value
from django.db.models.functions import Concat
from django.http import Http404

from core.models import Event
from crm.models import Customer
from crm.normalise import normalise_company_name, normalise_registration_number, website_domain

SORTS = {
    "name": ("normalised_name", "id"), "-name": ("-normalised_name", "-id"),
    "status": ("status", "normalised_name"), "-status": ("-status", "normalised_name"),
    "owner": ("owner__first_name", "owner__last_name", "normalised_name"),
    "-owner": ("-owner__first_name", "-owner__last_name", "normalised_name"),
    "score": ("lead_score", "normalised_name"), "-score": ("-lead_score", "normalised_name"),
    "updated": ("updated_at", "id"), "-updated": ("-updated_at", "-id"),
}
DEFAULT_SORT = "name"


@dataclass(frozen=True)
class CustomerFilters:
    search: str = ""
    status: str = ""
    sector: int | None = None
    owner: int | None = None
    competitor: bool | None = None
    tag: int | None = None
    archived: bool = False
    sort: str = DEFAULT_SORT


def customer_list(*, filters: CustomerFilters) -> QuerySet[Customer]:
    customers = Customer.objects.select_related("owner", "sector").prefetch_related("tags")
    customers = customers.filter(archived_at__isnull=not filters.archived)
    if filters.search:
        term = filters.search.strip()
        from crm.models import Contact, ContactEmail, ContactPhone

        # The ids of the matching customers as one UNION: each arm is a bitmap scan on a trigram index (migration
        # 0007), so a search costs the matches it finds, not a pass over every customer with nine LIKEs per row.
        direct = Customer.objects.filter(
            Q(name__icontains=term) | Q(normalised_name__contains=normalise_company_name(term) or term.lower())
            | Q(email__icontains=term) | Q(phone__icontains=term) | Q(website__icontains=term)
            | Q(registration_number__icontains=term)
        ).order_by().values("pk")
        people = Contact.objects.annotate(full=Concat("first_name", Value(" "), "last_name")).filter(
            full__icontains=term).order_by().values("customer_id")
        emails = ContactEmail.objects.filter(address__icontains=term).order_by().values("contact__customer_id")
        phones = ContactPhone.objects.filter(number__icontains=term).order_by().values("contact__customer_id")
        customers = customers.filter(pk__in=direct.union(people, emails, phones))
    if filters.status:
        customers = customers.filter(status=filters.status)
    if filters.sector:
        customers = customers.filter(sector_id=filters.sector)
    if filters.owner:
        customers = customers.filter(owner_id=filters.owner)
    if filters.competitor is not None:
        customers = customers.filter(is_competitor=filters.competitor)
    if filters.tag:
        customers = customers.filter(tags__id=filters.tag)
    return customers.order_by(*SORTS.get(filters.sort, SORTS[DEFAULT_SORT]))


# What the list page shows of a customer: it reads only these columns, and its tags' names as an array.
CUSTOMER_TABLE_FIELDS = ("name", "status", "is_competitor", "lead_score", "updated_at", "sector__name",
                         "owner__first_name", "owner__last_name", "owner__email")


def customer_table(*, filters: CustomerFilters) -> QuerySet[Customer]:
    """`customer_list` for the list page: the shown columns only, and each customer's tag names (in name order)
    as `tag_names`, read in the same query: a tag prefetch was one more query and 25 managers and Tag instances
    per page, which cost more CPU than the rest of the list's query."""
    tag_names = ArraySubquery(Customer.tags.through.objects.filter(customer_id=OuterRef("pk"))
                              .order_by("tag__name").values("tag__name"))
    return (customer_list(filters=filters).prefetch_related(None).only(*CUSTOMER_TABLE_FIELDS)
            .annotate(tag_names=tag_names))


def owner_candidates() -> QuerySet:
    from django.contrib.auth.models import Permission

    from accounts.models import User

    permission = Permission.objects.filter(content_type__app_label="crm", codename="change_customers")
    return (User.objects.filter(is_active=True, groups__permissions__in=permission)
            .distinct().order_by("first_name", "last_name", "email"))


def customer_get_for_user(*, user, pk, include_archived: bool = True, related: bool = True) -> Customer:
    """The same 404 for "does not exist" and "not yours": only the current tenant's schema is searched.
    `related=False` leaves out the owner, sector and tags (for a fragment that shows none of them)."""
    try:
        customers = Customer.objects.select_related("owner", "sector").prefetch_related("tags") if related else (
            Customer.objects.all())
        if not include_archived:
            customers = customers.filter(archived_at__isnull=True)
        return customers.get(pk=int(pk))
    except (Customer.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@dataclass(frozen=True)
class PossibleDuplicate:
    customer: Customer
    reasons: tuple[str, ...]


def customer_duplicates(*, name: str, website: str = "", registration_number: str = "",
                        exclude_pk: int | None = None) -> list[PossibleDuplicate]:
    """Customers (archived included) that look like the same company: same normalised name, website domain or
    registration number. The caller warns and lets the user go on."""
    normalised = normalise_company_name(name)
    domain = website_domain(website)
    registration = normalise_registration_number(registration_number)
    condition = Q(normalised_name=normalised) if normalised else Q(pk__in=[])
    if domain:
        condition |= Q(website_domain=domain)
    if registration:
        condition |= Q(normalised_registration=registration)
    candidates = Customer.objects.filter(condition)
    if exclude_pk:
        candidates = candidates.exclude(pk=exclude_pk)
    found = []
    for customer in candidates.order_by("name")[:10]:
        reasons = []
        if normalised and customer.normalised_name == normalised:
            reasons.append("name")
        if domain and customer.website_domain == domain:
            reasons.append("website")
        if registration and customer.normalised_registration == registration:
            reasons.append("registration number")
        found.append(PossibleDuplicate(customer=customer, reasons=tuple(reasons)))
    return found


TIMELINE_PAGE = 25


def customer_timeline(*, customer: Customer, kind: str = "", before_id: int | None = None) -> list[Event]:
    """Newest first, keyset-paginated by (created_at, id) so a page costs the same at any depth."""
    events = Event.objects.filter(customer_id=customer.pk).select_related("actor").order_by("-created_at", "-id")
    if kind:
        events = events.filter(kind__startswith=kind)
    if before_id:
        anchor = Event.objects.filter(customer_id=customer.pk, pk=before_id).values("created_at", "id").first()
        if anchor:
            events = events.filter(Q(created_at__lt=anchor["created_at"])
                                   | Q(created_at=anchor["created_at"], id__lt=anchor["id"]))
    return list(events[: TIMELINE_PAGE + 1])


def object_get_or_404(queryset, pk):
    """The access helper for objects reached through a scope (a customer's contacts, the tenant's activities):
    the same 404 for a missing id, a malformed one, or one outside the scope."""
    try:
        return queryset.get(pk=int(pk))
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def customer_pick(*, search: str, limit: int = 20):
    """Live customers whose name contains `search`: the "which customer?" step of new tickets and quotes."""
    search = search.strip()
    if not search:
        return []
    return list(Customer.objects.filter(name__icontains=search, archived_at__isnull=True).order_by("name")[:limit])
