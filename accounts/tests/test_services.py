from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts import services
from accounts.errors import InvitationInvalid, LastAdminError, SelfActionError, UserAlreadyExists
from accounts.models import Invitation, User
from accounts.roles import Role
from core.models import EmailStatus, Event, Notification

BASE_URL = "http://test1.localhost:8000"


def _token_from_last_email() -> str:
    body = mail.outbox[-1].body
    link = next(line for line in body.splitlines() if "/invitation/" in line)
    return link.rstrip("/").rsplit("/", 1)[-1]


def test_inviting_emails_a_one_time_link_and_records_the_event(admin_user, django_capture_on_commit_callbacks):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(email="Jane@Example.com", role=Role.SALES, invited_by=admin_user,
                                                base_url=BASE_URL)
    # then
    assert invitation.email == "jane@example.com"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["jane@example.com"]
    assert f"{BASE_URL}/invitation/" in mail.outbox[0].body
    token = _token_from_last_email()
    assert invitation.token_hash == Invitation.hash_token(token) and token not in invitation.token_hash
    invitation.refresh_from_db()
    assert invitation.email_message.status == EmailStatus.SENT
    assert Event.objects.filter(kind="user.invited", actor=admin_user).count() == 1


def test_accepting_creates_the_user_with_the_role_and_notifies_the_inviter(admin_user, django_capture_on_commit_callbacks):
    # given
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(email="jane@example.com", role=Role.SUPPORT, invited_by=admin_user, base_url=BASE_URL)
    token = _token_from_last_email()
    # when
    with django_capture_on_commit_callbacks(execute=True):
        user = services.invitation_accept(token=token, first_name="Jane", last_name="Doe", password="a-Long-passw0rd")
    # then
    assert user.role == Role.SUPPORT and user.check_password("a-Long-passw0rd")
    notification = Notification.objects.get(recipient=admin_user)
    assert notification.message == "Jane Doe accepted your invitation and joined as Support agent."
    with pytest.raises(InvitationInvalid, match="already been used"):
        services.invitation_accept(token=token, first_name="X", last_name="Y", password="a-Long-passw0rd")


def test_resending_replaces_the_link(admin_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(email="re@example.com", role=Role.SALES, invited_by=admin_user, base_url=BASE_URL)
    first_token = _token_from_last_email()
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_resend(invitation=invitation, acting_user=admin_user, base_url=BASE_URL)
    second_token = _token_from_last_email()
    assert first_token != second_token
    with pytest.raises(InvitationInvalid, match="not valid"):
        services.invitation_check(token=first_token)
    assert services.invitation_check(token=second_token).pk == invitation.pk


def test_revoked_and_expired_links_say_why(admin_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        revoked = services.invitation_create(email="a@example.com", role=Role.SALES, invited_by=admin_user, base_url=BASE_URL)
    revoked_token = _token_from_last_email()
    with django_capture_on_commit_callbacks(execute=True):
        expired = services.invitation_create(email="b@example.com", role=Role.SALES, invited_by=admin_user, base_url=BASE_URL)
    expired_token = _token_from_last_email()
    services.invitation_revoke(invitation=revoked, acting_user=admin_user)
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(InvitationInvalid, match="withdrawn"):
        services.invitation_check(token=revoked_token)
    with pytest.raises(InvitationInvalid, match="expired"):
        services.invitation_check(token=expired_token)


def test_inviting_an_existing_user_is_refused(admin_user):
    with pytest.raises(UserAlreadyExists):
        services.invitation_create(email="ADMIN@test1.example.com", role=Role.SALES, invited_by=admin_user, base_url=BASE_URL)


def test_the_last_admin_can_neither_be_demoted_nor_deactivated(admin_user, make_user):
    other = make_user(role=Role.SALES)
    with pytest.raises(LastAdminError):
        services.user_set_role(user=admin_user, role=Role.MANAGER, acting_user=admin_user)
    with pytest.raises(SelfActionError):
        services.user_deactivate(user=admin_user, acting_user=admin_user)
    # given a second admin, the first may step down
    services.user_set_role(user=other, role=Role.ADMIN, acting_user=admin_user)
    services.user_set_role(user=admin_user, role=Role.MANAGER, acting_user=admin_user)
    assert User.objects.get(pk=admin_user.pk).role == Role.MANAGER
    with pytest.raises(LastAdminError):
        services.user_deactivate(user=other, acting_user=admin_user)


def test_changing_a_role_records_it_and_tells_the_user(admin_user, make_user):
    member = make_user(role=Role.SALES)
    services.user_set_role(user=member, role=Role.SUPPORT, acting_user=admin_user)
    event = Event.objects.get(kind="user.role_changed")
    assert event.data == {"email": member.email, "from": Role.SALES, "to": Role.SUPPORT}
    assert Notification.objects.get(recipient=member).message == "Ada Admin changed your role to Support agent."


def test_deactivated_users_cannot_sign_in_and_lose_their_api_tokens(admin_user, make_user):
    from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken

    from accounts.api import token_pair_for

    member = make_user(role=Role.SALES, email="gone@example.com")
    token_pair_for(member)
    services.user_deactivate(user=member, acting_user=admin_user)
    member.refresh_from_db()
    assert member.is_active is False
    assert BlacklistedToken.objects.filter(token__user=member).count() == 1
    services.user_reactivate(user=member, acting_user=admin_user)
    assert User.objects.get(pk=member.pk).is_active is True
