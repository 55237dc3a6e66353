"""The portal dimension of the isolation harness: every portal URL (UrlSpec with portal=True), for

- visitors and staff sessions: the portal's own sign-in, never a page (a staff session is not a portal session);
- a contact of customer X: their own company's objects open; customer Y's objects, another tenant's, and (for a
  contact limited to their own items) a colleague's answer 404;
- internal notes: absent from every portal page and fragment, their files unreachable.
"""

from __future__ import annotations

import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.roles import Role
from portal.models import PortalScope
from portal.tests.factories import make_access, make_contact, portal_client
from tests.harness.registry import all_specs

SPECS = {name: spec for name, spec in all_specs().items() if spec.portal}
PORTAL_SIGN_IN = "/portal/sign-in/"


def _request(client, spec, kwargs):
    url = reverse(spec.name, kwargs=kwargs or None)
    return getattr(client, spec.method)(url, spec.data() if spec.method == "post" else None)


def _kwargs(spec, contact):
    if spec.kwargs is None:
        return None
    return spec.kwargs(contact) if spec.names_object else spec.kwargs()


def test_the_portal_has_specs():
    assert len(SPECS) == 24
    assert all(name.startswith("portal:") for name in SPECS)


@pytest.mark.parametrize("spec", SPECS.values(), ids=str)
def test_visitors_are_sent_to_the_portal_sign_in(spec, tenant1, anon_client1):
    # given
    kwargs = _kwargs(spec, make_contact())
    # when
    response = _request(anon_client1, spec, kwargs)
    # then
    if spec.public:
        assert response.status_code < 500 and response.status_code != 403
        assert not response.get("Location", "").startswith("/accounts/sign-in/")
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(PORTAL_SIGN_IN + "?next=")


@pytest.mark.parametrize("role", Role.values)
@pytest.mark.parametrize("spec", [s for s in SPECS.values() if not s.public], ids=str)
def test_a_staff_session_is_not_a_portal_session(spec, role, tenant1, make_user, client_for):
    # given a signed-in staff user of any role
    client = client_for(make_user(role=role))
    kwargs = _kwargs(spec, make_contact())
    # when
    response = _request(client, spec, kwargs)
    # then
    assert response.status_code == 302
    assert response["Location"].startswith(PORTAL_SIGN_IN + "?next=")


@pytest.mark.parametrize("spec", [s for s in SPECS.values() if not s.public], ids=str)
def test_a_contact_reaches_their_own_company_objects(spec, tenant1):
    # given
    access = make_access(can_see_contracts=True)
    kwargs = _kwargs(spec, access.contact)
    # when
    response = _request(portal_client(access), spec, kwargs)
    # then
    assert response.status_code < 400 or response.status_code in spec.allowed_extra_statuses, (
        f"{spec} answered {response.status_code} for the contact's own object")


@pytest.mark.parametrize("spec", [s for s in SPECS.values() if s.kwargs and s.names_object], ids=str)
def test_another_customers_objects_answer_404(spec, tenant1):
    # given a contact of customer X and objects of customer Y (same tenant)
    access = make_access(can_see_contracts=True)
    kwargs = _kwargs(spec, make_contact(first_name="Yvonne"))
    # when
    response = _request(portal_client(access), spec, kwargs)
    # then
    assert response.status_code == 404, f"{spec} answered {response.status_code} for another customer's object"


@pytest.mark.parametrize("spec", [s for s in SPECS.values() if s.kwargs and s.names_object], ids=str)
def test_another_tenants_objects_answer_404(spec, tenant1, tenant2, in_tenant):
    # given objects in test2 and a contact of test1
    with in_tenant(tenant2):
        kwargs = _kwargs(spec, make_contact())
    access = make_access(can_see_contracts=True)
    # when
    response = _request(portal_client(access), spec, kwargs)
    # then
    assert response.status_code == 404, f"{spec} answered {response.status_code} for another tenant's object"


@pytest.mark.parametrize("spec", [s for s in SPECS.values() if s.portal_scoped], ids=str)
def test_a_contact_limited_to_their_own_items_cannot_see_a_colleagues(spec, tenant1):
    # given two contacts of one customer; Jane sees only her own items
    access = make_access(scope=PortalScope.OWN)
    colleague = make_contact(customer=access.contact.customer, first_name="Colin")
    kwargs = _kwargs(spec, colleague)
    # when
    response = _request(portal_client(access), spec, kwargs)
    # then
    assert response.status_code == 404, f"{spec} answered {response.status_code} for a colleague's object"


def test_a_portal_session_cookie_on_another_tenant_host_is_nobody(tenant1, tenant2):
    # given a portal session of test1 presented on test2's host
    access = make_access()
    client = portal_client(access, host="test2.localhost")
    # when
    response = client.get("/portal/")
    # then
    assert response.status_code == 302 and response["Location"].startswith(PORTAL_SIGN_IN)


def test_internal_notes_never_reach_any_portal_page(tenant1, make_user, django_capture_on_commit_callbacks):
    # given a ticket with a public reply and an internal note with a file, and a quote line's internal note
    from helpdesk.services.conversation import comment_add
    from helpdesk.tests.factories import make_ticket
    from portal.tests.factories import make_sent_quote

    agent = make_user(role=Role.SUPPORT)
    access = make_access(can_see_contracts=True)
    contact = access.contact
    ticket = make_ticket(customer=contact.customer, contact=contact)
    with django_capture_on_commit_callbacks(execute=True):
        comment_add(ticket=ticket, acting_user=agent, body="Public answer")
        note = comment_add(ticket=ticket, acting_user=agent, body="SECRET-NOTE-7731 do not tell", is_internal=True,
                           files=[SimpleUploadedFile("secret-7731.txt", b"x", content_type="text/plain")])
    secret_file = note.attachments.get()
    quote = make_sent_quote(customer=contact.customer, contact=contact, lines=[
        {"description": "Switch", "quantity": 1, "unit_price": "10.00", "unit_cost": "7.77",
         "internal_note": "SECRET-NOTE-7731 margin is thin"}])
    client = portal_client(access)
    urls = [reverse(name) for name in ("portal:home", "portal:quote_list", "portal:ticket_list",
                                       "portal:contract_list", "portal:account")]
    urls += [reverse("portal:ticket_list") + "?show=all", reverse("portal:ticket_detail", args=[ticket.pk]),
             reverse("portal:quote_detail", args=[quote.pk])]
    # when
    bodies = [client.get(url).content.decode() for url in urls]
    fragment = client.post(reverse("portal:quote_options", args=[quote.pk]), {"revision": "1"}).content.decode()
    file_response = client.get(reverse("portal:attachment_download", args=[ticket.pk, secret_file.pk]))
    pdf = client.get(reverse("portal:quote_pdf", args=[quote.pk, 1]))
    pdf_text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf.content, capture_output=True,
                              check=True).stdout.decode()
    # then
    assert pdf["Content-Type"] == "application/pdf" and "Switch" in pdf_text
    assert "SECRET-NOTE-7731" not in pdf_text and "7.77" not in pdf_text
    assert "Public answer" in bodies[6]
    for url, body in zip(urls + ["options fragment"], bodies + [fragment], strict=True):
        assert "SECRET-NOTE-7731" not in body, url
        assert "secret-7731" not in body, url
        assert "7.77" not in body, url  # the cost price never shows
    assert file_response.status_code == 404
    # nor any email to the contact
    from django.core import mail

    to_contact = [message for message in mail.outbox if access.email in message.to]
    assert [message.subject for message in to_contact] == [f"Re: [{ticket.reference}] {ticket.subject}"]
    assert all("SECRET-NOTE-7731" not in message.body for message in mail.outbox)
