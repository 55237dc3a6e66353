"""The staff side: the Portal access tab of a customer page, inviting, changing, resending and revoking."""

from __future__ import annotations

from django.core import mail

from accounts.roles import Role
from core.models import Event
from portal.models import PortalAccess, PortalScope
from portal.tests.factories import make_access, make_contact, portal_client

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_the_tab_lists_each_contact_with_its_access(tenant1, admin_client1, assert_queries):
    # given one contact with access, one invited, one without
    active = make_access()
    customer = active.contact.customer
    make_access(contact=make_contact(customer=customer, first_name="Ivy"), activated=False, password="")
    make_contact(customer=customer, first_name="Noah")
    # when
    with assert_queries(9):  # an htmx fragment: no unread-notification count
        response = admin_client1.get(f"/customers/{customer.pk}/portal-access/", **HTMX)
    # then
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count('data-testid="portal-status"') == 3
    assert "Active</span> " + active.email in body
    assert "Invited</span>" in body and "No portal access" in body


def test_without_htmx_the_tab_is_the_customer_page(tenant1, admin_client1):
    customer = make_contact().customer
    response = admin_client1.get(f"/customers/{customer.pk}/portal-access/")
    assert response.status_code == 302 and response["Location"] == f"/customers/{customer.pk}/#portal"


def test_staff_invite_a_contact_from_the_tab(tenant1, make_user, client_for, django_capture_on_commit_callbacks):
    # given a Sales user and a contact with two addresses
    sales = make_user(role=Role.SALES)
    contact = make_contact(email="jane@acme.example.com")
    contact.emails.create(address="jane.private@example.com", is_primary=False)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(sales).post(f"/contacts/{contact.pk}/portal-access/invite/", {
            "email": "jane@acme.example.com", "can_see_quotes": "on", "can_see_tickets": "on", "scope": "own"},
            **HTMX)
    # then
    assert response.status_code == 200
    access = PortalAccess.objects.get(contact=contact)
    assert (access.email, access.sections, access.scope, access.invited_by_id) == (
        "jane@acme.example.com", ["quotes", "tickets"], PortalScope.OWN, sales.pk)
    assert [message.to for message in mail.outbox] == [["jane@acme.example.com"]]
    assert "Portal invitation sent to jane@acme.example.com." in response.content.decode()
    event = Event.objects.get(kind="portal.access_invited")
    assert event.customer_id == contact.customer_id
    assert event.data["sees"] == "quotes, tickets (only their own)"


def test_an_address_already_used_by_another_contact_is_refused(tenant1, admin_client1):
    make_access(contact=make_contact(email="shared@acme.example.com"))
    other = make_contact(email="shared@acme.example.com", first_name="Sam")
    response = admin_client1.post(f"/contacts/{other.pk}/portal-access/invite/", {
        "email": "shared@acme.example.com", "can_see_quotes": "on", "scope": "company"}, **HTMX)
    assert response.status_code == 409
    assert "shared@acme.example.com already signs in to the portal for another contact." in response.content.decode()
    assert not PortalAccess.objects.filter(contact=other).exists()


def test_changing_what_a_contact_sees_applies_on_their_next_click(tenant1, admin_client1):
    access = make_access(can_see_contracts=False)
    client = portal_client(access)
    assert client.get("/portal/contracts/").status_code == 403
    response = admin_client1.post(f"/contacts/{access.contact.pk}/portal-access/", {
        "can_see_contracts": "on", "scope": "company"}, **HTMX)
    assert response.status_code == 200
    assert client.get("/portal/contracts/").status_code == 200
    assert client.get("/portal/quotes/").status_code == 403


def test_revoking_from_the_tab_signs_the_contact_out(tenant1, admin_client1):
    access = make_access()
    client = portal_client(access)
    response = admin_client1.post(f"/contacts/{access.contact.pk}/portal-access/revoke/", **HTMX)
    assert response.status_code == 200
    assert "can no longer use the portal; their open sessions have ended." in response.content.decode()
    assert client.get("/portal/").status_code == 403


def test_read_only_users_see_the_tab_without_the_forms(tenant1, make_user, client_for):
    access = make_access()
    body = client_for(make_user(role=Role.READ_ONLY)).get(
        f"/customers/{access.contact.customer_id}/portal-access/", **HTMX).content.decode()
    assert access.email in body
    assert "portal-revoke" not in body and "Invite to the portal" not in body


def test_a_new_link_replaces_the_old_one_until_a_password_is_set(tenant1, admin_client1,
                                                                 django_capture_on_commit_callbacks):
    from portal.models import PortalToken

    access = make_access(activated=False, password="")
    with django_capture_on_commit_callbacks(execute=True):
        admin_client1.post(f"/contacts/{access.contact.pk}/portal-access/resend/", **HTMX)
        response = admin_client1.post(f"/contacts/{access.contact.pk}/portal-access/resend/", **HTMX)
    assert response.status_code == 200
    assert "A new invitation link was sent to %s." % access.email in response.content.decode()
    tokens = list(PortalToken.objects.filter(access=access).order_by("created_at", "id"))
    assert len(tokens) == 2 and len(mail.outbox) == 2
    assert tokens[0].expires_at <= tokens[1].created_at  # the first link stopped working
    # once the contact has a password, there is nothing to resend
    PortalAccess.objects.filter(pk=access.pk).update(activated_at=tokens[1].created_at)
    refused = admin_client1.post(f"/contacts/{access.contact.pk}/portal-access/resend/", **HTMX)
    assert refused.status_code == 409
    assert "has already set a password" in refused.content.decode()
