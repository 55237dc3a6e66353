"""Support contracts: services, the SLA policy they bring, hours drawdown, MRR/ARR and the renewal job with the
clock moved (the job takes `today=`)."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

import pytest

from core.models import Event, OutboundEmail
from crm.models import Activity
from crm.tests.factories import CustomerFactory
from helpdesk.errors import ContractError
from helpdesk.models import ContractReminder, ContractStatus, SlaPolicy, SupportContract, Ticket
from helpdesk.selectors_contracts import contract_drawdown, contract_recurring_revenue
from helpdesk.services import contracts as services
from helpdesk.services.conversation import time_entry_add
from helpdesk.services.sla import policy_for
from helpdesk.tests.factories import make_contract, make_ticket


def kinds(contract):
    return list(Event.objects.filter(subject_id=str(contract.pk), kind__startswith="helpdesk.contract")
                .order_by("id").values_list("kind", flat=True))


# Create, values, constraints -------------------------------------------------------------------------------------

def test_creating_derives_the_annual_value_the_end_and_renewal_dates_and_takes_the_tenant_currency(admin_user):
    # given a customer
    customer = CustomerFactory(name="Harbour Dental")
    # when a 12-month contract starting 1 March 2026 is created at 250.00 a month
    contract = services.contract_create(customer=customer, acting_user=admin_user, name="Managed desktops",
                                        start_date=date(2026, 3, 1), monthly_value=Decimal("250.00"))
    # then
    assert (contract.status, contract.annual_value, contract.end_date, contract.renewal_date, contract.currency,
            contract.owner) == (ContractStatus.DRAFT, Decimal("3000.00"), date(2027, 2, 28), date(2027, 2, 28),
                                "GBP", admin_user)
    event = Event.objects.get(kind="helpdesk.contract_created")
    assert (event.customer_id, event.data["start"], event.data["end"]) == (customer.pk, "2026-03-01", "2027-02-28")


def test_an_annual_value_alone_gives_the_monthly_value_rounded_half_up_and_both_given_are_kept(admin_user):
    assert services.contract_values(monthly_value=None, annual_value=Decimal("1000.00")) == (
        Decimal("83.33"), Decimal("1000.00"))
    assert services.contract_values(monthly_value=None, annual_value=Decimal("100.02")) == (
        Decimal("8.34"), Decimal("100.02"))  # 8.335 rounds up
    assert services.contract_values(monthly_value=Decimal("100"), annual_value=Decimal("1100")) == (
        Decimal("100"), Decimal("1100"))
    with pytest.raises(ContractError):
        services.contract_values(monthly_value=None, annual_value=None)


def test_updating_one_value_rederives_the_other(admin_user):
    contract = make_contract(acting_user=admin_user)
    services.contract_update(contract=contract, acting_user=admin_user, changes={"annual_value": Decimal("7200.00"),
                                                                               "monthly_value": Decimal("500.00")})
    contract.refresh_from_db()
    assert (contract.monthly_value, contract.annual_value) == (Decimal("600.00"), Decimal("7200.00"))
    assert Event.objects.filter(kind="helpdesk.contract_changed").get().data["fields"] == ["monthly value",
                                                                                          "annual value"]


def test_the_database_refuses_an_end_before_the_start_and_negative_values(admin_user):
    from django.db import IntegrityError, transaction

    contract = make_contract(acting_user=admin_user)
    with pytest.raises(IntegrityError), transaction.atomic():
        SupportContract.objects.filter(pk=contract.pk).update(end_date=date(2025, 12, 31))
    with pytest.raises(IntegrityError), transaction.atomic():
        SupportContract.objects.filter(pk=contract.pk).update(monthly_value=Decimal("-1"))
    with pytest.raises(ContractError, match="end date must be after"):
        make_contract(acting_user=admin_user, end_date=date(2025, 6, 1))


def test_activate_cancel_with_a_reason_and_the_timeline(admin_user):
    contract = make_contract(acting_user=admin_user, activate=False)
    services.contract_activate(contract=contract, acting_user=admin_user, today=date(2026, 1, 1))
    with pytest.raises(ContractError, match="Say why"):
        services.contract_cancel(contract=contract, acting_user=admin_user, reason="  ")
    services.contract_cancel(contract=contract, acting_user=admin_user, reason="Customer moved to a competitor")
    contract.refresh_from_db()
    assert (contract.status, contract.cancel_reason) == (ContractStatus.CANCELLED, "Customer moved to a competitor")
    assert kinds(contract) == ["helpdesk.contract_created", "helpdesk.contract_activated", "helpdesk.contract_cancelled"]
    with pytest.raises(ContractError):
        services.contract_update(contract=contract, acting_user=admin_user, changes={"name": "Back"})


def test_renewing_starts_the_next_term_the_day_after_the_end_with_an_optional_new_value(admin_user):
    contract = make_contract(acting_user=admin_user, auto_renew=True)
    successor = services.contract_renew(contract=contract, acting_user=admin_user, monthly_value=Decimal("550.00"))
    assert (successor.status, successor.start_date, successor.end_date, successor.renewal_date, successor.monthly_value,
            successor.annual_value, successor.renewed_from, successor.auto_renew) == (
        ContractStatus.ACTIVE, date(2027, 1, 1), date(2027, 12, 31), date(2027, 12, 31), Decimal("550.00"),
        Decimal("6600.00"), contract, True)
    with pytest.raises(ContractError, match="already been renewed"):
        services.contract_renew(contract=contract, acting_user=admin_user)
    # the old term stays in force until its end date
    contract.refresh_from_db()
    assert contract.status == ContractStatus.ACTIVE
    assert list(SupportContract.objects.in_force(date(2026, 12, 31))) == [contract]
    assert list(SupportContract.objects.in_force(date(2027, 1, 1))) == [successor]


# SLA policy from the contract -------------------------------------------------------------------------------------

def test_the_policy_comes_from_the_contract_in_force_else_the_default(admin_user):
    default = SlaPolicy.objects.get(is_default=True)
    gold = SlaPolicy.objects.create(name="Gold 24x7", around_the_clock=True, working_days=[0, 1, 2, 3, 4, 5, 6])
    customer = CustomerFactory()
    ticket = make_ticket(customer=customer, acting_user=admin_user)
    assert ticket.contract is None and policy_for(ticket) == default
    # when the customer has a contract naming Gold, in force today
    today = timezone.localdate()
    contract = make_contract(customer=customer, acting_user=admin_user, sla_policy=gold,
                             start_date=today - timedelta(days=10))
    # then tickets opened afterwards go under it and follow its policy
    second = make_ticket(customer=customer, acting_user=admin_user)
    assert (second.contract, second.sla_policy) == (contract, gold)
    assert policy_for(ticket) == gold  # the customer's contract in force, even when the ticket names none
    assert policy_for(ticket, today=today + timedelta(days=400)) == default  # after the contract ended
    services.contract_cancel(contract=contract, acting_user=admin_user, reason="Unpaid")
    second.refresh_from_db()
    assert (policy_for(second), second.sla_policy) == (default, default)  # tickets were recomputed on cancel


def test_a_ticket_cannot_take_another_customers_contract(admin_user):
    from helpdesk.errors import HelpdeskError
    from helpdesk.services.tickets import ticket_update

    ticket = make_ticket(acting_user=admin_user)
    other = make_contract(acting_user=admin_user)
    with pytest.raises(HelpdeskError, match="another customer"):
        ticket_update(ticket=ticket, acting_user=admin_user, changes={"contract": other})


# Drawdown --------------------------------------------------------------------------------------------------------

def log(ticket, user, minutes, day, billable=True):
    time_entry_add(ticket=ticket, acting_user=user, minutes=minutes, billable=billable, spent_on=day)


def test_monthly_drawdown_counts_billable_time_of_this_month_and_shows_overage(admin_user):
    # given 10 hours a month
    contract = make_contract(acting_user=admin_user, hours_included=Decimal("10"), hours_period="month")
    ticket = make_ticket(customer=contract.customer, acting_user=admin_user, contract=contract)
    other = make_ticket(customer=contract.customer, acting_user=admin_user, contract=None)
    log(ticket, admin_user, 240, date(2026, 3, 2))
    log(ticket, admin_user, 90, date(2026, 3, 31))
    log(ticket, admin_user, 600, date(2026, 3, 15), billable=False)  # not billable: never counts
    log(ticket, admin_user, 120, date(2026, 2, 28))  # last month
    log(other, admin_user, 60, date(2026, 3, 3))  # a ticket not under the contract
    # when read on 20 March
    drawdown = contract_drawdown(contract=contract, today=date(2026, 3, 20))
    # then
    assert (drawdown.period_start, drawdown.period_end, drawdown.used_minutes, drawdown.remaining_hours,
            drawdown.overage_minutes) == (date(2026, 3, 1), date(2026, 3, 31), 330, Decimal("4.50"), 0)
    log(ticket, admin_user, 300, date(2026, 3, 20))
    drawdown = contract_drawdown(contract=contract, today=date(2026, 3, 20))
    assert (drawdown.used_hours, drawdown.remaining_minutes, drawdown.overage_hours) == (
        Decimal("10.50"), 0, Decimal("0.50"))


def test_yearly_drawdown_runs_from_the_contract_anniversary(admin_user):
    contract = make_contract(acting_user=admin_user, start_date=date(2026, 4, 15), term_months=24,
                             hours_included=Decimal("20"), hours_period="year")
    ticket = make_ticket(customer=contract.customer, acting_user=admin_user, contract=contract)
    log(ticket, admin_user, 600, date(2026, 5, 1))
    log(ticket, admin_user, 480, date(2027, 4, 14))
    log(ticket, admin_user, 45, date(2027, 4, 15))  # the second contract year
    first_year = contract_drawdown(contract=contract, today=date(2027, 1, 10))
    second_year = contract_drawdown(contract=contract, today=date(2027, 6, 1))
    assert (first_year.period_start, first_year.period_end, first_year.used_minutes, first_year.remaining_hours) == (
        date(2026, 4, 15), date(2027, 4, 14), 1080, Decimal("2.00"))
    assert (second_year.period_start, second_year.period_end, second_year.used_minutes) == (
        date(2027, 4, 15), date(2028, 4, 14), 45)


def test_no_hours_included_means_no_drawdown(admin_user):
    assert contract_drawdown(contract=make_contract(acting_user=admin_user), today=date(2026, 3, 1)) is None


# MRR / ARR -------------------------------------------------------------------------------------------------------

def test_mrr_and_arr_add_the_contracts_in_force(admin_user):
    make_contract(acting_user=admin_user, monthly_value=Decimal("500.00"))
    make_contract(acting_user=admin_user, annual_value=Decimal("1000.00"))  # 83.33 a month
    make_contract(acting_user=admin_user, activate=False, monthly_value=Decimal("999"))  # draft
    make_contract(acting_user=admin_user, start_date=date(2027, 1, 1))  # not started
    cancelled = make_contract(acting_user=admin_user, monthly_value=Decimal("300"))
    services.contract_cancel(contract=cancelled, acting_user=admin_user, reason="Closed down")
    [revenue] = contract_recurring_revenue(today=date(2026, 6, 1))
    assert (revenue.currency, revenue.mrr, revenue.arr, revenue.contracts) == (
        "GBP", Decimal("583.33"), Decimal("7000.00"), 2)
    assert contract_recurring_revenue(today=date(2025, 6, 1)) == []


# The renewal job -------------------------------------------------------------------------------------------------

@pytest.fixture
def renewing(admin_user):
    """Active 1 Jan – 31 Dec 2026, renewal date 31 Dec, owned by the admin."""
    return make_contract(acting_user=admin_user, name="Managed IT", owner=admin_user)


def sweep_days(start: date, end: date) -> list[dict]:
    results, day = [], start
    while day <= end:
        results.append(services.contracts_renewal_sweep(today=day))
        day += timedelta(days=1)
    return results


def test_reminders_go_out_90_60_and_30_days_before_once_each(renewing, admin_user):
    # when the job runs every day from 1 September to 30 December
    sweep_days(date(2026, 9, 1), date(2026, 12, 30))
    # then three reminders, each once, on 2 Oct (90 days), 1 Nov (60) and 1 Dec (30)
    reminders = list(ContractReminder.objects.filter(contract=renewing).order_by("days_before")
                     .values_list("days_before", "renewal_date"))
    assert reminders == [(30, date(2026, 12, 31)), (60, date(2026, 12, 31)), (90, date(2026, 12, 31))]
    tasks = list(Activity.objects.filter(customer=renewing.customer, kind="task").order_by("follow_up_on")
                 .values_list("follow_up_on", "owner"))
    assert tasks == [(date(2026, 10, 2), admin_user.pk), (date(2026, 11, 1), admin_user.pk),
                     (date(2026, 12, 1), admin_user.pk)]
    emails = OutboundEmail.objects.filter(topic=f"contract:{renewing.pk}")
    assert emails.count() == 3 and set(emails.values_list("to", flat=True)) == {admin_user.email}
    assert "Renewal of Managed IT" in emails.first().subject
    renewing.refresh_from_db()
    assert renewing.status == ContractStatus.PENDING_RENEWAL
    assert kinds(renewing).count("helpdesk.contract_pending_renewal") == 1


def test_the_contract_becomes_pending_renewal_at_90_days_not_before(renewing):
    assert services.contracts_renewal_sweep(today=date(2026, 10, 1)) == {
        "reminders": 0, "pending": 0, "renewed": 0, "expired": 0}
    assert services.contracts_renewal_sweep(today=date(2026, 10, 2)) == {
        "reminders": 1, "pending": 1, "renewed": 0, "expired": 0}
    renewing.refresh_from_db()
    assert renewing.status == ContractStatus.PENDING_RENEWAL


def test_a_late_start_catches_up_with_one_reminder_not_three(renewing):
    # the job first runs 45 days before the renewal date
    sweep_days(date(2026, 11, 16), date(2026, 11, 20))
    assert list(ContractReminder.objects.values_list("days_before", flat=True)) == [60]


def test_a_contract_not_renewed_expires_after_its_end_date(renewing):
    assert services.contracts_renewal_sweep(today=date(2026, 12, 31)) == {
        "reminders": 1, "pending": 1, "renewed": 0, "expired": 0}
    assert services.contracts_renewal_sweep(today=date(2027, 1, 1)) == {
        "reminders": 0, "pending": 0, "renewed": 0, "expired": 1}
    renewing.refresh_from_db()
    assert renewing.status == ContractStatus.EXPIRED
    assert SupportContract.objects.count() == 1
    assert kinds(renewing)[-1] == "helpdesk.contract_expired"


def test_an_auto_renew_contract_renews_itself_at_its_end_date(admin_user):
    contract = make_contract(acting_user=admin_user, auto_renew=True, monthly_value=Decimal("400"))
    result = services.contracts_renewal_sweep(today=date(2027, 1, 1))
    contract.refresh_from_db()
    successor = SupportContract.objects.get(renewed_from=contract)
    assert (result["renewed"], result["expired"], contract.status) == (1, 1, ContractStatus.EXPIRED)
    assert (successor.status, successor.start_date, successor.end_date, successor.monthly_value) == (
        ContractStatus.ACTIVE, date(2027, 1, 1), date(2027, 12, 31), Decimal("400.00"))
    assert list(SupportContract.objects.in_force(date(2027, 1, 1))) == [successor]


def test_a_renewed_contract_gets_no_more_reminders_and_expires_quietly_into_its_successor(renewing, admin_user):
    from helpdesk.services.tickets import ticket_status_change

    open_ticket = make_ticket(customer=renewing.customer, acting_user=admin_user, contract=renewing)
    closed_ticket = make_ticket(customer=renewing.customer, acting_user=admin_user, contract=renewing)
    ticket_status_change(ticket=closed_ticket, status="closed", acting_user=admin_user)
    services.contracts_renewal_sweep(today=date(2026, 10, 2))
    successor = services.contract_renew(contract=renewing, acting_user=admin_user)
    sweep_days(date(2026, 10, 3), date(2027, 1, 1))
    renewing.refresh_from_db()
    assert list(ContractReminder.objects.filter(contract=renewing).values_list("days_before", flat=True)) == [90]
    assert renewing.status == ContractStatus.EXPIRED
    assert SupportContract.objects.filter(status=ContractStatus.ACTIVE).get() == successor
    expired = Event.objects.filter(kind="helpdesk.contract_expired").get()
    assert (expired.data["renewed"], expired.data["tickets_moved"]) == (True, 1)
    # the open ticket carries on under the new term; the closed one stays with the term it was worked under
    assert Ticket.objects.get(pk=open_ticket.pk).contract == successor
    assert Ticket.objects.get(pk=closed_ticket.pk).contract == renewing


def test_the_beat_schedule_fans_the_renewal_job_out_daily():
    from helpdesk.tasks import BEAT_SCHEDULE

    job = BEAT_SCHEDULE["helpdesk-contracts-renewal"]
    assert (job["task"], job["schedule"], job["args"]) == (
        "core.tasks.fan_out", timedelta(days=1), ("helpdesk.tasks.contracts_renewal_sweep",))


def test_moving_a_ticket_to_a_contract_applies_its_policy_and_says_why(admin_user):
    from helpdesk.services.tickets import ticket_update

    gold = SlaPolicy.objects.create(name="Gold", around_the_clock=True, working_days=[0, 1, 2, 3, 4, 5, 6])
    customer = CustomerFactory()
    ticket = make_ticket(customer=customer, acting_user=admin_user)
    # a contract with its own policy, signed after the ticket was opened: a draft, so nothing applies yet
    contract = make_contract(customer=customer, acting_user=admin_user, activate=False, sla_policy=gold,
                             start_date=timezone.localdate() - timedelta(days=1))
    assert Ticket.objects.get(pk=ticket.pk).sla_policy.is_default
    services.contract_activate(contract=contract, acting_user=admin_user)
    ticket.refresh_from_db()
    assert ticket.sla_policy == gold  # activation recomputed the customer's open tickets
    ticket_update(ticket=ticket, acting_user=admin_user, changes={"contract": contract})
    ticket.refresh_from_db()
    assert ticket.contract == contract
    assert Event.objects.filter(kind="helpdesk.ticket_changed", subject_id=str(ticket.pk)).get().data["fields"] == [
        "support contract"]


def test_the_reminder_email_names_the_contract_and_links_to_it(renewing):
    services.contracts_renewal_sweep(today=date(2026, 12, 1))
    email = OutboundEmail.objects.get(topic=f"contract:{renewing.pk}")
    assert email.subject == f"Renewal of Managed IT ({renewing.customer.name}) due 31 Dec 2026"
    assert "comes up for renewal on 31 Dec 2026 (30 days from now)" in email.body_text
    assert "https://test1." in email.body_text and f"/contracts/{renewing.pk}/" in email.body_text
