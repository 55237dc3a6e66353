"""Reads of support contracts: lookups inside what the user may see, the hours drawdown and MRR/ARR (both in SQL)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from helpdesk.models import HoursPeriod, SupportContract, TimeEntry
from helpdesk.permissions import VIEW_CONTRACTS

SORTS = {
    "renewal": ("renewal_date", "id"), "-renewal": ("-renewal_date", "-id"), "name": ("name", "id"),
    "customer": ("customer__name", "name", "id"), "-value": ("-monthly_value", "id"), "value": ("monthly_value", "id"),
    "end": ("end_date", "id"), "status": ("status", "renewal_date", "id"),
}
MINUTES_PER_HOUR = Decimal(60)


def contract_get_for_user(*, user, pk) -> SupportContract:
    """The same 404 for a contract that does not exist and one the user may not see."""
    contract = (SupportContract.objects.select_related("customer", "owner", "sla_policy", "renewed_from")
                .filter(pk=pk).first())
    if contract is None or not user.has_perm(VIEW_CONTRACTS):
        raise Http404
    return contract


@dataclass(frozen=True)
class ContractFilters:
    status: str = ""
    type: str = ""
    renewing_within: int | None = None
    customer: int | None = None
    search: str = ""
    sort: str = "renewal"


def contract_list(*, filters: ContractFilters, today: date | None = None) -> QuerySet[SupportContract]:
    today = today or timezone.localdate()
    contracts = SupportContract.objects.select_related("customer", "owner")
    if filters.status:
        contracts = contracts.filter(status=filters.status)
    if filters.type:
        contracts = contracts.filter(type=filters.type)
    if filters.renewing_within is not None:
        contracts = contracts.filter(renewal_date__gte=today,
                                     renewal_date__lte=today + timedelta(days=filters.renewing_within),
                                     renewed_by__isnull=True)
    if filters.customer:
        contracts = contracts.filter(customer_id=filters.customer)
    if filters.search:
        contracts = contracts.filter(Q(name__icontains=filters.search) | Q(customer__name__icontains=filters.search))
    return contracts.order_by(*SORTS.get(filters.sort, SORTS["renewal"]))


def contract_in_force_for_customer(*, customer_id: int, today: date | None = None) -> SupportContract | None:
    """The customer's contract in force today; with several, the one that ends last."""
    return (SupportContract.objects.in_force(today).filter(customer_id=customer_id)
            .select_related("sla_policy").order_by("-end_date", "-id").first())


def contract_period(*, contract: SupportContract, today: date | None = None) -> tuple[date, date] | None:
    """The period whose hours count now: the calendar month, or the contract year (from the start date's
    anniversary), clipped to the contract's dates. None when the contract includes no hours."""
    from helpdesk.services.contracts import add_months

    today = today or timezone.localdate()
    today = min(max(today, contract.start_date), contract.end_date)
    if contract.hours_period == HoursPeriod.MONTH:
        first = today.replace(day=1)
        last = add_months(first, 1) - timedelta(days=1)
    elif contract.hours_period == HoursPeriod.YEAR:
        years = 0
        while add_months(contract.start_date, 12 * (years + 1)) <= today:
            years += 1
        first = add_months(contract.start_date, 12 * years)
        last = add_months(contract.start_date, 12 * (years + 1)) - timedelta(days=1)
    else:
        return None
    return max(first, contract.start_date), min(last, contract.end_date)


@dataclass(frozen=True)
class Drawdown:
    period_start: date
    period_end: date
    included_minutes: int
    used_minutes: int
    entries: int

    @property
    def remaining_minutes(self) -> int:
        return max(self.included_minutes - self.used_minutes, 0)

    @property
    def overage_minutes(self) -> int:
        return max(self.used_minutes - self.included_minutes, 0)

    @staticmethod
    def hours(minutes: int) -> Decimal:
        return (Decimal(minutes) / MINUTES_PER_HOUR).quantize(Decimal("0.01"))

    @property
    def used_hours(self) -> Decimal:
        return self.hours(self.used_minutes)

    @property
    def remaining_hours(self) -> Decimal:
        return self.hours(self.remaining_minutes)

    @property
    def overage_hours(self) -> Decimal:
        return self.hours(self.overage_minutes)

    @property
    def included_hours(self) -> Decimal:
        return self.hours(self.included_minutes)

    @property
    def used_percent(self) -> int:
        return min(round(self.used_minutes * 100 / self.included_minutes), 100) if self.included_minutes else 100


def contract_drawdown(*, contract: SupportContract, today: date | None = None) -> Drawdown | None:
    """Billable minutes logged (by `spent_on`) in the current period on tickets linked to the contract: one aggregate
    query. Non-billable time never counts."""
    period = contract_period(contract=contract, today=today)
    if period is None:
        return None
    totals = TimeEntry.objects.filter(ticket__contract=contract, billable=True, spent_on__gte=period[0],
                                      spent_on__lte=period[1]).aggregate(minutes=Sum("minutes"), entries=Count("id"))
    return Drawdown(period_start=period[0], period_end=period[1],
                    included_minutes=int(contract.hours_included * MINUTES_PER_HOUR),
                    used_minutes=totals["minutes"] or 0, entries=totals["entries"])


@dataclass(frozen=True)
class RecurringRevenue:
    currency: str
    mrr: Decimal
    arr: Decimal
    contracts: int


def contract_recurring_revenue(*, today: date | None = None) -> list[RecurringRevenue]:
    """MRR (sum of monthly values) and ARR (sum of annual values) of the contracts in force today, per currency
    (normally one: the tenant's). One query."""
    rows = (SupportContract.objects.in_force(today).values("currency")
            .annotate(mrr=Sum("monthly_value"), arr=Sum("annual_value"), contracts=Count("id")).order_by("currency"))
    return [RecurringRevenue(currency=row["currency"], mrr=row["mrr"], arr=row["arr"], contracts=row["contracts"])
            for row in rows]
