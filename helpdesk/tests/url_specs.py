from helpdesk.permissions import MANAGE_HELPDESK, VIEW_TICKETS, WORK_TICKETS
from helpdesk.tests.factories import make_ticket
from tests.harness.registry import UrlSpec


def a_ticket():
    return {"pk": make_ticket().pk}


def an_attachment():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from helpdesk.services.conversation import attachment_add

    ticket = make_ticket()
    attachment = attachment_add(ticket=ticket, acting_user=None,
                                upload=SimpleUploadedFile("log.txt", b"harness log", content_type="text/plain"))
    return {"pk": ticket.pk, "attachment_pk": attachment.pk}


def a_customer():
    from crm.tests.factories import CustomerFactory

    return {"pk": CustomerFactory().pk}


def an_unmatched_message():
    from helpdesk.models import InboundMessage

    message = InboundMessage.objects.create(
        message_id=f"<harness-{InboundMessage.objects.count()}@gmail.com>", sender="someone@gmail.com",
        subject="Harness", outcome="unmatched", full_text="Hello",
        raw=b"From: someone@gmail.com\r\nSubject: Harness\r\nMessage-ID: <harness@gmail.com>\r\n\r\nHello\r\n")
    return {"pk": message.pk}


def a_live_customer():
    from crm.tests.factories import CustomerFactory

    return {"customer": str(CustomerFactory().pk)}


def mailbox_settings():
    return {"host": "localhost", "port": "143", "security": "none", "username": "support", "password": "x",
            "folder": "INBOX"}


SPECS = [
    UrlSpec("helpdesk:ticket_list", permission=VIEW_TICKETS),
    UrlSpec("helpdesk:ticket_create", permission=WORK_TICKETS),
    UrlSpec("helpdesk:ticket_bulk", method="post", permission=WORK_TICKETS, data=lambda: {"action": "close"}),
    UrlSpec("helpdesk:ticket_detail", permission=VIEW_TICKETS, kwargs=a_ticket),
    UrlSpec("helpdesk:ticket_edit", method="post", permission=WORK_TICKETS, kwargs=a_ticket,
            data=lambda: {"subject": "Edited by the harness", "type": "incident"}),
    UrlSpec("helpdesk:ticket_status", method="post", permission=WORK_TICKETS, kwargs=a_ticket,
            data=lambda: {"status": "in_progress"}),
    UrlSpec("helpdesk:ticket_priority", method="post", permission=WORK_TICKETS, kwargs=a_ticket,
            data=lambda: {"priority": "high"}),
    UrlSpec("helpdesk:ticket_assign", method="post", permission=WORK_TICKETS, kwargs=a_ticket,
            data=lambda: {"assignee": "me"}),
    UrlSpec("helpdesk:comment_create", method="post", permission=WORK_TICKETS, kwargs=a_ticket,
            data=lambda: {"body": "Harness reply", "is_internal": "on"}),
    UrlSpec("helpdesk:time_entry_create", method="post", permission=WORK_TICKETS, kwargs=a_ticket,
            data=lambda: {"minutes": "15", "billable": "on", "spent_on": "2026-11-20"}),
    UrlSpec("helpdesk:canned_response_fill", permission=WORK_TICKETS, kwargs=a_ticket),
    UrlSpec("helpdesk:attachment_download", permission=VIEW_TICKETS, kwargs=an_attachment),
    UrlSpec("helpdesk:customer_ticket_tab", permission=VIEW_TICKETS, kwargs=a_customer),
    UrlSpec("helpdesk:mailbox_settings", permission=MANAGE_HELPDESK),
    UrlSpec("helpdesk:mailbox_test", method="post", permission=MANAGE_HELPDESK,
            data=lambda: {**mailbox_settings(), "port": "1"}),
    UrlSpec("helpdesk:mailbox_poll_now", method="post", permission=MANAGE_HELPDESK),
    UrlSpec("helpdesk:inbound_list", permission=VIEW_TICKETS),
    UrlSpec("helpdesk:inbound_detail", permission=VIEW_TICKETS, kwargs=an_unmatched_message),
    UrlSpec("helpdesk:inbound_assign", method="post", permission=WORK_TICKETS, kwargs=an_unmatched_message,
            data=a_live_customer),
]
