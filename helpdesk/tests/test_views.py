"""Ticket pages as agents use them: pinned query counts, htmx fragments, valid HTML, attachments, live signals."""

import re

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.files.uploadedfile import SimpleUploadedFile

from core.notifications import topic_group_name
from crm.models import Contact
from crm.tests.factories import CustomerFactory
from helpdesk.models import Comment, Ticket
from helpdesk.services import conversation
from helpdesk.tests.factories import make_ticket
from tests.html_validity import assert_valid_html


def test_the_ticket_list_has_a_fixed_query_count_and_valid_html(admin_client1, admin_user, assert_queries):
    for number in range(30):
        make_ticket(acting_user=admin_user, subject=f"Issue {number}", assignee=admin_user if number % 2 else None)
    with assert_queries(8):
        response = admin_client1.get("/tickets/")
    html = response.content.decode()
    assert response.status_code == 200 and html.count('data-testid="ticket-row"') == 25 and "30 tickets" in html
    assert_valid_html(html)
    unassigned = admin_client1.get("/tickets/", {"view": "unassigned"}, HTTP_HX_REQUEST="true",
                                   HTTP_HX_TARGET="ticket-table").content.decode()
    assert "15 tickets" in unassigned and "<html" not in unassigned
    assert_valid_html(unassigned, fragment=True)
    found = admin_client1.get("/tickets/", {"q": "T-000007", "view": "all"}).content.decode()
    assert found.count('data-testid="ticket-row"') == 1 and "Issue 6" in found


def test_opening_a_ticket_from_the_customer_search(admin_client1):
    customer = CustomerFactory(name="Harbour Dental")
    contact = Contact.objects.create(customer=customer, first_name="Ann", last_name="Lee", is_primary=True)
    matches = admin_client1.get("/tickets/new/", {"q": "harbour"}, HTTP_HX_REQUEST="true").content.decode()
    assert f'href="/tickets/new/?customer={customer.pk}"' in matches
    form = admin_client1.get("/tickets/new/", {"customer": customer.pk}).content.decode()
    assert f'<option value="{contact.pk}" selected>Ann Lee</option>' in form
    assert_valid_html(form)
    bad = admin_client1.post("/tickets/new/", {"customer": customer.pk, "subject": "", "description": "Keep me",
                                               "type": "incident", "priority": "medium", "source": "phone"})
    assert bad.status_code == 422 and "Keep me" in bad.content.decode()
    response = admin_client1.post("/tickets/new/", {"customer": customer.pk, "subject": "X-ray PC slow",
                                                    "contact": contact.pk, "type": "incident", "priority": "high",
                                                    "source": "phone"})
    ticket = Ticket.objects.get()
    assert response["Location"] == f"/tickets/{ticket.pk}/"
    assert (ticket.reference, ticket.contact, ticket.priority, ticket.source) == ("T-000001", contact, "high", "phone")


def test_the_ticket_page_threads_replies_and_keeps_a_fixed_query_count(admin_client1, admin_user, assert_queries):
    ticket = make_ticket(acting_user=admin_user)
    first = conversation.comment_add(ticket=ticket, acting_user=admin_user, body="First answer")
    for number in range(10):
        conversation.comment_add(ticket=ticket, acting_user=admin_user, body=f"Note {number}", is_internal=True,
                                 parent=first)
    conversation.time_entry_add(ticket=ticket, acting_user=admin_user, minutes=30)
    with assert_queries(14):
        response = admin_client1.get(f"/tickets/{ticket.pk}/")
    html = response.content.decode()
    assert html.count('data-testid="comment"') == 11 and html.count("Internal note</span>") == 10
    assert 'style="margin-left: calc(1 * 1.5rem)"' in html  # the notes sit under the reply they answer
    assert_valid_html(html)


def test_a_long_conversation_with_files_costs_the_same_queries_and_fragments_read_only_their_part(
        admin_client1, admin_user, assert_queries, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    # given: 80 messages, replies among them, files on some
    ticket = make_ticket(acting_user=admin_user)
    previous = None
    for number in range(80):
        files = [SimpleUploadedFile(f"log-{number}.txt", b"x", "text/plain")] if number % 10 == 0 else []
        previous = conversation.comment_add(ticket=ticket, acting_user=admin_user, body=f"Note {number}",
                                            is_internal=True, parent=previous if number % 2 else None, files=files)
    # when / then: the page as with 11 messages; each live-refresh fragment reads only what it draws
    with assert_queries(14):
        page = admin_client1.get(f"/tickets/{ticket.pk}/").content.decode()
    assert page.count('data-testid="comment"') == 60 and page.count("bi-paperclip") == 6
    with assert_queries(6):  # tenant, user, groups, ticket, the thread order, the visible rows
        admin_client1.get(f"/tickets/{ticket.pk}/", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="ticket-conversation")
    with assert_queries(9):  # tenant, user, groups, ticket, agents, time, files, emails, history
        admin_client1.get(f"/tickets/{ticket.pk}/", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="ticket-side")


def test_replying_in_place_returns_a_fresh_box_and_the_thread(admin_client1, admin_user):
    ticket = make_ticket(acting_user=admin_user)
    response = admin_client1.post(f"/tickets/{ticket.pk}/comments/", {"body": "Have you tried turning it off?"},
                                  HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="reply-form"' in html and re.search(r'<section id="ticket-conversation"[^>]*hx-swap-oob="true"', html)
    assert "Have you tried turning it off?" in html
    assert_valid_html(html, fragment=True)
    empty = admin_client1.post(f"/tickets/{ticket.pk}/comments/", {"body": "", "is_internal": "on"},
                               HTTP_HX_REQUEST="true")
    assert empty.status_code == 422 and "This field is required." in empty.content.decode()
    assert Comment.objects.count() == 1


def test_status_priority_and_assignment_change_in_place(admin_client1, admin_user):
    ticket = make_ticket(acting_user=admin_user)
    side = admin_client1.post(f"/tickets/{ticket.pk}/assign/", {"assignee": "me"}, HTTP_HX_REQUEST="true")
    assert side.status_code == 200 and 'id="ticket-side"' in side.content.decode()
    admin_client1.post(f"/tickets/{ticket.pk}/priority/", {"priority": "urgent"}, HTTP_HX_REQUEST="true")
    admin_client1.post(f"/tickets/{ticket.pk}/status/", {"status": "in_progress"}, HTTP_HX_REQUEST="true")
    ticket.refresh_from_db()
    assert (ticket.assignee, ticket.priority, ticket.status) == (admin_user, "urgent", "in_progress")
    assert_valid_html(side.content.decode(), fragment=True)


def test_read_only_users_see_tickets_without_controls(client_for, make_user, admin_user):
    ticket = make_ticket(acting_user=admin_user)
    viewer = client_for(make_user(role="Read-only"))
    html = viewer.get(f"/tickets/{ticket.pk}/").content.decode()
    assert 'id="reply-form"' not in html and 'data-testid="status-select"' not in html
    assert viewer.post(f"/tickets/{ticket.pk}/status/", {"status": "closed"}).status_code == 403


def test_attachments_download_only_through_their_ticket(admin_client1, admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ticket, other = make_ticket(acting_user=admin_user), make_ticket(acting_user=admin_user)
    admin_client1.post(f"/tickets/{ticket.pk}/comments/", {
        "body": "Logs attached", "files": [SimpleUploadedFile("router.log", b"link down", "text/plain")]})
    attachment = ticket.attachments.get()
    response = admin_client1.get(f"/tickets/{ticket.pk}/attachments/{attachment.pk}/")
    assert b"".join(response.streaming_content) == b"link down"
    assert response["Content-Disposition"] == 'attachment; filename="router.log"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert admin_client1.get(f"/tickets/{other.pk}/attachments/{attachment.pk}/").status_code == 404
    refused = admin_client1.post(f"/tickets/{ticket.pk}/comments/", {
        "body": "Installer", "files": [SimpleUploadedFile("setup.exe", b"MZ")]}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 422 and "setup.exe: files of this type cannot be attached" in refused.content.decode()
    assert "Installer" in refused.content.decode()  # what was typed stays


def test_changes_signal_open_ticket_pages_and_lists_live(admin_user, django_capture_on_commit_callbacks):
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(topic_group_name(schema="test1", topic="tickets"), channel)
    with django_capture_on_commit_callbacks(execute=True):
        ticket = make_ticket(acting_user=admin_user)
    message = async_to_sync(layer.receive)(channel)
    assert f'data-live-signal="tickets-changed ticket-{ticket.pk}-changed"' in message["html"]


def test_the_customer_page_has_a_tickets_tab(admin_client1, admin_user):
    ticket = make_ticket(acting_user=admin_user, subject="Door entry phone")
    tab = admin_client1.get(f"/customers/{ticket.customer_id}/tickets/", HTTP_HX_REQUEST="true").content.decode()
    assert "T-000001" in tab and "Door entry phone" in tab
    assert_valid_html(tab, fragment=True)


def test_a_long_conversation_opens_on_its_latest_messages(admin_client1, admin_user):
    ticket = make_ticket(acting_user=admin_user)
    for number in range(65):
        conversation.comment_add(ticket=ticket, acting_user=admin_user, body=f"Message {number:02d}", is_internal=True)
    html = admin_client1.get(f"/tickets/{ticket.pk}/").content.decode()
    assert html.count('data-testid="comment"') == 60 and "Show 5 earlier messages" in html
    assert "Message 04" not in html and "Message 05" in html
    everything = admin_client1.get(f"/tickets/{ticket.pk}/", {"all": "1"}, HTTP_HX_REQUEST="true",
                                   HTTP_HX_TARGET="ticket-conversation").content.decode()
    assert everything.count('data-testid="comment"') == 65 and "earlier message" not in everything


def test_ticket_events_are_on_the_customer_timeline_with_their_own_filter(admin_client1, admin_user):
    ticket = make_ticket(acting_user=admin_user, subject="Door entry phone")
    page = admin_client1.get(f"/customers/{ticket.customer_id}/").content.decode()
    assert '<option value="helpdesk.ticket">Tickets</option>' in page
    only_tickets = admin_client1.get(f"/customers/{ticket.customer_id}/timeline/", {"kind": "helpdesk.ticket"},
                                     HTTP_HX_REQUEST="true").content.decode()
    assert "opened ticket T-000001 “Door entry phone” (Medium)" in only_tickets


def test_the_new_ticket_page_starts_with_a_valid_customer_search(admin_client1):
    page = admin_client1.get("/tickets/new/", {"q": "nobody-matches-this"}).content.decode()
    assert "No customer matches." in page and 'hx-get="/tickets/new/"' in page
    assert_valid_html(page)


def test_a_ticket_can_point_to_a_quote_of_its_customer_only(admin_client1, admin_user):
    from quotes.services.quotes import quote_create

    ticket = make_ticket(acting_user=admin_user)
    quote = quote_create(customer=ticket.customer, acting_user=admin_user, title="Door entry upgrade")
    stranger = quote_create(customer=CustomerFactory(), acting_user=admin_user, title="Not theirs")
    data = {"subject": ticket.subject, "type": "incident"}
    refused = admin_client1.post(f"/tickets/{ticket.pk}/edit/", {**data, "quote": stranger.pk})
    assert refused.status_code == 422  # not one of this customer's quotes
    admin_client1.post(f"/tickets/{ticket.pk}/edit/", {**data, "quote": quote.pk})
    ticket.refresh_from_db()
    assert ticket.quote == quote
    page = admin_client1.get(f"/tickets/{ticket.pk}/").content.decode()
    assert f'href="/quotes/{quote.pk}/" data-testid="ticket-quote"' in page
