"""Ticket emails delivered to a real SMTP server (aiosmtpd, started here): what arrives is what a mail program threads."""

import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller

from core.models import EmailStatus, OutboundEmail
from core.tasks import email_deliver
from crm.models import Contact, ContactEmail
from crm.tests.factories import CustomerFactory
from helpdesk.services import conversation
from helpdesk.tests.factories import make_ticket


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


@pytest.fixture
def smtp(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield inbox
    controller.stop()


def test_the_opening_email_and_a_reply_arrive_threaded_with_the_reply_address(smtp, admin_user):
    customer = CustomerFactory(name="Harbour Dental")
    contact = Contact.objects.create(customer=customer, first_name="Ann", last_name="Lee")
    ContactEmail.objects.create(contact=contact, address="ann@harbour.example", is_primary=True)
    ticket = make_ticket(customer=customer, contact=contact, acting_user=admin_user, subject="X-ray PC slow")
    conversation.comment_add(ticket=ticket, acting_user=admin_user, body="We are connecting remotely now.")
    for message in OutboundEmail.objects.order_by("id"):
        assert email_deliver(message.pk) == "sent"
    assert OutboundEmail.objects.filter(status=EmailStatus.SENT).count() == 2
    (first_to, first), (second_to, second) = smtp.messages
    root = f"<ticket-1.{ticket.reply_token}@test1.localhost>"
    assert first_to == second_to == ["ann@harbour.example"]
    assert (first["Subject"], first["Message-ID"], first["Reply-To"]) == (
        "[T-000001] X-ray PC slow", root, f"support+{ticket.reply_token}@test1.localhost")
    assert (second["Subject"], second["In-Reply-To"], second["References"]) == ("Re: [T-000001] X-ray PC slow", root, root)
    assert second["Message-ID"] == ticket.comments.get().message_id
    text = second.get_body(preferencelist=("plain",)).get_content()
    html = second.get_body(preferencelist=("html",)).get_content()
    assert text.startswith("We are connecting remotely now.") and "Test company 1 support" in html


def test_a_refused_delivery_is_retried_and_shows_on_the_ticket(settings, admin_user, admin_client1):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", _free_port(), 2  # nothing listens
    settings.EMAIL_USE_TLS = False
    customer = CustomerFactory()
    contact = Contact.objects.create(customer=customer, first_name="Ann", last_name="Lee")
    ContactEmail.objects.create(contact=contact, address="ann@harbour.example", is_primary=True)
    ticket = make_ticket(customer=customer, contact=contact, acting_user=admin_user)
    settings.CELERY_TASK_EAGER_PROPAGATES = False
    conversation.comment_add(ticket=ticket, acting_user=admin_user, body="Hello")
    message = OutboundEmail.objects.get(subject__startswith="Re:")
    email_deliver.apply(args=[message.pk])
    message.refresh_from_db()
    # eagerly, the retries run back to back: six attempts, then it is marked failed (a worker spaces them out)
    assert (message.status, message.attempts) == (EmailStatus.FAILED, 6) and "Connection refused" in message.last_error
    page = admin_client1.get(f"/tickets/{ticket.pk}/").content.decode()
    assert 'data-testid="email-status">Failed<' in page and "Connection refused" in page
