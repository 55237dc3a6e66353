from helpdesk.permissions import MANAGE_CONTRACTS, VIEW_CONTRACTS, VIEW_TICKETS, WORK_TICKETS
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
