"""Every write to a support contract. Each is an event on the customer's timeline, in the same transaction.

Renewal creates the next term as a new contract (`renewed_from` links it to the old one) starting the day after the
old end date; the old contract stays as history and expires at its own end date. The daily job
(`contracts_renewal_sweep`) sends the 90/60/30-day reminders, marks contracts pending renewal, renews the auto-renew
ones at their end date and expires the rest. `today` can be passed everywhere so tests move the clock.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.events import event_record
from crm.services.customers import customer_ensure_live
from helpdesk.errors import ContractError
from helpdesk.models import ContractReminder, ContractStatus, SupportContract
from helpdesk.models.contract import LIVE_STATUSES

EDITABLE_FIELDS = ("name", "type", "start_date", "end_date", "term_months", "renewal_date", "auto_renew",
                   "monthly_value", "annual_value", "sla_policy", "hours_included", "hours_period", "owner", "notes")
REMINDER_DAYS = (90, 60, 30)
PENNY = Decimal("0.01")


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def contract_term_end(*, start_date: date, term_months: int) -> date:
    """A 12-month term from 1 Jan ends on 31 Dec (end dates are inclusive)."""
    return add_months(start_date, term_months) - timedelta(days=1)


def contract_values(*, monthly_value: Decimal | None, annual_value: Decimal | None) -> tuple[Decimal, Decimal]:
    """Fill in the missing value: annual = monthly x 12; monthly = annual / 12, rounded half up to the penny.
    Both given: kept as given (an annual price may carry a discount)."""
    if monthly_value is None and annual_value is None:
        raise ContractError(_("Give the monthly or the annual value."))
    if monthly_value is None:
        monthly_value = (Decimal(annual_value) / 12).quantize(PENNY, rounding=ROUND_HALF_UP)
    if annual_value is None:
        annual_value = (Decimal(monthly_value) * 12).quantize(PENNY, rounding=ROUND_HALF_UP)
    monthly_value, annual_value = Decimal(monthly_value), Decimal(annual_value)
    if monthly_value < 0 or annual_value < 0:
        raise ContractError(_("Values cannot be negative."))
    return monthly_value, annual_value


def _check(contract: SupportContract) -> None:
    if contract.end_date <= contract.start_date:
        raise ContractError(_("The end date must be after the start date."))
    if contract.hours_included < 0:
        raise ContractError(_("Hours included cannot be negative."))


def contract_record(*, contract: SupportContract, kind: str, acting_user, **data) -> None:
    event_record(kind=kind, actor=acting_user, subject=contract, customer_id=contract.customer_id,
                 data={"name": contract.name, **data})


def _tenant_currency() -> str:
    return getattr(getattr(connection, "tenant", None), "currency", None) or "GBP"


@transaction.atomic
def contract_create(*, customer, acting_user, name: str, start_date: date, term_months: int = 12,
                    end_date: date | None = None, renewal_date: date | None = None, type: str = "managed_service",
                    monthly_value: Decimal | None = None, annual_value: Decimal | None = None,
                    auto_renew: bool = False, sla_policy=None, hours_included: Decimal = Decimal("0"),
                    hours_period: str = "none", owner=None, notes: str = "", activate: bool = False,
                    today: date | None = None) -> SupportContract:
    """A draft contract (or an active one with `activate`). End date defaults to the end of the term, the renewal
    date to the end date. Currency is the tenant's, frozen on the contract."""
    customer_ensure_live(customer)
    monthly_value, annual_value = contract_values(monthly_value=monthly_value, annual_value=annual_value)
    end_date = end_date or contract_term_end(start_date=start_date, term_months=term_months)
    contract = SupportContract(
        customer=customer, name=name.strip(), type=type, start_date=start_date, end_date=end_date,
        term_months=term_months, renewal_date=renewal_date or end_date, auto_renew=auto_renew,
        monthly_value=monthly_value, annual_value=annual_value, currency=_tenant_currency(), sla_policy=sla_policy,
        hours_included=hours_included or Decimal("0"), hours_period=hours_period,
        owner=owner or (acting_user if getattr(acting_user, "is_authenticated", False) else None), notes=notes)
    _check(contract)
    contract.full_clean(exclude=["renewed_from"])
    contract.save()
    contract_record(contract=contract, kind="helpdesk.contract_created", acting_user=acting_user,
                    type=str(contract.get_type_display()), start=start_date.isoformat(), end=end_date.isoformat())
    if activate:
        contract_activate(contract=contract, acting_user=acting_user, today=today)
    return contract


@transaction.atomic
def contract_update(*, contract: SupportContract, acting_user, changes: dict) -> SupportContract:
    """Save edited fields. Giving only one of the two values re-derives the other."""
    if contract.status in (ContractStatus.EXPIRED, ContractStatus.CANCELLED):
        raise ContractError(_("An expired or cancelled contract cannot change; renew it instead."))
    changes = dict(changes)
    monthly_changed = "monthly_value" in changes and changes["monthly_value"] != contract.monthly_value
    annual_changed = "annual_value" in changes and changes["annual_value"] != contract.annual_value
    if monthly_changed and not annual_changed:
        changes["annual_value"] = contract_values(monthly_value=changes["monthly_value"], annual_value=None)[1]
    elif annual_changed and not monthly_changed:
        changes["monthly_value"] = contract_values(monthly_value=None, annual_value=changes["annual_value"])[0]
    changed = [field for field in EDITABLE_FIELDS if field in changes and getattr(contract, field) != changes[field]]
    if not changed:
        return contract
    for field in changed:
        setattr(contract, field, changes[field])
    _check(contract)
    contract.full_clean(exclude=["renewed_from"])
    contract.save()
    contract_record(contract=contract, kind="helpdesk.contract_changed", acting_user=acting_user,
                    fields=[str(SupportContract._meta.get_field(field).verbose_name) for field in changed])
    if "sla_policy" in changed:
        _tickets_sla_refresh(contract=contract, reason=_("The contract's SLA policy changed"))
    return contract


def _tickets_sla_refresh(*, contract: SupportContract, reason: str) -> None:
    """Open tickets under the contract follow its SLA policy: recompute their deadlines (and say why)."""
    from helpdesk.models.ticket import OPEN_STATUSES
    from helpdesk.services.sla import ticket_sla_refresh

    for ticket in contract.customer.tickets.filter(status__in=OPEN_STATUSES):
        ticket_sla_refresh(ticket=ticket, acting_user=None, reason=reason)


@transaction.atomic
def contract_activate(*, contract: SupportContract, acting_user, today: date | None = None) -> SupportContract:
    today = today or timezone.localdate()
    if contract.status != ContractStatus.DRAFT:
        raise ContractError(_("Only a draft contract can be activated."))
    if contract.end_date < today:
        raise ContractError(_("This contract has already ended."))
    contract.status = ContractStatus.ACTIVE
    contract.save(update_fields=["status", "updated_at"])
    contract_record(contract=contract, kind="helpdesk.contract_activated", acting_user=acting_user)
    if contract.sla_policy_id:
        _tickets_sla_refresh(contract=contract, reason=_("Contract %(name)s is active") % {"name": contract.name})
    return contract


@transaction.atomic
def contract_cancel(*, contract: SupportContract, acting_user, reason: str) -> SupportContract:
    if contract.status in (ContractStatus.EXPIRED, ContractStatus.CANCELLED):
        raise ContractError(_("This contract has already ended."))
    reason = (reason or "").strip()
    if not reason:
        raise ContractError(_("Say why the contract is cancelled."))
    was_live = contract.is_live
    contract.status, contract.cancel_reason = ContractStatus.CANCELLED, reason[:300]
    contract.save(update_fields=["status", "cancel_reason", "updated_at"])
    contract_record(contract=contract, kind="helpdesk.contract_cancelled", acting_user=acting_user, reason=reason)
    if was_live and contract.sla_policy_id:
        _tickets_sla_refresh(contract=contract, reason=_("Contract %(name)s was cancelled") % {"name": contract.name})
    return contract


@transaction.atomic
def contract_renew(*, contract: SupportContract, acting_user, term_months: int | None = None,
                   monthly_value: Decimal | None = None, annual_value: Decimal | None = None,
                   today: date | None = None) -> SupportContract:
    """The next term as a new active contract, from the day after the old end date; same values unless new ones are
    given. The old contract stays live until its end date (then the daily job expires it) and links to the new one."""
    if contract.status not in (*LIVE_STATUSES, ContractStatus.EXPIRED):
        raise ContractError(_("Only an active, pending or expired contract can be renewed."))
    if SupportContract.objects.filter(renewed_from=contract).exists():
        raise ContractError(_("This contract has already been renewed."))
    term_months = term_months or contract.term_months
    if monthly_value is None and annual_value is None:
        monthly_value, annual_value = contract.monthly_value, contract.annual_value
    monthly_value, annual_value = contract_values(monthly_value=monthly_value, annual_value=annual_value)
    start = contract.end_date + timedelta(days=1)
    end = contract_term_end(start_date=start, term_months=term_months)
    successor = SupportContract.objects.create(
        customer=contract.customer, name=contract.name, type=contract.type, status=ContractStatus.ACTIVE,
        start_date=start, end_date=end, term_months=term_months, renewal_date=end, auto_renew=contract.auto_renew,
        monthly_value=monthly_value, annual_value=annual_value, currency=contract.currency,
        sla_policy=contract.sla_policy, hours_included=contract.hours_included, hours_period=contract.hours_period,
        owner=contract.owner, notes=contract.notes, renewed_from=contract)
    if contract.status == ContractStatus.PENDING_RENEWAL:
        contract.status = ContractStatus.ACTIVE  # renewal agreed: nothing pending any more
        contract.save(update_fields=["status", "updated_at"])
    contract_record(contract=successor, kind="helpdesk.contract_renewed", acting_user=acting_user,
                    start=start.isoformat(), end=end.isoformat(), monthly_value=str(monthly_value),
                    currency=successor.currency)
    return successor


@transaction.atomic
def contract_expire(*, contract: SupportContract, acting_user=None) -> SupportContract:
    if contract.status not in LIVE_STATUSES:
        raise ContractError(_("Only an active contract can expire."))
    contract.status = ContractStatus.EXPIRED
    contract.save(update_fields=["status", "updated_at"])
    successor = SupportContract.objects.filter(renewed_from=contract).first()
    moved = 0
    if successor is not None:  # open tickets carry on under the new term (their new time draws down its hours)
        from helpdesk.models.ticket import OPEN_STATUSES

        moved = contract.tickets.filter(status__in=OPEN_STATUSES).update(contract=successor)
    contract_record(contract=contract, kind="helpdesk.contract_expired", acting_user=acting_user,
                    end=contract.end_date.isoformat(), renewed=successor is not None, tickets_moved=moved)
    return contract


@transaction.atomic
def contract_mark_pending_renewal(*, contract: SupportContract) -> SupportContract:
    contract.status = ContractStatus.PENDING_RENEWAL
    contract.save(update_fields=["status", "updated_at"])
    contract_record(contract=contract, kind="helpdesk.contract_pending_renewal", acting_user=None,
                    renewal=contract.renewal_date.isoformat())
    return contract


@transaction.atomic
def contract_remind(*, contract: SupportContract, days_before: int, today: date) -> ContractReminder:
    """A follow-up task for the owner (the customer's owner when the contract has none) and an email."""
    from django.urls import reverse

    from core.email import email_send
    from crm.models import ActivityKind
    from crm.services.activities import activity_log

    owner = contract.owner or contract.customer.owner
    activity = None
    subject = _("Renewal of %(name)s (%(customer)s) due %(when)s") % {
        "name": contract.name, "customer": contract.customer.name, "when": contract.renewal_date.strftime("%-d %b %Y")}
    if owner is not None and not contract.customer.is_archived:
        activity = activity_log(customer=contract.customer, acting_user=None, owner=owner, fields={
            "kind": ActivityKind.TASK, "subject": subject[:200], "follow_up_on": today,
            "notes": _("%(days)d days to the renewal date.") % {"days": days_before}})
        if owner.email:
            email_send(to=owner.email, subject=subject, template="helpdesk/email/contract_renewal",
                       context={"contract": contract, "days": days_before, "owner": owner,
                                "path": f"https://{connection.schema_name}.{settings.BASE_DOMAIN}"
                                        f"{reverse('helpdesk:contract_detail', args=[contract.pk])}"},
                       topic=f"contract:{contract.pk}")
    reminder = ContractReminder.objects.create(contract=contract, days_before=days_before,
                                               renewal_date=contract.renewal_date, activity=activity)
    contract_record(contract=contract, kind="helpdesk.contract_renewal_reminder", acting_user=None, days=days_before,
                    renewal=contract.renewal_date.isoformat())
    return reminder


def contracts_renewal_sweep(*, today: date | None = None) -> dict[str, int]:
    """The daily job, in the current tenant. Each contract in its own transaction: one failure never stops the rest.

    - Reminders: when the tightest threshold (90, 60, 30 days) that the renewal date is now within has no reminder
      yet, send one. A contract created 45 days before renewal gets the 60-day reminder and then the 30-day one,
      never a late 90-day one; a job that missed days catches up with one reminder, not three.
    - At 90 days a live contract becomes pending renewal (unless it was already renewed).
    - Past its end date a live contract expires; an auto-renew contract not yet renewed renews first.
    """
    today = today or timezone.localdate()
    counts = {"reminders": 0, "pending": 0, "renewed": 0, "expired": 0}
    live = (SupportContract.objects.filter(status__in=LIVE_STATUSES)
            .select_related("customer", "owner", "customer__owner").order_by("id"))
    for contract in live:
        with transaction.atomic():
            already_renewed = SupportContract.objects.filter(renewed_from=contract).exists()
            if contract.end_date < today:
                if not already_renewed and contract.auto_renew:
                    contract_renew(contract=contract, acting_user=None, today=today)
                    counts["renewed"] += 1
                contract_expire(contract=contract)
                counts["expired"] += 1
                continue
            if already_renewed:
                continue
            days_left = (contract.renewal_date - today).days
            if days_left < 0:
                continue
            if days_left <= REMINDER_DAYS[0] and contract.status == ContractStatus.ACTIVE:
                contract_mark_pending_renewal(contract=contract)
                counts["pending"] += 1
            crossed = [days for days in REMINDER_DAYS if days_left <= days]
            if crossed:
                tightest = min(crossed)
                if not ContractReminder.objects.filter(contract=contract, renewal_date=contract.renewal_date,
                                                       days_before=tightest).exists():
                    contract_remind(contract=contract, days_before=tightest, today=today)
                    counts["reminders"] += 1
    return counts
