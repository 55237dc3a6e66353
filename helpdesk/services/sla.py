"""The SLA clock of a ticket, kept in its columns so lists filter and sort on it in SQL.

Due times are business time (helpdesk/sla/business_time.py) in the policy's calendar. The first-response clock runs
from creation; the resolution clock also runs from creation but stands still while the ticket waits on the customer
or a third party (SlaPause rows). Whenever something moves a deadline, the ticket's history says why.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from core.events import event_record
from helpdesk.models import BusinessHoliday, SlaPause, SlaPolicy, Ticket
from helpdesk.models.ticket import DONE_STATUSES, PAUSING_STATUSES, SlaState
from helpdesk.sla.business_time import BusinessCalendar, WorkingHours, business_add
from helpdesk.sla.clock import PauseInterval, sla_clock_read
from helpdesk.sla.clock import SlaState as ClockState


def policy_for(ticket: Ticket, *, today=None) -> SlaPolicy | None:
    """The SLA policy of the ticket's contract when it is in force and names one, else of the customer's contract in
    force, else the tenant's default policy."""
    from helpdesk.models import SupportContract

    contracts = SupportContract.objects.in_force(today).filter(sla_policy__isnull=False)
    contract = None
    if ticket.contract_id:
        contract = contracts.filter(pk=ticket.contract_id).select_related("sla_policy").first()
    if contract is None:
        contract = (contracts.filter(customer_id=ticket.customer_id).select_related("sla_policy")
                    .order_by("-end_date", "-id").first())
    if contract is not None:
        return contract.sla_policy
    return SlaPolicy.objects.filter(is_default=True).first()


def policy_calendar(policy: SlaPolicy) -> BusinessCalendar:
    holidays = frozenset(BusinessHoliday.objects.values_list("date", flat=True))
    if policy.around_the_clock:
        return BusinessCalendar.around_the_clock(policy.timezone, holidays)
    hours = WorkingHours(policy.opens_at, policy.closes_at)
    return BusinessCalendar(policy.timezone, tuple(hours if day in policy.working_days else None for day in range(7)),
                            holidays)


def ticket_sla_pause_track(*, ticket: Ticket, previous_status: str, now: datetime) -> None:
    """Open a pause when the ticket starts waiting, close it when it stops."""
    was_paused, is_paused = previous_status in PAUSING_STATUSES, ticket.status in PAUSING_STATUSES
    if is_paused and not was_paused:
        SlaPause.objects.create(ticket=ticket, started_at=now, status=ticket.status)
    elif was_paused and not is_paused:
        SlaPause.objects.filter(ticket=ticket, ended_at__isnull=True).update(ended_at=now)


def _fmt(moment: datetime | None, zone) -> str:
    return timezone.localtime(moment, zone).strftime("%a %-d %b %H:%M") if moment else _("none")


def ticket_sla_refresh(*, ticket: Ticket, acting_user, now: datetime | None = None, reason: str | None) -> Ticket:
    """Recompute due times and state. With a `reason`, a moved deadline is written to the history with it."""
    now = now or timezone.now()
    policy = policy_for(ticket)
    before = (ticket.response_due_at, ticket.resolution_due_at)
    if policy is None:
        ticket.sla_policy = None
        ticket.response_due_at = ticket.resolution_due_at = ticket.sla_due_at = ticket.sla_at_risk_at = None
        ticket.sla_state = SlaState.NONE
    else:
        _compute(ticket, policy, now)
    ticket.save(update_fields=["sla_policy", "response_due_at", "resolution_due_at", "sla_due_at", "sla_at_risk_at",
                               "sla_state"])
    after = (ticket.response_due_at, ticket.resolution_due_at)
    if reason and policy is not None and after != before:
        zone = policy_calendar(policy).zone
        moved = []
        if before[0] != after[0] and ticket.first_responded_at is None:
            moved.append(_("first response due moved from %(old)s to %(new)s")
                         % {"old": _fmt(before[0], zone), "new": _fmt(after[0], zone)})
        if before[1] != after[1]:
            moved.append(_("resolution due moved from %(old)s to %(new)s")
                         % {"old": _fmt(before[1], zone), "new": _fmt(after[1], zone)})
        if moved:
            text = _("%(reason)s: %(moved)s (%(calendar)s).") % {
                "reason": reason, "moved": "; ".join(moved), "calendar": policy_calendar(policy).describe()}
            event_record(kind="helpdesk.ticket_sla_changed", actor=acting_user, subject=ticket,
                         customer_id=ticket.customer_id, data={"ref": ticket.reference, "reason": text})
    return ticket


def _compute(ticket: Ticket, policy: SlaPolicy, now: datetime) -> None:
    """Read both clocks (helpdesk/sla/clock.py) and keep what lists and the beat job need in the ticket's columns."""
    calendar = policy_calendar(policy)
    ticket.sla_policy = policy
    start = ticket.created_at
    now = max(now, start, ticket.first_responded_at or start, ticket.resolved_at or start)
    percent = policy.at_risk_percent
    response = sla_clock_read(
        calendar=calendar, started_at=start, now=now, at_risk_percent=percent, met_at=ticket.first_responded_at,
        target=timedelta(minutes=policy.target_minutes(kind="response", priority=ticket.priority)))
    resolution = sla_clock_read(
        calendar=calendar, started_at=start, now=now, at_risk_percent=percent, met_at=ticket.resolved_at,
        target=timedelta(minutes=policy.target_minutes(kind="resolution", priority=ticket.priority)),
        pauses=[PauseInterval(pause.started_at, pause.ended_at) for pause in SlaPause.objects.filter(ticket=ticket)])
    ticket.response_due_at, ticket.resolution_due_at = response.due_at, resolution.due_at
    breached = ClockState.BREACHED in (response.state, resolution.state)
    if ticket.status in DONE_STATUSES:
        ticket.sla_state = SlaState.BREACHED if breached else SlaState.MET
        ticket.sla_due_at = ticket.sla_at_risk_at = None
        return
    current = response if ticket.first_responded_at is None and response.state != ClockState.BREACHED else resolution
    ticket.sla_due_at = current.due_at
    if breached:
        ticket.sla_state = SlaState.BREACHED
    elif resolution.state == ClockState.PAUSED:
        ticket.sla_state = SlaState.PAUSED
    else:
        ticket.sla_state = SlaState(str(current.state))
    # When the current clock crosses its at-risk threshold: `remaining` business time until due, less the margin.
    margin = current.target * (100 - percent) / 100
    if current.due_at is None or ticket.sla_state != SlaState.ON_TRACK:
        ticket.sla_at_risk_at = None if current.due_at is None else now
    else:
        ticket.sla_at_risk_at = business_add(calendar, now, max(current.remaining - margin, timedelta()))


def tickets_sla_sweep(*, now: datetime | None = None) -> int:
    """The beat job: tickets whose clock just crossed at-risk or breach get their new state, once per change; the
    assignee and the managers are told live and by email, and a breach escalates as the policy says."""
    from django.db.models import Q

    from helpdesk.models.ticket import OPEN_STATUSES

    now = now or timezone.now()
    due = (Ticket.objects.filter(status__in=OPEN_STATUSES)
           .filter(Q(sla_state=SlaState.ON_TRACK, sla_at_risk_at__lte=now)
                   | Q(sla_state__in=[SlaState.ON_TRACK, SlaState.AT_RISK], sla_due_at__lte=now))
           .select_related("customer", "assignee", "sla_policy"))
    changed = 0
    for ticket in due:
        previous = ticket.sla_state
        ticket_sla_refresh(ticket=ticket, acting_user=None, now=now, reason=None)
        if ticket.sla_state != previous and ticket.sla_state in (SlaState.AT_RISK, SlaState.BREACHED):
            _sla_alert(ticket, now)
            changed += 1
    return changed


def _sla_alert(ticket: Ticket, now: datetime) -> None:
    from django.urls import reverse

    from accounts.roles import Role
    from core.email import email_send
    from core.notifications import notify_role, notify_user
    from helpdesk.services.tickets import ticket_record

    zone = policy_calendar(ticket.sla_policy).zone
    target = _("first response") if ticket.first_responded_at is None else _("resolution")
    state = str(SlaState(ticket.sla_state).label).lower()
    ticket_record(ticket=ticket, kind="helpdesk.ticket_sla_state", acting_user=None, state=state, target=target,
                  due=_fmt(ticket.sla_due_at, zone))
    message = _("%(ref)s “%(subject)s” is %(state)s: %(target)s due %(due)s.") % {
        "ref": ticket.reference, "subject": ticket.subject, "state": state, "target": target,
        "due": _fmt(ticket.sla_due_at, zone)}
    link = reverse("helpdesk:ticket_detail", args=[ticket.pk])
    level = "danger" if ticket.sla_state == SlaState.BREACHED else "warning"
    recipients = {user.pk: user for user in ([ticket.assignee] if ticket.assignee else [])}
    for notification in notify_role(role=Role.MANAGER, message=message, link=link, level=level):
        recipients[notification.recipient_id] = notification.recipient
    if ticket.assignee and ticket.assignee.role != Role.MANAGER:
        notify_user(user=ticket.assignee, message=message, link=link, level=level)
    for user in recipients.values():
        email_send(to=user.email, subject=message[:250], template="helpdesk/email/sla_alert",
                   context={"message": message, "ticket": ticket, "link": link}, topic=f"helpdesk.ticket:{ticket.pk}")
    if ticket.sla_state == SlaState.BREACHED:
        _escalate(ticket, now)


def _escalate(ticket: Ticket, now: datetime) -> None:
    from helpdesk.models.ticket import PRIORITY_ORDER
    from helpdesk.services.tickets import ticket_assign, ticket_priority_change

    policy = ticket.sla_policy
    if policy.escalate_raise_priority and ticket.priority != PRIORITY_ORDER[-1]:
        higher = PRIORITY_ORDER[PRIORITY_ORDER.index(ticket.priority) + 1]
        ticket_priority_change(ticket=ticket, priority=higher, acting_user=None, now=now)
    if policy.escalate_to_id and ticket.assignee_id != policy.escalate_to_id:
        ticket_assign(ticket=ticket, assignee=policy.escalate_to, acting_user=None)
