"""Harness specs of the portal: its staff pages (the Portal access tab and its actions) and the portal itself
(`portal=True`: `kwargs(contact)` builds objects of that contact's company, for tests/test_portal_harness.py)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from crm.permissions import VIEW_CUSTOMERS
from portal.permissions import MANAGE_PORTAL_ACCESS
from portal.tests.factories import make_access, make_contact, make_sent_quote
from tests.harness.registry import UrlSpec


# ---------------------------------------------------------------------------------------------- staff side

def a_customer():
    from crm.tests.factories import CustomerFactory

    return {"pk": CustomerFactory().pk}


def a_contact_invited():
    return {"pk": make_access(activated=False, password="").contact.pk}


INVITEE = "invitee@harness.example.com"


def a_contact_to_invite():
    return {"pk": make_contact(email=INVITEE).pk}


def _invite_data():
    return {"email": INVITEE, "can_see_quotes": "on", "scope": "company"}


# ---------------------------------------------------------------------------------------------- portal side

def a_quote(contact):
    quote = make_sent_quote(customer=contact.customer, contact=contact)
    return {"pk": quote.pk}


def a_ticket(contact):
    from helpdesk.tests.factories import make_ticket

    return {"pk": make_ticket(customer=contact.customer, contact=contact).pk}


def a_ticket_file(contact):
    from helpdesk.services.conversation import comment_add_from_contact
    from helpdesk.tests.factories import make_ticket

    ticket = make_ticket(customer=contact.customer, contact=contact)
    comment = comment_add_from_contact(ticket=ticket, contact=contact, body="Log attached",
                                       files=[SimpleUploadedFile("log.txt", b"line 1\n", content_type="text/plain")])
    return {"pk": ticket.pk, "attachment_pk": comment.attachments.get().pk}


def a_token(contact=None):
    return {"token": "not-a-real-token-but-long-enough-0123456789"}


ACCEPT = {"revision": "1", "full_name": "Jane Doe", "position": "Director", "terms": "on"}

SPECS = [
    UrlSpec("portal:customer_portal_tab", permission=VIEW_CUSTOMERS, kwargs=a_customer),
    UrlSpec("portal:contact_portal_invite", method="post", permission=MANAGE_PORTAL_ACCESS, kwargs=a_contact_to_invite,
            data=_invite_data),
    UrlSpec("portal:contact_portal_update", method="post", permission=MANAGE_PORTAL_ACCESS,
            kwargs=lambda: {"pk": make_access().contact.pk},
            data=lambda: {"can_see_quotes": "on", "can_see_tickets": "on", "scope": "own"}),
    UrlSpec("portal:contact_portal_resend", method="post", permission=MANAGE_PORTAL_ACCESS, kwargs=a_contact_invited),
    UrlSpec("portal:contact_portal_revoke", method="post", permission=MANAGE_PORTAL_ACCESS,
            kwargs=lambda: {"pk": make_access().contact.pk}),
    UrlSpec("portal:quote_portal_answer", permission="quotes.view_quotes",
            kwargs=lambda: {"pk": make_sent_quote(customer=make_contact().customer).pk}),
    # the portal
    UrlSpec("portal:home", portal=True),
    UrlSpec("portal:sign_in", portal=True, public=True),
    UrlSpec("portal:sign_out", method="post", portal=True, public=True),
    UrlSpec("portal:link_request", portal=True, public=True),
    UrlSpec("portal:link_sign_in", portal=True, public=True, kwargs=a_token, names_object=False),
    UrlSpec("portal:invitation", portal=True, public=True, kwargs=a_token, names_object=False),
    UrlSpec("portal:password_reset", portal=True, public=True),
    UrlSpec("portal:password_reset_confirm", portal=True, public=True, kwargs=a_token, names_object=False),
    UrlSpec("portal:logo", portal=True, public=True, note="404 until the tenant uploads a logo"),
    UrlSpec("portal:account", portal=True),
    UrlSpec("portal:quote_list", portal=True),
    UrlSpec("portal:quote_detail", portal=True, portal_scoped=True, kwargs=a_quote),
    UrlSpec("portal:quote_pdf", portal=True, portal_scoped=True, kwargs=lambda contact: {**a_quote(contact), "number": 1}),
    UrlSpec("portal:quote_options", method="post", portal=True, portal_scoped=True, kwargs=a_quote,
            data=lambda: {"revision": "1"}),
    UrlSpec("portal:quote_accept", method="post", portal=True, portal_scoped=True, kwargs=a_quote,
            data=lambda: dict(ACCEPT)),
    UrlSpec("portal:quote_reject", method="post", portal=True, portal_scoped=True, kwargs=a_quote,
            data=lambda: {"revision": "1", "reason": "Too dear"}),
    UrlSpec("portal:ticket_list", portal=True),
    UrlSpec("portal:ticket_create", portal=True),
    UrlSpec("portal:ticket_detail", portal=True, portal_scoped=True, kwargs=a_ticket),
    UrlSpec("portal:ticket_reply", method="post", portal=True, portal_scoped=True, kwargs=a_ticket,
            data=lambda: {"body": "Any news?"}),
    UrlSpec("portal:ticket_close", method="post", portal=True, portal_scoped=True, kwargs=a_ticket),
    UrlSpec("portal:ticket_rate", method="post", portal=True, portal_scoped=True, kwargs=a_ticket,
            data=lambda: {"score": "5"}, allowed_extra_statuses=(422,), note="422: not resolved yet"),
    UrlSpec("portal:attachment_download", portal=True, portal_scoped=True, kwargs=a_ticket_file),
    UrlSpec("portal:contract_list", portal=True),
]
