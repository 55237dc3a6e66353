"""Ticket services against the real database: numbering, history, assignment, status and the conversation."""

import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction

from core.models import Event, Notification, OutboundEmail
from crm.models import Contact, ContactEmail
from crm.tests.factories import CustomerFactory
from helpdesk.errors import AttachmentRefused, HelpdeskError
from helpdesk.models import CannedResponse, Comment, SlaPause, Ticket, TicketStatus
from helpdesk.services import conversation, tickets as services
from helpdesk.tests.factories import make_ticket

LONDON = ZoneInfo("Europe/London")


def test_tickets_are_numbered_per_tenant_and_a_failed_create_leaves_no_gap(admin_user, in_tenant, tenant2):
    first = make_ticket(acting_user=admin_user)
    with pytest.raises(HelpdeskError), transaction.atomic():
        other = CustomerFactory()
        stranger = Contact.objects.create(customer=other, first_name="Not", last_name="Theirs")
        services.ticket_create(customer=CustomerFactory(), acting_user=admin_user, subject="Bad", contact=stranger)
    second = make_ticket(acting_user=admin_user)
    assert (first.reference, second.reference) == ("T-000001", "T-000002")
    with in_tenant(tenant2):
        assert make_ticket().reference == "T-000001"  # each tenant has its own series


def test_concurrent_takers_queue_on_the_counter_and_a_rollback_gives_its_number_back(tenant1):
    """Two real connections (outside the test's transaction): the second waits for the first's commit or rollback."""
    import psycopg

    from core.numbering import _NEXT

    params = connection.settings_dict
    dsn = {"host": params["HOST"], "port": params["PORT"], "user": params["USER"], "dbname": params["NAME"]}
    series = "test.concurrency"
    results: dict[str, int] = {}
    first = psycopg.connect(**{k: v for k, v in dsn.items() if v})
    second = psycopg.connect(**{k: v for k, v in dsn.items() if v})
    try:
        for conn in (first, second):
            conn.execute("SET search_path TO test1, public")
            conn.commit()  # (a rolled-back SET would put the connection back on public)
        first.execute("DELETE FROM core_numbersequence WHERE series = %s", [series])
        first.commit()
        # given the first agent holds a number in an open transaction
        results["first"] = first.execute(_NEXT, [series]).fetchone()[0]

        def take():
            results["second"] = second.execute(_NEXT, [series]).fetchone()[0]

        waiter = threading.Thread(target=take)
        waiter.start()
        waiter.join(timeout=0.5)
        # then the second one waits for it
        assert waiter.is_alive() and "second" not in results
        # when the first create fails and rolls back, the second gets the very same number: no gap
        first.rollback()
        waiter.join(timeout=5)
        assert results == {"first": 1, "second": 1}
        second.commit()
        assert first.execute(_NEXT, [series]).fetchone()[0] == 2
        first.commit()
    finally:
        second.rollback()
        first.rollback()
        first.execute("DELETE FROM core_numbersequence WHERE series = %s", [series])
        first.commit()
        first.close()
        second.close()


def test_opening_a_ticket_is_on_the_customer_timeline_and_tells_the_assignee(admin_user, make_user):
    agent = make_user(role="Support agent")
    ticket = make_ticket(acting_user=admin_user, assignee=agent, priority="high", subject="VPN down")
    event = Event.objects.get(kind="helpdesk.ticket_created")
    assert (event.customer_id, event.data) == (ticket.customer_id, {"ref": "T-000001", "subject": "VPN down",
                                                                     "priority": "High"})
    assert Notification.objects.get(recipient=agent).message == "T-000001 “VPN down” is assigned to you."
    assert OutboundEmail.objects.get(to=agent.email).subject == "Assigned to you: [T-000001] VPN down"


def test_picking_up_a_new_ticket_opens_it_and_waiting_pauses_the_resolution_clock(admin_user):
    ticket = make_ticket(acting_user=admin_user)
    services.ticket_assign(ticket=ticket, assignee=admin_user, acting_user=admin_user)
    assert ticket.status == TicketStatus.OPEN
    noon = datetime(2026, 11, 30, 12, 0, tzinfo=LONDON)
    services.ticket_status_change(ticket=ticket, status=TicketStatus.WAITING_CUSTOMER, acting_user=admin_user, now=noon)
    assert list(SlaPause.objects.values_list("started_at", "ended_at")) == [(noon, None)]
    services.ticket_status_change(ticket=ticket, status=TicketStatus.IN_PROGRESS, acting_user=admin_user,
                                  now=noon + timedelta(hours=1))
    assert list(SlaPause.objects.values_list("ended_at", flat=True)) == [noon + timedelta(hours=1)]
    kinds = list(Event.objects.filter(subject_id=str(ticket.pk)).order_by("id").values_list("kind", flat=True))
    assert kinds == ["helpdesk.ticket_created", "helpdesk.ticket_assigned", "helpdesk.ticket_status_changed",
                     "helpdesk.ticket_sla_changed", "helpdesk.ticket_status_changed", "helpdesk.ticket_sla_changed"]


def test_a_public_reply_is_the_first_response_emailed_in_thread_and_a_note_is_not(admin_user):
    customer = CustomerFactory()
    contact = Contact.objects.create(customer=customer, first_name="Ann", last_name="Lee")
    ContactEmail.objects.create(contact=contact, address="ann@client.example", is_primary=True)
    ticket = make_ticket(customer=customer, acting_user=admin_user, contact=contact)
    note = conversation.comment_add(ticket=ticket, acting_user=admin_user, body="Checked the logs", is_internal=True)
    assert ticket.first_responded_at is None and note.message_id == ""
    reply = conversation.comment_add(ticket=ticket, acting_user=admin_user, body="Rebooted the router", parent=note)
    ticket.refresh_from_db()
    assert ticket.first_responded_at == reply.created_at
    assert ticket.status == TicketStatus.OPEN
    acknowledgement, email = OutboundEmail.objects.filter(to="ann@client.example").order_by("id")
    assert acknowledgement.subject == "[T-000001] Printer offline"
    root = f"<ticket-1.{ticket.reply_token}@test1.localhost>"
    assert email.subject == "Re: [T-000001] Printer offline"
    assert email.reply_to == f"support+{ticket.reply_token}@test1.localhost"
    assert email.headers == {"Message-ID": reply.message_id, "In-Reply-To": root, "References": root}
    assert email.body_text.startswith("Rebooted the router")
    assert email.topic == f"helpdesk.ticket:{ticket.pk}"


def test_attachments_are_checked_for_type_and_size(admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ticket = make_ticket(acting_user=admin_user)
    with pytest.raises(AttachmentRefused) as refused:
        conversation.attachment_add(ticket=ticket, acting_user=admin_user,
                                    upload=SimpleUploadedFile("run.exe", b"MZ"))
    assert str(refused.value).startswith("run.exe: files of this type cannot be attached")
    attachment = conversation.attachment_add(ticket=ticket, acting_user=admin_user,
                                             upload=SimpleUploadedFile("router.log", b"link down", "text/plain"))
    assert attachment.file.name.startswith(f"tenants/test1/helpdesk/{ticket.pk}/")
    assert attachment.file.read() == b"link down"


def test_canned_responses_fill_their_placeholders_and_keep_unknown_ones(admin_user):
    customer = CustomerFactory()
    contact = Contact.objects.create(customer=customer, first_name="Ann", last_name="Lee")
    ticket = make_ticket(customer=customer, contact=contact)
    response = CannedResponse(title="x", body="Hi {contact_name}, {ticket_number} is with {agent_name}. {unknown}")
    assert conversation.canned_response_render(response=response, ticket=ticket, agent=admin_user) == (
        "Hi Ann, T-000001 is with Ada Admin. {unknown}")


def test_time_is_logged_with_limits(admin_user):
    ticket = make_ticket()
    conversation.time_entry_add(ticket=ticket, acting_user=admin_user, minutes=45, note="Site visit")
    with pytest.raises(HelpdeskError):
        conversation.time_entry_add(ticket=ticket, acting_user=admin_user, minutes=0)
    assert list(ticket.time_entries.values_list("minutes", "billable")) == [(45, True)]


def test_bulk_close_goes_through_each_ticket(admin_user):
    tickets = [make_ticket(), make_ticket()]
    assert services.ticket_bulk(tickets=tickets, acting_user=admin_user, action="close", value=None) == 2
    assert set(Ticket.objects.values_list("status", flat=True)) == {"closed"}
    assert Comment.objects.count() == 0
