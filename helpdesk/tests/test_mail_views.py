"""The mailbox settings page and the unmatched-message pages as Managers and agents use them."""

from django.db import connection

from core.models import Event
from crm.tests.factories import CustomerFactory
from helpdesk.models import InboundMessage, Mailbox, Ticket
from helpdesk.tests.test_mail_imap import imap, imap_server  # noqa: F401 - the real IMAP server fixtures
from tests.html_validity import assert_valid_html


def test_settings_page_saves_encrypted_and_never_echoes_the_password(admin_client1):
    # given / when
    response = admin_client1.post("/helpdesk/mailbox/", {
        "host": "imap.example.com", "port": "993", "security": "tls", "username": "support@example.com",
        "password": "hunter2-secret", "folder": "INBOX", "is_enabled": "on"})
    # then
    assert response.status_code == 302
    mailbox = Mailbox.objects.get()
    assert (mailbox.host, mailbox.password, mailbox.is_enabled) == ("imap.example.com", "hunter2-secret", True)
    page = admin_client1.get("/helpdesk/mailbox/").content.decode()
    assert "hunter2-secret" not in page and 'name="password"' in page
    assert_valid_html(page)
    event = Event.objects.get(kind="helpdesk.mailbox_changed")
    assert "hunter2-secret" not in str(event.data) and "password" in event.data["fields"]

    # blank keeps the stored password
    admin_client1.post("/helpdesk/mailbox/", {"host": "imap.example.com", "port": "993", "security": "tls",
                                              "username": "other@example.com", "password": "", "folder": "INBOX"})
    mailbox.refresh_from_db()
    assert (mailbox.username, mailbox.password, mailbox.is_enabled) == ("other@example.com", "hunter2-secret", False)


def test_no_tls_is_refused_for_a_remote_server(admin_client1):
    response = admin_client1.post("/helpdesk/mailbox/", {
        "host": "imap.example.com", "port": "143", "security": "none", "username": "u", "password": "p",
        "folder": "INBOX"})
    assert response.status_code == 422 and "only allowed for a server on this machine" in response.content.decode()
    assert not Mailbox.objects.exists()


def test_test_connection_reports_success_or_the_exact_error(admin_client1, imap):  # noqa: F811
    settings = {"host": imap.host, "port": str(imap.port), "security": "none", "username": imap.username,
                "folder": "INBOX"}
    good = admin_client1.post("/helpdesk/mailbox/test/", {**settings, "password": imap.password},
                              HTTP_HX_REQUEST="true").content.decode()
    assert "alert-success" in good and "INBOX holds 0 messages." in good and "<html" not in good
    assert_valid_html(good, fragment=True)
    bad = admin_client1.post("/helpdesk/mailbox/test/", {**settings, "password": "wrong-horse-battery"},
                             HTTP_HX_REQUEST="true").content.decode()
    assert "alert-danger" in bad and "AUTHENTICATIONFAILED" in bad and "wrong-horse-battery" not in bad
    assert not Mailbox.objects.exists()  # testing saves nothing
    # with the stored password when the field is left blank
    Mailbox.objects.create(host=imap.host, port=imap.port, security="none", username=imap.username,
                           password=imap.password)
    kept = admin_client1.post("/helpdesk/mailbox/test/", {**settings, "password": ""},
                              HTTP_HX_REQUEST="true").content.decode()
    assert "alert-success" in kept


def test_an_agent_assigns_an_unmatched_message_to_a_customer(client_for, make_user, tenant1, assert_queries):
    # given
    agent = make_user(role="Support agent", email="agent@test1.example.com")
    client = client_for(agent)
    raw = (b"From: Carol <carol@gmail.com>\r\nSubject: Phone email\r\nMessage-ID: <c1@gmail.com>\r\n\r\n"
           b"My email stopped.\r\n")
    message = InboundMessage.objects.create(message_id="<c1@gmail.com>", sender="carol@gmail.com",
                                            sender_name="Carol", subject="Phone email", outcome="unmatched",
                                            full_text="My email stopped.", raw=raw)
    InboundMessage.objects.create(message_id="<done@x>", sender="a@x.com", subject="Done", outcome="new_ticket")
    customer = CustomerFactory(name="Carol's Salon")
    # when
    with assert_queries(8):  # tenant, user, 2 perms, count, mailbox, notifications, groups, rows
        listing = client.get("/helpdesk/mail/")
    html = listing.content.decode()
    assert html.count('data-testid="inbound-row"') == 1 and "Phone email" in html  # only what waits for a person
    assert_valid_html(html)
    with assert_queries(5):  # tenant, user, groups, the message, notifications (permissions cached; gmail.com: no lookup)
        detail = client.get(f"/helpdesk/mail/{message.pk}/").content.decode()
    assert "My email stopped." in detail
    assert_valid_html(detail)
    matches = client.get(f"/helpdesk/mail/{message.pk}/", {"q": "salon"}, HTTP_HX_REQUEST="true",
                         HTTP_HX_TARGET="customer-matches").content.decode()
    assert "Carol&#x27;s Salon" in matches and "<html" not in matches
    response = client.post(f"/helpdesk/mail/{message.pk}/assign/", {"customer": customer.pk})
    # then
    ticket = Ticket.objects.get()
    assert response["Location"] == f"/tickets/{ticket.pk}/"
    assert (ticket.customer, ticket.source, ticket.created_by) == (customer, "email", agent)
    message.refresh_from_db()
    assert (message.outcome, message.ticket, message.assigned_by) == ("new_ticket", ticket, agent)
    again = client.post(f"/helpdesk/mail/{message.pk}/assign/", {"customer": customer.pk})
    assert again.status_code == 302 and Ticket.objects.count() == 1
    assert connection.schema_name == "test1"


def test_read_only_users_see_messages_but_cannot_assign(client_for, make_user, tenant1):
    reader = make_user(role="Read-only", email="reader@test1.example.com")
    message = InboundMessage.objects.create(message_id="<r@gmail.com>", sender="r@gmail.com", outcome="unmatched",
                                            raw=b"Subject: x\r\n\r\nx")
    client = client_for(reader)
    page = client.get(f"/helpdesk/mail/{message.pk}/").content.decode()
    assert "Assign to a customer" not in page
    assert client.post(f"/helpdesk/mail/{message.pk}/assign/", {"customer": CustomerFactory().pk}).status_code == 403


def test_check_now_reads_the_mailbox_through_the_task(admin_client1, imap, django_capture_on_commit_callbacks):  # noqa: F811
    from helpdesk.tests.test_mail_imap import FIXTURES

    assert admin_client1.post("/helpdesk/mailbox/poll/").status_code == 302  # no mailbox yet: says so, does nothing
    mailbox = Mailbox.objects.create(host=imap.host, port=imap.port, security="none", username=imap.username,
                                     password=imap.password, is_enabled=True)
    imap.append((FIXTURES / "free_mail_unknown.eml").read_bytes())
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client1.post("/helpdesk/mailbox/poll/")
    assert response["Location"] == "/helpdesk/mailbox/"
    assert InboundMessage.objects.get().outcome == "unmatched"
    mailbox.refresh_from_db()
    assert mailbox.last_polled_at is not None and mailbox.last_error == ""
