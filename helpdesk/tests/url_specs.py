from helpdesk.permissions import MANAGE_CONTRACTS, MANAGE_HELPDESK, VIEW_CONTRACTS, VIEW_TICKETS, WORK_TICKETS
from helpdesk.tests.factories import make_contract, make_ticket
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


def a_contract():
    return {"pk": make_contract().pk}


def a_draft_contract():
    return {"pk": make_contract(activate=False).pk}


def a_policy():
    from helpdesk.models import SlaPolicy

    return {"pk": SlaPolicy.objects.create(name="Harness policy", working_days=[0, 1, 2, 3, 4]).pk}


def a_holiday():
    import datetime

    from helpdesk.models import BusinessHoliday

    return {"pk": BusinessHoliday.objects.create(date=datetime.date(2031, 1, 2), name="Harness day").pk}


def a_canned_response():
    from helpdesk.models import CannedResponse

    return {"pk": CannedResponse.objects.create(title="Harness", body="Hello").pk}


POLICY_DATA = {"name": "Gold", "timezone": "Europe/London", "working_days": ["0", "1", "2", "3", "4"], "opens_at": "08:00",
               "closes_at": "18:00", "at_risk_percent": "80", **{f"{kind}_{priority}_hours": "4" for kind in
                                                               ("response", "resolution") for priority in
                                                               ("low", "medium", "high", "urgent")}}

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
    UrlSpec("api:ticket_list", api=True, permission=VIEW_TICKETS),
    UrlSpec("api:ticket_detail", api=True, permission=VIEW_TICKETS, kwargs=a_ticket),
    UrlSpec("api:ticket_comments", method="post", api=True, permission=WORK_TICKETS, kwargs=a_ticket,
            data=lambda: {"body": "From the API", "is_internal": True}),
    UrlSpec("api:ticket_attachments", api=True, permission=VIEW_TICKETS, kwargs=a_ticket),
    UrlSpec("api:ticket_time_entries", method="post", api=True, permission=WORK_TICKETS, kwargs=a_ticket,
            data=lambda: {"minutes": 20, "billable": True, "spent_on": "2026-11-20"}),
    UrlSpec("api:sla_policy_list", api=True, permission=VIEW_TICKETS),
    UrlSpec("api:sla_policy_detail", api=True, permission=VIEW_TICKETS, kwargs=a_policy),
    UrlSpec("helpdesk:settings", permission=MANAGE_HELPDESK),
    UrlSpec("helpdesk:sla_policy_create", method="post", permission=MANAGE_HELPDESK, data=lambda: POLICY_DATA),
    UrlSpec("helpdesk:sla_policy_edit", method="post", permission=MANAGE_HELPDESK, kwargs=a_policy,
            data=lambda: POLICY_DATA),
    UrlSpec("helpdesk:sla_policy_delete", method="post", permission=MANAGE_HELPDESK, kwargs=a_policy),
    UrlSpec("helpdesk:holiday_add", method="post", permission=MANAGE_HELPDESK,
            data=lambda: {"date": "2031-02-03", "name": "Founders day"}),
    UrlSpec("helpdesk:holiday_remove", method="post", permission=MANAGE_HELPDESK, kwargs=a_holiday),
    UrlSpec("helpdesk:category_add", method="post", permission=MANAGE_HELPDESK, data=lambda: {"name": "Harness"}),
    UrlSpec("helpdesk:canned_response_create", method="post", permission=MANAGE_HELPDESK,
            data=lambda: {"title": "Thanks", "body": "Thanks {contact_name}"}),
    UrlSpec("helpdesk:canned_response_edit", method="post", permission=MANAGE_HELPDESK, kwargs=a_canned_response,
            data=lambda: {"title": "Thanks", "body": "Thanks {contact_name}"}),
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
    UrlSpec("helpdesk:contract_list", permission=VIEW_CONTRACTS),
    UrlSpec("helpdesk:contract_create", permission=MANAGE_CONTRACTS),
    UrlSpec("helpdesk:contract_detail", permission=VIEW_CONTRACTS, kwargs=a_contract),
    UrlSpec("helpdesk:contract_edit", method="post", permission=MANAGE_CONTRACTS, kwargs=a_contract,
            data=lambda: {"name": "Edited by the harness", "type": "maintenance", "start_date": "2026-01-01",
                          "term_months": "12", "monthly_value": "10.00", "hours_included": "0", "hours_period": "none"}),
    UrlSpec("helpdesk:contract_activate", method="post", permission=MANAGE_CONTRACTS, kwargs=a_draft_contract),
    UrlSpec("helpdesk:contract_renew", method="post", permission=MANAGE_CONTRACTS, kwargs=a_contract,
            data=lambda: {"term_months": "12"}),
    UrlSpec("helpdesk:contract_cancel", method="post", permission=MANAGE_CONTRACTS, kwargs=a_contract,
            data=lambda: {"reason": "Harness"}),
    UrlSpec("helpdesk:customer_contract_tab", permission=VIEW_CONTRACTS, kwargs=a_customer),
]
