"""Email in against a real IMAP server: Dovecot started by the tests (helpdesk/tests/imap_server.py), fixtures
delivered by IMAP APPEND, the mailbox polled exactly as the beat job does."""

from pathlib import Path

import pytest
from django.db import connection

from core.models import Event, OutboundEmail
from crm.models import Contact, ContactEmail
from crm.tests.factories import CustomerFactory
from helpdesk.errors import HelpdeskError
from helpdesk.mail.imap import MailboxError, mailbox_poll, mailbox_test_connection, mailboxes_poll
from helpdesk.mail.route import inbound_message_assign
from helpdesk.models import Comment, InboundMessage, Mailbox, Ticket, TicketSource, TicketStatus
from helpdesk.tests.factories import make_ticket
from helpdesk.tests.imap_server import dovecot_available, dovecot_start

FIXTURES = Path(__file__).parent / "fixtures" / "mail"
TOKEN = "0123456789abcdef"


@pytest.fixture(scope="module")
def imap_server():
    if not dovecot_available():
        pytest.skip("Dovecot is not installed: apt-get install dovecot-imapd (scripts/setup_env.sh --test does it)")
    server = dovecot_start()
    yield server
    server.stop()


@pytest.fixture
def imap(imap_server):
    imap_server.reset()
    return imap_server


@pytest.fixture
def mailbox(tenant1, imap):
    return Mailbox.objects.create(host=imap.host, port=imap.port, security="none", username=imap.username,
                                  password=imap.password, is_enabled=True)


@pytest.fixture
def harbour(tenant1):
    """A customer with a known contact and a resolved ticket whose reply token the reply fixtures use."""
    customer = CustomerFactory(name="Harbour Dental", website="https://www.harbourdental.co.uk")
    ann = Contact.objects.create(customer=customer, first_name="Ann", last_name="Lee", is_primary=True)
    ContactEmail.objects.create(contact=ann, address="ann.lee@harbourdental.co.uk", is_primary=True)
    ticket = make_ticket(customer=customer, contact=ann, subject="Printer offline in surgery 2")
    Ticket.objects.filter(pk=ticket.pk).update(reply_token=TOKEN, status=TicketStatus.RESOLVED)
    ticket.refresh_from_db()
    return customer, ann, ticket


def deliver(imap, *names):
    for name in names:
        imap.append((FIXTURES / name).read_bytes())


def outcome(message_id: str) -> InboundMessage:
    return InboundMessage.objects.select_related("ticket", "comment").get(message_id=message_id)


def test_a_poll_routes_every_kind_of_message_and_one_failure_stops_nothing(harbour, mailbox, imap):
    # given
    customer, ann, resolved = harbour
    archived = CustomerFactory(name="Old Clinic")
    dan = Contact.objects.create(customer=archived, first_name="Dan", last_name="Old")
    ContactEmail.objects.create(contact=dan, address="dan@oldclinic.example")
    archived.archived_at = resolved.created_at
    archived.save()
    deliver(imap, "plain.eml", "html_only.eml", "archived_customer_contact.eml", "attachments.eml", "forwarded.eml",
            "windows1252.eml", "reply_subject_changed.eml", "reply_token_only.eml", "subject_only.eml",
            "auto_reply.eml", "bounce.eml", "unknown_sender_known_domain.eml", "free_mail_unknown.eml")
    emails_before = OutboundEmail.objects.count()

    # when
    result = mailbox_poll(mailbox=mailbox)

    # then: every message has its outcome, the broken one among them
    assert (result.processed, result.failed, result.more) == (12, 1, False)
    failed = outcome("<old-1@oldclinic.example>")
    assert failed.outcome == "failed" and "Old Clinic is archived" in failed.error and bytes(failed.raw)

    plain = outcome("<plain-1@mail.harbourdental.co.uk>")
    assert plain.outcome == "new_ticket"
    assert (plain.ticket.customer, plain.ticket.contact, plain.ticket.source) == (customer, ann, TicketSource.EMAIL)
    assert plain.ticket.subject == "Printer offline in surgery 2" and plain.ticket.pk != resolved.pk
    assert plain.ticket.description.startswith("Hello,\n\nThe printer in surgery 2 shows")

    html = outcome("<html-1@mail.harbourdental.co.uk>").ticket
    assert html.description == 'The viewer crashes when opening "large" images & scans.\n\n- Room 1\n\n- Room 3'

    attached = outcome("<attach-1@mail.harbourdental.co.uk>").ticket
    assert sorted(attached.attachments.values_list("file_name", flat=True)) == ["image-1.png", "scanner-report.pdf"]
    pdf = attached.attachments.get(file_name="scanner-report.pdf")
    assert (pdf.content_type, pdf.file.read()[:8]) == ("application/pdf", b"%PDF-1.4")
    assert "[Attachment not kept: fix.exe: files of this type cannot be attached" in attached.description

    forwarded = outcome("<fwd-1@mail.harbourdental.co.uk>").ticket
    assert "harbourdental.co.uk expires on 1 December 2026." in forwarded.description

    accented = outcome("<cp1252-1@mail.harbourdental.co.uk>").ticket
    assert (accented.subject, accented.description) == ("Facture à £50", "Le café a payé £50 – merci.")

    # a reply whose subject changed still threads by its headers, and reopens the resolved ticket
    reply = outcome("<reply-1@mail.harbourdental.co.uk>")
    assert (reply.outcome, reply.ticket) == ("appended", resolved)
    assert reply.comment.body == "It works again after the restart, thank you."
    assert (reply.comment.author_contact, reply.comment.is_internal) == (ann, False)
    assert reply.comment.message_id == "<reply-1@mail.harbourdental.co.uk>"
    assert "Please restart the printer." in reply.full_text
    resolved.refresh_from_db()
    assert resolved.status == TicketStatus.OPEN and resolved.resolved_at is None
    kinds = list(Event.objects.filter(subject_id=str(resolved.pk), subject_type__model="ticket")
                 .order_by("id").values_list("kind", "data__to"))
    assert ("helpdesk.ticket_email_received", None) in kinds and ("helpdesk.ticket_status_changed", "Open") in kinds

    token = outcome("<token-1@mail.harbourdental.co.uk>")
    assert (token.outcome, token.ticket, token.comment.body) == ("appended", resolved, "Still broken after all.")

    # the subject names T-000001 but nothing else links it: a new ticket, never threaded by subject
    by_subject = outcome("<subject-1@mail.harbourdental.co.uk>")
    assert by_subject.outcome == "new_ticket" and by_subject.ticket != resolved

    auto = outcome("<ooo-1@mail.harbourdental.co.uk>")
    bounce = outcome("<bounce-1@mx.harbourdental.co.uk>")
    assert (auto.outcome, auto.comment, bounce.outcome, bounce.comment) == ("auto_reply", None, "bounce", None)
    assert Comment.objects.filter(ticket=resolved).count() == 2

    bob = outcome("<bob-1@mail.harbourdental.co.uk>")
    assert (bob.outcome, bob.ticket.customer, bob.ticket.contact) == ("new_ticket", customer, None)
    assert bob.ticket.description.startswith("From bob.stone@harbourdental.co.uk\n\n")

    free = outcome("<CAF+free-1@mail.gmail.com>")
    assert (free.outcome, free.ticket, free.sender) == ("unmatched", None, "carol.smith1987@gmail.com")
    assert b"I cannot get my email" in bytes(free.raw)

    # acknowledgements go to known contacts of new tickets only: none for auto-replies, bounces or replies
    new_emails = OutboundEmail.objects.order_by("id")[emails_before:]
    assert [email.subject for email in new_emails] == [
        f"[{t.reference}] {t.subject}" for t in Ticket.objects.filter(
            source=TicketSource.EMAIL, contact=ann).order_by("id")]
    assert len(new_emails) == 6 and {email.to for email in new_emails} == {"ann.lee@harbourdental.co.uk"}

    # nothing is read twice: all seen on the server, and a second poll finds nothing
    client = imap.connect()
    client.select("INBOX")
    assert client.uid("SEARCH", None, "UNSEEN")[1] == [b""]
    client.logout()
    count = InboundMessage.objects.count()
    assert mailbox_poll(mailbox=mailbox).processed == 0
    assert InboundMessage.objects.count() == count == 13
    mailbox.refresh_from_db()
    assert (mailbox.last_error, mailbox.last_uid) == ("", 13) and mailbox.last_polled_at is not None


def test_a_message_delivered_again_is_not_processed_again(harbour, mailbox, imap):
    deliver(imap, "plain.eml")
    mailbox_poll(mailbox=mailbox)
    deliver(imap, "plain.eml")  # the same Message-ID, a new UID, unseen
    mailbox.refresh_from_db()
    result = mailbox_poll(mailbox=mailbox)
    assert result.processed == 1
    assert Ticket.objects.filter(source=TicketSource.EMAIL).count() == 1
    assert InboundMessage.objects.count() == 1


def test_the_batch_is_bounded_and_the_next_poll_continues(harbour, mailbox, imap):
    deliver(imap, "plain.eml", "html_only.eml", "forwarded.eml")
    first = mailbox_poll(mailbox=mailbox, batch_size=2)
    assert (first.processed, first.more) == (2, True)
    second = mailbox_poll(mailbox=mailbox, batch_size=2)
    assert (second.processed, second.more) == (1, False)
    assert Ticket.objects.filter(source=TicketSource.EMAIL).count() == 3


def test_processed_messages_move_to_a_processed_folder_when_there_is_one(harbour, mailbox, imap):
    client = imap.connect()
    client.create("Processed")
    client.logout()
    deliver(imap, "plain.eml", "bounce.eml")
    assert mailboxes_poll() == 2  # the beat job's entry point
    client = imap.connect()
    assert client.select("INBOX")[1] == [b"0"]
    assert client.select("Processed")[1] == [b"2"]
    client.logout()


def test_a_new_uidvalidity_restarts_the_uids_without_reading_anything_twice(harbour, mailbox, imap):
    deliver(imap, "plain.eml")
    mailbox_poll(mailbox=mailbox)
    Mailbox.objects.filter(pk=mailbox.pk).update(uid_validity=1, last_uid=999)  # as if the folder was recreated
    mailbox.refresh_from_db()
    client = imap.connect()
    client.select("INBOX")
    client.store("1:*", "-FLAGS", "\\Seen")
    client.logout()
    deliver(imap, "html_only.eml")
    assert mailbox_poll(mailbox=mailbox).processed == 2  # plain.eml is seen again but recognised by its Message-ID
    assert Ticket.objects.filter(source=TicketSource.EMAIL).count() == 2
    mailbox.refresh_from_db()
    assert mailbox.uid_validity != 1 and mailbox.last_uid == 2


def test_connection_errors_are_exact_and_never_show_the_password(tenant1, imap):
    with pytest.raises(MailboxError) as error:
        mailbox_test_connection(host=imap.host, port=imap.port, security="none", username=imap.username,
                                password="wrong-horse-battery", folder="INBOX")
    assert "AUTHENTICATIONFAILED" in str(error.value) and "wrong-horse-battery" not in str(error.value)
    assert mailbox_test_connection(host=imap.host, port=imap.port, security="none", username=imap.username,
                                   password=imap.password, folder="INBOX").endswith("INBOX holds 0 messages.")
    with pytest.raises(MailboxError, match="Folder 'Nope' cannot be opened"):
        mailbox_test_connection(host=imap.host, port=imap.port, security="none", username=imap.username,
                                password=imap.password, folder="Nope")
    with pytest.raises(MailboxError, match="only a server on this machine"):
        mailbox_test_connection(host="imap.example.com", port=143, security="none", username="u", password="p",
                                folder="INBOX")
    with pytest.raises(MailboxError, match="ConnectionRefusedError"):
        mailbox_test_connection(host="127.0.0.1", port=1, security="none", username="u", password="p", folder="INBOX")

    mailbox = Mailbox.objects.create(host=imap.host, port=imap.port, security="none", username=imap.username,
                                     password="wrong-horse-battery", is_enabled=True)
    mailbox_poll(mailbox=mailbox)
    mailbox.refresh_from_db()
    assert "AUTHENTICATIONFAILED" in mailbox.last_error and "wrong-horse-battery" not in mailbox.last_error
    with connection.cursor() as cursor:
        cursor.execute("SELECT password FROM helpdesk_mailbox WHERE id = %s", [mailbox.pk])
        stored = cursor.fetchone()[0]
    assert stored.startswith("gAAAAA") and "wrong-horse-battery" not in stored  # Fernet ciphertext at rest


def test_an_unmatched_message_is_assigned_to_a_customer_and_opens_its_ticket(harbour, mailbox, imap, admin_user):
    deliver(imap, "free_mail_unknown.eml")
    mailbox_poll(mailbox=mailbox)
    message = InboundMessage.objects.get()
    customer = CustomerFactory(name="Carol's Salon")
    ticket = inbound_message_assign(message=message, customer=customer, acting_user=admin_user)
    message.refresh_from_db()
    assert (message.outcome, message.ticket, message.assigned_by, message.raw) == ("new_ticket", ticket, admin_user,
                                                                                    None)
    assert (ticket.customer, ticket.subject, ticket.source) == (customer, "Help with my email", "email")
    assert ticket.description == "From carol.smith1987@gmail.com\n\nI cannot get my email on my new phone."
    with pytest.raises(HelpdeskError, match="already been dealt with"):
        inbound_message_assign(message=message, customer=customer, acting_user=admin_user)


def test_the_ticket_page_shows_the_trimmed_reply_with_the_whole_email_behind_it(harbour, mailbox, imap,
                                                                                 admin_client1):
    _customer, _ann, ticket = harbour
    deliver(imap, "reply_subject_changed.eml")
    mailbox_poll(mailbox=mailbox)
    html = admin_client1.get(f"/tickets/{ticket.pk}/").content.decode()
    assert "It works again after the restart, thank you." in html
    assert 'data-testid="comment-full-email"' in html and "&gt; Please restart the printer." in html


def test_nul_bytes_which_postgresql_cannot_store_are_dropped_not_fatal(harbour):
    from helpdesk.mail.route import inbound_message_process

    raw = (b"From: Ann Lee <ann.lee@harbourdental.co.uk>\r\nSubject: Printer\x00 jam\r\nMessage-ID: <nul-1@x>\r\n"
           b"Content-Type: text/plain; charset=utf-8\r\n\r\nPaper\x00 stuck.\r\n")
    message = inbound_message_process(raw=raw)
    assert message.outcome == "new_ticket", message.error
    assert (message.ticket.subject, message.ticket.description) == ("Printer jam", "Paper stuck.")


def test_a_password_that_is_not_ascii_signs_in_with_authenticate_plain(tenant1, imap):
    from helpdesk.tests.imap_server import UNICODE_PASSWORD, UNICODE_USERNAME

    assert "holds 0 messages" in mailbox_test_connection(
        host=imap.host, port=imap.port, security="none", username=UNICODE_USERNAME, password=UNICODE_PASSWORD,
        folder="INBOX")
    with pytest.raises(MailboxError) as error:
        mailbox_test_connection(host=imap.host, port=imap.port, security="none", username=UNICODE_USERNAME,
                                password="faux mot de passe £", folder="INBOX")
    assert "faux mot de passe" not in str(error.value)


def test_after_the_first_poll_a_message_someone_already_read_is_still_taken(harbour, mailbox, imap):
    imap.append((FIXTURES / "plain.eml").read_bytes(), flags="\\Seen")  # old mail, read before the helpdesk came
    deliver(imap, "html_only.eml")
    assert mailbox_poll(mailbox=mailbox).processed == 1  # first poll: only what is unread
    imap.append((FIXTURES / "forwarded.eml").read_bytes(), flags="\\Seen")  # read in Outlook before the poll
    assert mailbox_poll(mailbox=mailbox).processed == 1
    assert sorted(InboundMessage.objects.values_list("message_id", flat=True)) == [
        "<fwd-1@mail.harbourdental.co.uk>", "<html-1@mail.harbourdental.co.uk>"]
