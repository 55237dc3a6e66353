"""The SLA clock on real tickets, with the clock moved: due times, reasons, pauses, the beat job and escalation.
Default policy: Mon–Fri 08:30–17:30 Europe/London; medium = 8 h response / 45 h resolution, high = 2 h / 9 h."""

from datetime import datetime

import pytest

from core.models import Event, Notification
from helpdesk.models import SlaPolicy, Ticket, TicketStatus
from helpdesk.services import conversation, tickets as services
from helpdesk.services.sla import ticket_sla_refresh, tickets_sla_sweep
from helpdesk.tests.factories import make_ticket
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def at(day, hour, minute=0):
    return datetime(2026, 11 if day > 20 else 12, day, hour, minute, tzinfo=LONDON)


@pytest.fixture
def friday_ticket(admin_user):
    """Opened Friday 27 November 16:00 (GMT), medium priority, assigned to the admin."""
    ticket = make_ticket(acting_user=admin_user, assignee=admin_user)
    Ticket.objects.filter(pk=ticket.pk).update(created_at=at(27, 16))
    ticket.refresh_from_db()
    return ticket_sla_refresh(ticket=ticket, acting_user=None, now=at(27, 16), reason=None)


def test_due_times_skip_the_night_and_the_weekend(friday_ticket):
    # response 8 h: Fri 16:00–17:30 (1.5 h) + Mon 08:30 + 6.5 h = Mon 15:00
    # resolution 45 h: 1.5 h Fri + 9 h Mon–Thu (36 h) + 7.5 h Fri = Fri 4 Dec 16:00
    assert (friday_ticket.response_due_at, friday_ticket.resolution_due_at) == (at(30, 15), at(4, 16))
    assert (friday_ticket.sla_state, friday_ticket.sla_due_at) == ("on_track", at(30, 15))
    assert friday_ticket.sla_policy == SlaPolicy.objects.get(is_default=True)


def test_raising_the_priority_moves_the_deadlines_and_says_why(friday_ticket, admin_user):
    services.ticket_priority_change(ticket=friday_ticket, priority="high", acting_user=admin_user, now=at(30, 9))
    # high: response 2 h = 1.5 h Fri + 0.5 h Mon → Mon 09:00; resolution 9 h = 1.5 h + 7.5 h → Mon 16:00
    assert (friday_ticket.response_due_at, friday_ticket.resolution_due_at) == (at(30, 9), at(30, 16))
    reason = Event.objects.get(kind="helpdesk.ticket_sla_changed").data["reason"]
    assert reason == ("Priority changed from Medium to High: first response due moved from Mon 30 Nov 15:00 to "
                      "Mon 30 Nov 09:00; resolution due moved from Fri 4 Dec 16:00 to Mon 30 Nov 16:00 "
                      "(business hours Mon–Fri 08:30–17:30 Europe/London, holidays excluded).")


def test_waiting_on_the_customer_stops_the_resolution_clock(friday_ticket, admin_user):
    services.ticket_priority_change(ticket=friday_ticket, priority="high", acting_user=admin_user, now=at(30, 9))
    conversation.comment_add(ticket=friday_ticket, acting_user=admin_user, body="On it", now=at(30, 9))
    services.ticket_status_change(ticket=friday_ticket, status=TicketStatus.WAITING_CUSTOMER, acting_user=admin_user,
                                  now=at(30, 10))
    assert (friday_ticket.sla_state, friday_ticket.resolution_due_at) == ("paused", None)
    services.ticket_status_change(ticket=friday_ticket, status=TicketStatus.IN_PROGRESS, acting_user=admin_user,
                                  now=at(30, 14))
    # 4 business hours paused: Mon 16:00 + 4 h = Mon 17:30 (1.5 h) + Tue 08:30 + 2.5 h = Tue 11:00
    assert (friday_ticket.sla_state, friday_ticket.resolution_due_at) == ("on_track", at(1, 11))
    assert friday_ticket.response_due_at == at(30, 9)  # answered exactly on time: met, not breached


def test_the_beat_job_alerts_once_per_state_change_and_escalates_a_breach(friday_ticket, admin_user, make_user):
    manager = make_user(role="Manager")
    policy = SlaPolicy.objects.get(is_default=True)
    policy.escalate_raise_priority = True
    policy.save()
    services.ticket_priority_change(ticket=friday_ticket, priority="high", acting_user=admin_user, now=at(30, 9))
    conversation.comment_add(ticket=friday_ticket, acting_user=admin_user, body="On it", now=at(30, 9))
    # at risk at 80 % of 9 h = 7 h 12 min used: due Mon 16:00 less 1 h 48 min = Mon 14:12
    assert Ticket.objects.get(pk=friday_ticket.pk).sla_at_risk_at == at(30, 14, 12)
    assert tickets_sla_sweep(now=at(30, 14, 11)) == 0
    assert tickets_sla_sweep(now=at(30, 14, 13)) == 1
    assert tickets_sla_sweep(now=at(30, 14, 30)) == 0  # still at risk: nobody is told twice
    assert [n.message for n in Notification.objects.filter(recipient=manager)] == [
        "T-000001 “Printer offline” is at risk: resolution due Mon 30 Nov 16:00."]
    assert tickets_sla_sweep(now=at(30, 16, 1)) == 1
    ticket = Ticket.objects.get(pk=friday_ticket.pk)
    assert (ticket.sla_state, ticket.priority) == ("breached", "urgent")  # escalated one step
    assert Notification.objects.filter(recipient=manager).first().message == (
        "T-000001 “Printer offline” is breached: resolution due Mon 30 Nov 16:00.")


def test_resolving_in_time_is_met_and_late_is_breached(friday_ticket, admin_user):
    conversation.comment_add(ticket=friday_ticket, acting_user=admin_user, body="Fixed", now=at(30, 9))
    services.ticket_status_change(ticket=friday_ticket, status=TicketStatus.RESOLVED, acting_user=admin_user,
                                  now=at(30, 10))
    assert (friday_ticket.sla_state, friday_ticket.sla_due_at) == ("met", None)
    late = make_ticket(acting_user=admin_user)
    Ticket.objects.filter(pk=late.pk).update(created_at=at(27, 16))
    late.refresh_from_db()
    services.ticket_status_change(ticket=late, status=TicketStatus.RESOLVED, acting_user=admin_user, now=at(30, 16))
    assert late.sla_state == "breached"  # nobody answered by Mon 15:00
