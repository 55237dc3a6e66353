"""Tickets and contracts in the portal: list by scope, open with a site and files, reply, close, rate; contracts
with their hours."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.roles import Role
from core.models import Event
from crm.models import Address
from crm.tests.factories import CustomerFactory
from helpdesk.models import Comment, Ticket, TicketStatus
from helpdesk.services.conversation import comment_add
from helpdesk.services.tickets import ticket_status_change
from helpdesk.tests.factories import make_contract, make_ticket
from portal.models import PortalScope, TicketRating
from portal.tests.factories import make_access, make_contact, portal_client


@pytest.fixture
def access(tenant1):
    return make_access(can_see_contracts=True)


def _site(customer, label="Warehouse"):
    return Address.objects.create(customer=customer, kind="site", label=label, line1="1 Dock Road", town="Hull")


def test_opening_a_ticket_with_a_site_and_a_file(access, django_capture_on_commit_callbacks):
    # given
    site = _site(access.contact.customer)
    client = portal_client(access)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/portal/tickets/new/", {
            "subject": "Printer jams", "description": "Every morning.", "priority": "high", "site": str(site.pk),
            "files": [SimpleUploadedFile("jam.png", b"\x89PNG....", content_type="image/png")]})
    # then
    ticket = Ticket.objects.get(subject="Printer jams")
    assert response.status_code == 302 and response["Location"] == f"/portal/tickets/{ticket.pk}/"
    assert (ticket.contact_id, ticket.customer_id, ticket.site_id, ticket.priority, ticket.source) == (
        access.contact_id, access.contact.customer_id, site.pk, "high", "portal")
    assert [a.file_name for a in ticket.attachments.all()] == ["jam.png"]
    assert [message.to for message in mail.outbox] == [[access.email]]  # the helpdesk's acknowledgement
    assert Event.objects.filter(kind="portal.ticket_opened", customer_id=ticket.customer_id).count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "jam.png" in page and "Warehouse" in page


@pytest.mark.parametrize("field, value", [("priority", "urgent"), ("site", "other")])
def test_urgent_priority_and_another_companys_site_are_refused(access, field, value):
    other_site = _site(CustomerFactory(), label="Not theirs")
    data = {"subject": "Help", "priority": "medium", field: str(other_site.pk) if value == "other" else value}
    response = portal_client(access).post("/portal/tickets/new/", data)
    assert response.status_code == 422
    assert not Ticket.objects.filter(subject="Help").exists()
    assert "Not theirs" not in response.content.decode()


def test_the_list_follows_the_scope(access):
    # given a ticket of Jane's, one of a colleague's and one of another customer's
    customer = access.contact.customer
    colleague = make_contact(customer=customer, first_name="Colin")
    mine = make_ticket(customer=customer, contact=access.contact, subject="Mine")
    theirs = make_ticket(customer=customer, contact=colleague, subject="Colleague's")
    make_ticket(customer=CustomerFactory(), subject="Another company's")
    # when / then: the whole company
    body = portal_client(access).get("/portal/tickets/").content.decode()
    assert "Mine" in body and "Colleague&#x27;s" in body and "Another company" not in body
    # and only her own
    access.scope = PortalScope.OWN
    access.save()
    body = portal_client(access).get("/portal/tickets/").content.decode()
    assert "Mine" in body and "Colleague" not in body
    assert portal_client(access).get(f"/portal/tickets/{theirs.pk}/").status_code == 404
    assert portal_client(access).get(f"/portal/tickets/{mine.pk}/").status_code == 200


def test_replying_adds_a_public_message_and_reopens_a_resolved_ticket(access, make_user):
    agent = make_user(role=Role.SUPPORT)
    ticket = make_ticket(customer=access.contact.customer, contact=access.contact)
    comment_add(ticket=ticket, acting_user=agent, body="Try turning it off and on.")
    ticket_status_change(ticket=ticket, status=TicketStatus.RESOLVED, acting_user=agent)
    # when
    response = portal_client(access).post(f"/portal/tickets/{ticket.pk}/reply/", {
        "body": "Still broken.", "files": [SimpleUploadedFile("photo.jpg", b"jpeg", content_type="image/jpeg")]})
    # then
    assert response.status_code == 302
    reply = Comment.objects.filter(ticket=ticket).latest("id")
    assert (reply.body, reply.is_internal, reply.author_id, reply.author_contact_id) == (
        "Still broken.", False, None, access.contact_id)
    assert [a.file_name for a in reply.attachments.all()] == ["photo.jpg"]
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.OPEN


def test_the_conversation_shows_public_replies_only(access, make_user):
    agent = make_user(role=Role.SUPPORT, first_name="Alex", last_name="Agent")
    ticket = make_ticket(customer=access.contact.customer, contact=access.contact)
    comment_add(ticket=ticket, acting_user=agent, body="We are on it.")
    comment_add(ticket=ticket, acting_user=agent, body="Customer is grumpy", is_internal=True)
    body = portal_client(access).get(f"/portal/tickets/{ticket.pk}/").content.decode()
    assert "We are on it." in body and "Alex Agent" in body
    assert "grumpy" not in body


def test_closing_then_rating_a_ticket(access, make_user, admin_client1):
    # given
    ticket = make_ticket(customer=access.contact.customer, contact=access.contact)
    client = portal_client(access)
    # rating before it is resolved is refused
    early = client.post(f"/portal/tickets/{ticket.pk}/rate/", {"score": "4"})
    assert early.status_code == 422 and "You can rate a ticket once it is resolved." in early.content.decode()
    # when she closes it and rates it
    assert client.post(f"/portal/tickets/{ticket.pk}/close/").status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CLOSED
    response = client.post(f"/portal/tickets/{ticket.pk}/rate/", {"score": "4", "comment": "Quick and kind"})
    # then
    assert response.status_code == 302
    rating = TicketRating.objects.get(ticket=ticket)
    assert (rating.score, rating.comment, rating.contact_id) == (4, "Quick and kind", access.contact_id)
    assert client.post(f"/portal/tickets/{ticket.pk}/rate/", {"score": "1"}).status_code == 422
    # the staff ticket page shows it, and the dashboard counts it
    staff_page = admin_client1.get(f"/tickets/{ticket.pk}/").content.decode()
    assert 'data-testid="ticket-rating"' in staff_page and "4/5" in staff_page and "Quick and kind" in staff_page
    dashboard = admin_client1.get("/").content.decode()
    assert "4.0" in dashboard and "1 rating in the last 30 days" in dashboard


def test_the_ticket_pages_have_pinned_query_counts(access, make_user, assert_queries):
    agent = make_user(role=Role.SUPPORT)
    ticket = make_ticket(customer=access.contact.customer, contact=access.contact)
    make_ticket(customer=access.contact.customer, contact=access.contact, subject="Second")
    comment_add(ticket=ticket, acting_user=agent, body="One")
    comment_add(ticket=ticket, acting_user=agent, body="Two")
    client = portal_client(access)
    with assert_queries(4):
        assert client.get("/portal/tickets/").status_code == 200
    with assert_queries(6):
        assert client.get(f"/portal/tickets/{ticket.pk}/").status_code == 200


def test_contracts_show_status_term_renewal_sla_and_hours_this_period(access, make_user, assert_queries):
    from helpdesk.services.conversation import time_entry_add

    agent = make_user(role=Role.SUPPORT)
    customer = access.contact.customer
    today = date.today()
    contract = make_contract(customer=customer, name="Managed IT", start_date=date(today.year, 1, 1),
                             hours_included=Decimal("10"), hours_period="month", today=today)
    make_contract(customer=customer, name="Draft deal", start_date=date(today.year, 1, 1), activate=False)
    ticket = make_ticket(customer=customer, contact=access.contact, contract=contract)
    time_entry_add(ticket=ticket, acting_user=agent, minutes=90, spent_on=today)
    time_entry_add(ticket=ticket, acting_user=agent, minutes=30, spent_on=today, billable=False)
    make_contract(customer=customer, name="Backup service", start_date=date(today.year, 1, 1),
                  hours_included=Decimal("24"), hours_period="year", today=today)
    client = portal_client(access)
    with assert_queries(5):  # whatever the number of contracts: their hours come in one query
        body = client.get("/portal/contracts/").content.decode()
    assert "Managed IT" in body and "Draft deal" not in body
    assert "10.00 h included, 1.50 h used, 8.50 h remaining" in body
    assert "24.00 h included, 0.00 h used, 24.00 h remaining" in body
    assert contract.renewal_date.strftime("%-d %b %Y") in body


def test_the_home_page_counts_what_waits_with_a_pinned_query_count(access, assert_queries):
    from portal.tests.factories import make_sent_quote

    customer = access.contact.customer
    make_sent_quote(customer=customer, contact=access.contact)
    make_ticket(customer=customer, contact=access.contact)
    make_contract(customer=customer, start_date=date.today().replace(month=1, day=1), today=date.today())
    client = portal_client(access)
    with assert_queries(5):
        body = client.get("/portal/").content.decode()
    assert "1 quote waiting for your answer" in body and "1 open ticket" in body and "1 contract in force" in body
