"""Emailing a quote: the service (freeze, email row, PDF attached, portal link, timeline), delivery through a real
SMTP server (aiosmtpd), failure and resend as the builder shows them, and who may do it."""

from __future__ import annotations

import email
import email.policy
import socket
from decimal import Decimal as D

import pytest
from aiosmtpd.controller import Controller
from django.core import mail

from core.event_kinds import event_describe
from core.models import EmailStatus, Event, Notification, OutboundEmail
from quotes.errors import QuoteError
from quotes.links import quote_portal_url
from quotes.models import PricingSettings, QuoteEmail, QuoteRevision, QuoteStatus
from quotes.services import sending
from quotes.tests.test_pdf import build_quote, flat, pdf_text

MESSAGE = "Dear Priya,\n\nPlease find our quote attached.\n\nKind regards,\nAda"


def email_quote(quote, user, **overrides):
    fields = {"to": "priya.shah@northgate.example", "cc": ["bursar@northgate.example"],
              "subject": "Quote Q-2026-00001 R1: Wi-Fi refresh, Upper School", "message": MESSAGE, **overrides}
    return sending.quote_email_send(quote=quote, acting_user=user, **fields)


# ------------------------------------------------------------------------------------------------- service

def test_emailing_freezes_r1_and_sends_the_pdf_with_the_portal_link(admin_user, admin_client1,
                                                                    django_capture_on_commit_callbacks):
    # given
    quote = build_quote(admin_user)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        sent = email_quote(quote, admin_user)
    # then the quote is sent and R1 frozen
    quote.refresh_from_db()
    assert (quote.status, list(quote.revisions.values_list("number", flat=True))) == (QuoteStatus.SENT, [1])
    # the email row names the recipients, the topic and the stored PDF, and was delivered
    outbound = OutboundEmail.objects.get()
    assert sent.message == outbound and sent.revision == QuoteRevision.objects.get(quote=quote)
    assert (outbound.to, outbound.cc, outbound.subject, outbound.topic, outbound.status, outbound.reply_to) == (
        "priya.shah@northgate.example", ["bursar@northgate.example"],
        "Quote Q-2026-00001 R1: Wi-Fi refresh, Upper School", f"quotes.quote:{quote.pk}", EmailStatus.SENT,
        "admin@test1.example.com")
    assert outbound.attachments == [{"path": f"tenants/test1/quotes/{quote.pk}/Q-2026-00001-R1.pdf",
                                     "name": "Q-2026-00001-R1.pdf", "content_type": "application/pdf"}]
    portal = f"https://test1.localhost/portal/quotes/{quote.pk}/"
    assert quote_portal_url(quote) == portal
    # what left: the message as typed, the portal link, the PDF of R1
    (delivered,) = mail.outbox
    assert (delivered.to, delivered.cc) == (["priya.shah@northgate.example"], ["bursar@northgate.example"])
    assert delivered.body.startswith(MESSAGE + "\n\nView quote Q-2026-00001 R1 online, and accept it there:\n" + portal)
    assert f'href="{portal}"' in delivered.alternatives[0][0]
    ((name, content, content_type),) = delivered.attachments
    assert (name, content_type) == ("Q-2026-00001-R1.pdf", "application/pdf") and content.startswith(b"%PDF-")
    assert "Total (GBP) £3,928.32" in flat(pdf_text(content, "-layout"))
    # and the customer's timeline says so
    event = Event.objects.get(kind="quotes.quote_emailed")
    assert (event.customer_id, event.actor, event_describe(event)) == (
        quote.customer_id, admin_user,
        "emailed quote Q-2026-00001 R1 to priya.shah@northgate.example (cc bursar@northgate.example)")
    timeline = admin_client1.get(f"/customers/{quote.customer_id}/").content.decode()
    assert "emailed quote Q-2026-00001 R1 to priya.shah@northgate.example (cc bursar@northgate.example)" in timeline


def test_the_dialog_starts_with_the_contact_a_subject_and_a_message(admin_user):
    # given a second contact with two addresses
    quote = build_quote(admin_user)
    other = quote.customer.contacts.create(first_name="Ben", last_name="Ola")
    other.emails.create(address="ben@northgate.example", is_primary=False)
    other.emails.create(address="b.ola@northgate.example", is_primary=True)
    # when
    defaults = sending.quote_email_defaults(quote=quote, acting_user=admin_user)
    recipients = sending.quote_recipients(quote=quote)
    # then
    assert (defaults["to"], defaults["cc"], defaults["subject"]) == (
        "priya.shah@northgate.example", "", "Quote Q-2026-00001 R1: Wi-Fi refresh, Upper School")
    assert defaults["message"] == (
        "Dear Priya,\n\nPlease find attached our quote Q-2026-00001 R1 for Wi-Fi refresh, Upper School. "
        "It is valid until 30 December 2026.\n\nYou can also read it online and accept it there, using the link "
        "below this message.\n\nIf anything needs changing, just reply to this email.\n\nKind regards,\nAda Admin\n"
        "Test company 1")
    assert recipients == [("priya.shah@northgate.example", "Priya Shah <priya.shah@northgate.example>"),
                          ("b.ola@northgate.example", "Ben Ola <b.ola@northgate.example>"),
                          ("ben@northgate.example", "Ben Ola <ben@northgate.example>")]


@pytest.mark.parametrize("fields, message", [
    ({"to": ""}, "Say who the quote goes to."),
    ({"to": "priya at northgate"}, "To: “priya at northgate” is not an email address."),
    ({"cc": ["bursar@"]}, "Cc: “bursar@” is not an email address."),
    ({"subject": "  "}, "Give the email a subject."),
    ({"message": "\n"}, "Write a message to go with the quote."),
])
def test_a_bad_address_or_an_empty_field_is_refused_and_nothing_is_sent(admin_user, fields, message):
    # given
    quote = build_quote(admin_user)
    # when / then
    with pytest.raises(QuoteError, match=message):
        email_quote(quote, admin_user, **fields)
    quote.refresh_from_db()
    assert (quote.status, QuoteRevision.objects.count(), OutboundEmail.objects.count()) == ("draft", 0, 0)


def test_copies_are_read_from_one_field_without_repeats():
    assert sending.parse_copies("a@x.example, b@x.example;\nA@x.example  c@x.example") == [
        "a@x.example", "b@x.example", "c@x.example"]
    with pytest.raises(QuoteError, match="Copy at most 10 addresses."):
        sending.parse_copies(",".join(f"p{n}@x.example" for n in range(11)))


def test_a_quote_waiting_for_approval_is_not_emailed(admin_user):
    # given a tenant rule that holds back quotes above 1,000.00
    PricingSettings.objects.update(approval_total_above=D("1000.00"))
    quote = build_quote(admin_user)
    # when / then
    with pytest.raises(QuoteError, match="A manager must approve this quote before it is sent: The total 3273.60"):
        email_quote(quote, admin_user)
    assert (QuoteRevision.objects.count(), OutboundEmail.objects.count(), QuoteEmail.objects.count()) == (0, 0, 0)


def test_a_sent_quote_is_not_emailed_again_without_a_revision(admin_user):
    # given
    quote = build_quote(admin_user)
    email_quote(quote, admin_user)
    # when / then
    with pytest.raises(QuoteError, match="Only a draft can be sent; revise a sent quote first."):
        email_quote(quote, admin_user)
    assert OutboundEmail.objects.count() == 1


def test_only_a_failed_email_is_sent_again(admin_user):
    # given an email still queued
    quote = build_quote(admin_user)
    sent = email_quote(quote, admin_user)
    # when / then
    with pytest.raises(QuoteError, match="Only an email that failed can be sent again; this one is queued."):
        sending.quote_email_resend(sent=sent, acting_user=admin_user)


# ------------------------------------------------------------------------------------- real SMTP delivery

class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append((envelope.rcpt_tos, email.message_from_bytes(envelope.content, policy=email.policy.default)))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _use_smtp(settings, port: int) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""


@pytest.fixture
def smtp(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    _use_smtp(settings, controller.port)
    yield inbox
    controller.stop()


def test_the_email_arrives_at_a_real_smtp_server_with_the_pdf_attached(smtp, admin_user,
                                                                      django_capture_on_commit_callbacks):
    # given
    quote = build_quote(admin_user)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        email_quote(quote, admin_user)
    # then
    ((recipients, received),) = smtp.messages
    assert sorted(recipients) == ["bursar@northgate.example", "priya.shah@northgate.example"]
    assert (received["To"], received["Cc"], received["Subject"], received["Reply-To"]) == (
        "priya.shah@northgate.example", "bursar@northgate.example",
        "Quote Q-2026-00001 R1: Wi-Fi refresh, Upper School", "admin@test1.example.com")
    (attachment,) = list(received.iter_attachments())
    assert (attachment.get_filename(), attachment.get_content_type()) == ("Q-2026-00001-R1.pdf", "application/pdf")
    content = attachment.get_content()
    assert content.startswith(b"%PDF-") and "Q-2026-00001 R1" in pdf_text(content)
    text = received.get_body(preferencelist=("plain",)).get_content()
    assert f"https://test1.localhost/portal/quotes/{quote.pk}/" in text
    assert OutboundEmail.objects.get().status == EmailStatus.SENT


def test_a_refused_delivery_retries_shows_on_the_quote_and_can_be_sent_again(settings, admin_user, admin_client1,
                                                                             django_capture_on_commit_callbacks):
    # given an SMTP server that does not answer
    _use_smtp(settings, _free_port())
    settings.CELERY_TASK_EAGER_PROPAGATES = False
    quote = build_quote(admin_user)
    # when the quote is emailed
    with django_capture_on_commit_callbacks(execute=True):
        sent = email_quote(quote, admin_user)
    # then the delivery was retried (eagerly back to back: six attempts) and failed, and the quote page says so
    outbound = OutboundEmail.objects.get(pk=sent.message_id)
    assert (outbound.status, outbound.attempts) == (EmailStatus.FAILED, 6)
    assert "Connection refused" in outbound.last_error
    page = admin_client1.get(f"/quotes/{quote.pk}/").content.decode()
    assert 'data-testid="email-status">Failed<' in page and "Connection refused" in page
    assert f'action="/quotes/{quote.pk}/emails/{sent.pk}/resend/"' in page and "6 attempts" in page
    # and the person who sent it is told, once, with a link to the quote
    (notice,) = Notification.objects.filter(recipient=admin_user)
    assert (notice.level, notice.link) == ("danger", f"/quotes/{quote.pk}/")
    assert notice.message.startswith("The email of Q-2026-00001 R1 to priya.shah@northgate.example could not be "
                                      "delivered: ConnectionRefusedError")
    # when the server is back and the user sends it again
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        _use_smtp(settings, controller.port)
        with django_capture_on_commit_callbacks(execute=True):
            response = admin_client1.post(f"/quotes/{quote.pk}/emails/{sent.pk}/resend/")
    finally:
        controller.stop()
    # then it arrives, once, with its PDF, and the quote shows it sent
    assert response.status_code == 302 and response["Location"] == f"/quotes/{quote.pk}/"
    ((_recipients, received),) = inbox.messages
    assert [part.get_filename() for part in received.iter_attachments()] == ["Q-2026-00001-R1.pdf"]
    outbound.refresh_from_db()
    assert (outbound.status, outbound.attempts, outbound.last_error) == (EmailStatus.SENT, 7, "")
    page = admin_client1.get(f"/quotes/{quote.pk}/").content.decode()
    assert 'data-testid="email-status">Sent<' in page and "Connection refused" not in page
    assert Event.objects.filter(kind="quotes.quote_email_resent", customer_id=quote.customer_id).count() == 1


def test_an_attachment_that_has_gone_fails_the_email_with_the_reason(admin_user, django_capture_on_commit_callbacks):
    # given an email row naming a file that is not in the storage
    from core.email import email_send
    from core.tasks import email_deliver

    message = email_send(to="x@example.com", subject="s", template="quotes/email/quote_sent", deliver=False,
                         context={"message": "m", "portal_url": "https://x", "quote": build_quote(admin_user),
                                  "revision": None, "tenant": None, "file_name": "gone.pdf"},
                         attachments=[{"path": "tenants/test1/quotes/0/gone.pdf", "name": "gone.pdf",
                                       "content_type": "application/pdf"}])
    # when
    result = email_deliver(message.pk)
    # then
    message.refresh_from_db()
    assert (result, message.status, message.last_error) == ("failed", EmailStatus.FAILED, "Attachment missing: gone.pdf")
    assert mail.outbox == []
