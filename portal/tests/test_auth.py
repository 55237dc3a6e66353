"""Portal access and authentication: invitations, passwords, sign-in links, rate limiting, revocation, and the wall
between the portal's session and the staff site."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from accounts.roles import Role
from portal import services
from portal.models import PortalAccess, PortalScope, PortalToken, PortalTokenPurpose
from portal.tests.factories import PASSWORD, make_access, make_contact, portal_client

NEW_PASSWORD = "Another-long-pass-77"


def _link(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def _path(link: str) -> str:
    return re.sub(r"^https?://[^/]+", "", link)


@pytest.fixture
def invited(tenant1, admin_user, django_capture_on_commit_callbacks):
    contact = make_contact(first_name="Jane", last_name="Doe", email="Jane.Doe@acme.example.com")
    with django_capture_on_commit_callbacks(execute=True):
        access = services.access_invite(contact=contact, email="jane.doe@acme.example.com", can_see_quotes=True,
                                        can_see_tickets=True, can_see_contracts=False, scope=PortalScope.COMPANY,
                                        acting_user=admin_user, base_url="http://test1.localhost")
    return access


def test_an_invitation_emails_a_one_time_link_that_sets_the_password_and_signs_in(invited, tenant1, anon_client1):
    # given the invitation email
    message = mail.outbox[-1]
    assert message.to == ["jane.doe@acme.example.com"]
    assert message.subject == f"{tenant1.name} invites you to its customer portal"
    path = _path(_link(message))
    assert path.startswith("/portal/invitation/")
    # when Jane opens it and chooses a password
    assert anon_client1.get(path).status_code == 200
    response = anon_client1.post(path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    # then she is signed in to the portal (its own cookie, limited to /portal/) and the link is spent
    assert response.status_code == 302 and response["Location"] == "/portal/"
    cookie = response.cookies[settings.PORTAL_SESSION_COOKIE_NAME]
    assert cookie["path"] == "/portal/" and cookie["httponly"]
    assert settings.SESSION_COOKIE_NAME not in response.cookies  # no staff session was made
    assert anon_client1.get("/portal/").status_code == 200
    invited.refresh_from_db()
    assert invited.activated_at is not None and invited.check_password(NEW_PASSWORD)
    again = anon_client1.post(path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert again.status_code == 410
    assert "already been used" in again.content.decode()


def test_an_expired_invitation_says_so(invited, anon_client1):
    # given
    path = _path(_link(mail.outbox[-1]))
    PortalToken.objects.filter(access=invited).update(expires_at=timezone.now() - timedelta(seconds=1))
    # when
    response = anon_client1.get(path)
    # then
    assert response.status_code == 410
    assert "This link has expired. Ask for a new one." in response.content.decode()


def test_an_unknown_link_is_a_404(tenant1, anon_client1):
    assert anon_client1.get("/portal/invitation/nothing-like-a-token/").status_code == 404


def test_inviting_needs_one_of_the_contacts_addresses_and_something_to_see(tenant1, admin_user):
    contact = make_contact(email="only@acme.example.com")
    with pytest.raises(services.PortalError, match="Choose one of Jane Doe's email addresses."):
        services.access_invite(contact=contact, email="other@acme.example.com", can_see_quotes=True,
                               can_see_tickets=False, can_see_contracts=False, scope="company",
                               acting_user=admin_user, base_url="http://x")
    with pytest.raises(services.PortalError, match="Choose at least one thing they may see"):
        services.access_invite(contact=contact, email="only@acme.example.com", can_see_quotes=False,
                               can_see_tickets=False, can_see_contracts=False, scope="company",
                               acting_user=admin_user, base_url="http://x")
    assert not PortalAccess.objects.filter(contact=contact).exists()


def test_signing_in_with_the_password_goes_back_to_the_page_asked_for(tenant1, anon_client1):
    # given
    access = make_access()
    # when
    response = anon_client1.post("/portal/sign-in/?next=/portal/tickets/",
                                 {"email": access.email.upper(), "password": PASSWORD, "next": "/portal/tickets/"})
    # then
    assert response.status_code == 302 and response["Location"] == "/portal/tickets/"
    access.refresh_from_db()
    assert access.last_sign_in_at is not None


def test_the_next_address_cannot_leave_the_portal(tenant1, anon_client1):
    access = make_access()
    response = anon_client1.post("/portal/sign-in/", {"email": access.email, "password": PASSWORD,
                                                      "next": "https://evil.example.com/"})
    assert response["Location"] == "/portal/"
    anon_client1.post("/portal/sign-out/")
    response = anon_client1.post("/portal/sign-in/", {"email": access.email, "password": PASSWORD, "next": "/users/"})
    assert response["Location"] == "/portal/"


def test_sign_in_is_locked_after_repeated_failures_with_its_own_counters(tenant1, anon_client1, make_user, client_for):
    # given a contact, and a staff user with the same address
    access = make_access()
    staff = make_user(role=Role.SALES, email=access.email)
    staff.set_password("Staff-pass-2026!")
    staff.save()
    # when five wrong passwords are tried on the portal
    for _attempt in range(settings.LOGIN_FAILURE_LIMIT - 1):
        response = anon_client1.post("/portal/sign-in/", {"email": access.email, "password": "wrong"})
        assert "That email and password do not match a portal account here." in response.content.decode()
    response = anon_client1.post("/portal/sign-in/", {"email": access.email, "password": "wrong"})
    # then the portal refuses even the right password for a while
    assert "Too many failed sign-in attempts. Try again in 15 minutes." in response.content.decode()
    response = anon_client1.post("/portal/sign-in/", {"email": access.email, "password": PASSWORD})
    assert response.status_code == 422 and "Too many failed sign-in attempts" in response.content.decode()
    # and the staff sign-in of the same address is not locked by the portal's failures
    staff_response = anon_client1.post("/accounts/sign-in/", {"email": access.email, "password": "Staff-pass-2026!"})
    assert staff_response.status_code == 302


def test_revoking_ends_the_live_session_with_a_clear_page(tenant1, admin_user):
    # given Jane is signed in
    access = make_access()
    client = portal_client(access)
    assert client.get("/portal/").status_code == 200
    # when staff revoke her access
    services.access_revoke(access=access, acting_user=admin_user)
    # then her next click shows the revoked page, and then sign-in
    response = client.get("/portal/quotes/")
    assert response.status_code == 403
    assert "Your portal access was revoked" in response.content.decode()
    assert client.get("/portal/").status_code == 302
    # and her password no longer signs in (the page says why)
    again = client.post("/portal/sign-in/", {"email": access.email, "password": PASSWORD})
    assert again.status_code == 403 and "Your portal access was revoked" in again.content.decode()


def test_a_revoked_contact_can_be_invited_again(tenant1, admin_user, django_capture_on_commit_callbacks):
    access = make_access()
    services.access_revoke(access=access, acting_user=admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        again = services.access_invite(contact=access.contact, email=access.email, can_see_quotes=True,
                                       can_see_tickets=False, can_see_contracts=False, scope=PortalScope.OWN,
                                       acting_user=admin_user, base_url="http://test1.localhost")
    assert again.pk == access.pk and again.is_live and again.activated_at is None and again.password == ""
    assert (again.session_version, again.scope) == (3, PortalScope.OWN)


def test_a_password_reset_ends_the_other_sessions(tenant1, anon_client1, django_capture_on_commit_callbacks):
    # given Jane is signed in elsewhere
    access = make_access()
    elsewhere = portal_client(access)
    # when she asks for a reset and chooses a new password
    with django_capture_on_commit_callbacks(execute=True):
        page = anon_client1.post("/portal/password/reset/", {"email": access.email})
    assert "If %s has access to this portal, a link is on its way." % access.email in page.content.decode()
    path = _path(_link(mail.outbox[-1]))
    assert path.startswith("/portal/password/reset/")
    response = anon_client1.post(path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    # then this browser is signed in and the other one is signed out
    assert response.status_code == 302
    assert anon_client1.get("/portal/").status_code == 200
    assert elsewhere.get("/portal/").status_code == 302


def test_asking_for_a_link_for_an_unknown_address_sends_nothing_and_says_the_same(tenant1, anon_client1,
                                                                                   django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = anon_client1.post("/portal/sign-in/link/", {"email": "nobody@example.com"})
    assert response.status_code == 200
    assert "If nobody@example.com has access to this portal, a link is on its way." in response.content.decode()
    assert mail.outbox == []


def test_an_emailed_sign_in_link_signs_in_once(tenant1, anon_client1, django_capture_on_commit_callbacks):
    # given
    access = make_access(activated=False, password="")
    with django_capture_on_commit_callbacks(execute=True):
        anon_client1.post("/portal/sign-in/link/", {"email": access.email})
    path = _path(_link(mail.outbox[-1]))
    # when: opening the link only shows a button (mail scanners do not use it up); pressing it signs in
    assert anon_client1.get(path).status_code == 200
    assert anon_client1.get("/portal/").status_code == 302
    response = anon_client1.post(path)
    # then
    assert response.status_code == 302 and response["Location"] == "/portal/"
    assert anon_client1.get("/portal/").status_code == 200
    assert anon_client1.post(path).status_code == 410
    assert PortalToken.objects.get(access=access, purpose=PortalTokenPurpose.SIGN_IN).used_at is not None


def test_a_portal_session_opens_no_staff_page_and_no_staff_api(tenant1):
    # given a signed-in contact (the test client sends its cookie everywhere, whatever the cookie path)
    client = portal_client(make_access())
    # when / then: the staff site treats it as a visitor
    response = client.get("/customers/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/sign-in/?next=")
    assert client.get("/").status_code == 302
    assert client.get("/api/v1/customers/").status_code == 401
    assert client.get("/api/v1/me/").status_code == 401


def test_a_portal_session_opens_no_staff_websocket(tenant1):
    # the websocket authenticates from the staff cookie only; a portal session key there is nobody
    from core.ws_middleware import resolve_tenant_and_user

    client = portal_client(make_access())
    key = client.cookies[settings.PORTAL_SESSION_COOKIE_NAME].value
    _tenant, user = resolve_tenant_and_user("test1.localhost", key)
    tenant1.refresh_from_db()
    from django.db import connection

    connection.set_tenant(tenant1)
    assert not user.is_authenticated


def test_a_staff_session_is_not_signed_in_to_the_portal(admin_client1):
    response = admin_client1.get("/portal/quotes/")
    assert response.status_code == 302 and response["Location"] == "/portal/sign-in/?next=%2Fportal%2Fquotes%2F"


def test_a_section_outside_the_access_is_refused_clearly(tenant1):
    client = portal_client(make_access(can_see_contracts=False))
    response = client.get("/portal/contracts/")
    assert response.status_code == 403
    assert "This part of the portal is not included in your access" in response.content.decode()


def test_changing_the_password_signs_out_other_browsers(tenant1):
    access = make_access()
    here, elsewhere = portal_client(access), portal_client(access)
    response = here.post("/portal/account/", {"current": PASSWORD, "password1": NEW_PASSWORD,
                                              "password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert here.get("/portal/account/").status_code == 200
    assert elsewhere.get("/portal/account/").status_code == 302


def test_link_requests_are_limited_per_address(tenant1, anon_client1, django_capture_on_commit_callbacks):
    access = make_access()
    with django_capture_on_commit_callbacks(execute=True):
        for _attempt in range(settings.LOGIN_FAILURE_LIMIT + 2):
            response = anon_client1.post("/portal/sign-in/link/", {"email": access.email})
            assert response.status_code == 200
    assert len(mail.outbox) == settings.LOGIN_FAILURE_LIMIT


def test_the_quote_link_from_the_email_signs_in_and_comes_back(tenant1, anon_client1):
    # the quote email links to /portal/quotes/<pk>/: signed out, it goes through sign-in and back
    from portal.tests.factories import make_sent_quote

    access = make_access()
    quote = make_sent_quote(customer=access.contact.customer, contact=access.contact)
    first = anon_client1.get(f"/portal/quotes/{quote.pk}/")
    assert first.status_code == 302 and first["Location"] == f"/portal/sign-in/?next=%2Fportal%2Fquotes%2F{quote.pk}%2F"
    assert 'name="next" value="/portal/quotes/%d/"' % quote.pk in anon_client1.get(first["Location"]).content.decode()
    response = anon_client1.post(first["Location"], {"email": access.email, "password": PASSWORD,
                                                     "next": f"/portal/quotes/{quote.pk}/"})
    assert response["Location"] == f"/portal/quotes/{quote.pk}/"
    assert anon_client1.get(response["Location"]).status_code == 200
