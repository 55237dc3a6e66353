import re

from django.core import mail
from django.test import override_settings

from accounts.models import Invitation, User
from accounts.roles import Role
from core.models import Event

SIGN_IN = "/accounts/sign-in/"


def test_signing_in_lands_on_the_dashboard(anon_client1, make_user):
    # given
    make_user(role=Role.SALES, email="sam@example.com", first_name="Sam")
    # when
    response = anon_client1.post(SIGN_IN, {"email": "SAM@example.com", "password": "correct-horse-battery-staple"}, follow=True)
    # then
    assert response.redirect_chain[-1][0] == "/"
    assert "Welcome, Sam" in response.content.decode()


@override_settings(LOGIN_FAILURE_LIMIT=3, LOGIN_LOCKOUT_SECONDS=900)
def test_repeated_failures_lock_the_email_and_address_pair(anon_client1, make_user):
    # given
    make_user(role=Role.SALES, email="locked@example.com")
    # when three wrong passwords are tried
    for _attempt in range(2):
        response = anon_client1.post(SIGN_IN, {"email": "locked@example.com", "password": "wrong"})
        assert "do not match an active account" in response.content.decode()
    response = anon_client1.post(SIGN_IN, {"email": "locked@example.com", "password": "wrong"})
    # then the lock is announced, and even the right password is refused while it lasts
    assert "Too many failed sign-in attempts. Try again in 15 minutes." in response.content.decode()
    response = anon_client1.post(SIGN_IN, {"email": "locked@example.com", "password": "correct-horse-battery-staple"})
    assert response.status_code == 200
    assert "Too many failed sign-in attempts" in response.content.decode()
    # and the email typed is kept in the form
    assert 'value="locked@example.com"' in response.content.decode()
    # but another address is not locked
    response = anon_client1.post(SIGN_IN, {"email": "locked@example.com", "password": "correct-horse-battery-staple"},
                                 REMOTE_ADDR="10.9.9.9")
    assert response.status_code == 302


def test_a_deactivated_user_cannot_sign_in(anon_client1, make_user):
    make_user(role=Role.SALES, email="old@example.com", is_active=False)
    response = anon_client1.post(SIGN_IN, {"email": "old@example.com", "password": "correct-horse-battery-staple"})
    assert response.status_code == 200
    assert "do not match an active account" in response.content.decode()


def test_session_cookie_is_httponly_and_lax(anon_client1, make_user):
    make_user(role=Role.SALES, email="c@example.com")
    response = anon_client1.post(SIGN_IN, {"email": "c@example.com", "password": "correct-horse-battery-staple"})
    cookie = response.cookies["ccs_session"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["domain"] == ""  # host-only: a session belongs to one tenant host


def test_invite_form_keeps_what_was_typed_on_error(admin_client1):
    response = admin_client1.post("/users/invite/", {"email": "not-an-email", "first_name": "Jane", "role": Role.SALES})
    assert response.status_code == 422
    html = response.content.decode()
    assert 'value="not-an-email"' in html and 'value="Jane"' in html
    assert "Enter a valid email address." in html


def test_inviting_through_htmx_returns_the_refreshed_invitations_panel(admin_client1, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client1.post("/users/invite/", {"email": "jane@example.com", "role": Role.SALES},
                                      HTTP_HX_REQUEST="true", HTTP_HX_TARGET="invitations")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-email="jane@example.com"' in html
    assert "Invitation sent to jane@example.com." in html  # the flash message arrives as an out-of-band toast
    assert 'id="toast-stack" hx-swap-oob="beforeend"' in html
    assert mail.outbox[-1].to == ["jane@example.com"]


def test_changing_a_role_through_htmx_returns_the_row(admin_client1, make_user):
    member = make_user(role=Role.SALES, email="m@example.com")
    response = admin_client1.post(f"/users/{member.pk}/role/", {"role": Role.SUPPORT}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('data-testid="user-row"') == 1
    assert '<option value="Support agent" selected>' in html
    assert User.objects.get(pk=member.pk).role == Role.SUPPORT


def test_the_last_admin_gets_a_clear_message(admin_client1, admin_user):
    response = admin_client1.post(f"/users/{admin_user.pk}/role/", {"role": Role.SALES}, HTTP_HX_REQUEST="true")
    assert response.status_code == 409
    assert "Ada Admin is the last admin. Make someone else an admin first." in response.content.decode()
    assert User.objects.get(pk=admin_user.pk).role == Role.ADMIN


def test_accepting_an_invitation_signs_the_new_user_in(anon_client1, admin_user, django_capture_on_commit_callbacks):
    from accounts.services import invitation_create

    with django_capture_on_commit_callbacks(execute=True):
        invitation_create(email="new@example.com", role=Role.SALES, invited_by=admin_user, base_url="http://test1.localhost")
    link = re.search(r"http://test1\.localhost(/invitation/[^/\s]+/)", mail.outbox[-1].body).group(1)
    page = anon_client1.get(link)
    assert "You were invited as <strong>Sales</strong>" in page.content.decode()
    # when the passwords differ, nothing typed is lost
    response = anon_client1.post(link, {"first_name": "Nia", "last_name": "New", "password1": "a-Long-passw0rd", "password2": "other"})
    assert response.status_code == 200
    assert "The two passwords differ." in response.content.decode() and 'value="Nia"' in response.content.decode()
    # when
    response = anon_client1.post(link, {"first_name": "Nia", "last_name": "New", "password1": "a-Long-passw0rd",
                                        "password2": "a-Long-passw0rd"}, follow=True)
    # then
    assert "Welcome, Nia" in response.content.decode()
    assert Invitation.objects.get(email="new@example.com").accepted_user.email == "new@example.com"
    # and the link is spent
    assert anon_client1.get(link).status_code == 410


def test_an_unknown_invitation_token_is_404(anon_client1):
    assert anon_client1.get("/invitation/made-up-token/").status_code == 404


def test_password_reset_sends_a_working_link_through_the_queue(anon_client1, make_user, django_capture_on_commit_callbacks):
    make_user(role=Role.SALES, email="forgot@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        response = anon_client1.post("/accounts/password/reset/", {"email": "forgot@example.com"})
    assert response.status_code == 302
    link = re.search(r"http://test1\.localhost(/accounts/password/reset/\S+)", mail.outbox[-1].body).group(1)
    form_page = anon_client1.get(link, follow=True)
    set_url = form_page.redirect_chain[-1][0]
    response = anon_client1.post(set_url, {"new_password1": "Brand-new-passw0rd", "new_password2": "Brand-new-passw0rd"})
    assert response.status_code == 302
    assert User.objects.get(email="forgot@example.com").check_password("Brand-new-passw0rd")


def test_profile_edit_records_an_event(admin_client1, admin_user):
    response = admin_client1.post("/accounts/profile/", {"first_name": "Ada", "last_name": "Lovelace", "phone": "01234 567890",
                                                         "timezone": "Europe/Paris", "language": "en-gb"})
    assert response.status_code == 302
    admin_user.refresh_from_db()
    assert (admin_user.last_name, admin_user.timezone) == ("Lovelace", "Europe/Paris")
    assert Event.objects.get(kind="user.profile_changed").data == {"fields": ["last_name", "phone", "timezone"]}


def test_users_page_query_count_is_pinned(admin_client1, make_user, assert_queries):
    for index in range(30):
        make_user(role=Role.SALES, email=f"bulk{index}@example.com")
    with assert_queries(9):
        response = admin_client1.get("/users/")
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="user-row"') == 25
