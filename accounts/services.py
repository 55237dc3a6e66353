"""Every write to users, roles and invitations. Each records an event in the same transaction."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import InvitationInvalid, LastAdminError, SelfActionError, UserAlreadyExists
from accounts.models import Invitation, InvitationStatus, User
from accounts.roles import ROLE_PERMISSIONS, Role
from accounts.selectors import active_admin_count, invitation_get_by_token
from core.email import email_send
from core.events import event_record
from core.models import NotificationLevel
from core.notifications import notify_user


@transaction.atomic
def roles_sync() -> None:
    """Make the role groups of the current schema grant exactly what accounts/roles.py says."""
    for role, names in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        permissions = []
        for name in sorted(names):
            app_label, codename = name.split(".", 1)
            permissions.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        group.permissions.set(permissions)


def _role_group(role: str) -> Group:
    return Group.objects.get(name=Role(role).value)


@transaction.atomic
def user_create(*, email: str, password: str | None, role: str, first_name: str = "", last_name: str = "",
                acting_user=None) -> User:
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise UserAlreadyExists(_("A user with the email %(email)s already exists.") % {"email": email})
    user = User.objects.create_user(email=email, password=password, first_name=first_name.strip(),
                                    last_name=last_name.strip())
    user.groups.set([_role_group(role)])
    event_record(kind="user.created", actor=acting_user, subject=user, data={"email": email, "role": role})
    return user


def _ensure_an_admin_remains(*, user: User) -> None:
    if user.is_active and user.role == Role.ADMIN and active_admin_count() <= 1:
        raise LastAdminError(_("%(name)s is the last admin. Make someone else an admin first.") % {"name": user})


@transaction.atomic
def user_set_role(*, user: User, role: str, acting_user: User) -> User:
    previous = user.role
    if previous == role:
        return user
    if previous == Role.ADMIN:
        _ensure_an_admin_remains(user=user)
    user.groups.set([_role_group(role)])
    user.__dict__.pop("role", None)  # drop the cached role
    event_record(kind="user.role_changed", actor=acting_user, subject=user,
                 data={"email": user.email, "from": previous, "to": role})
    if user.pk != acting_user.pk:
        notify_user(user=user, message=_("%(actor)s changed your role to %(role)s.")
                    % {"actor": acting_user, "role": Role(role).label})
    return user


@transaction.atomic
def user_deactivate(*, user: User, acting_user: User) -> User:
    """The user can no longer sign in or use the API; their history stays. Never yourself, never the last admin."""
    if user.pk == acting_user.pk:
        raise SelfActionError(_("You cannot deactivate yourself."))
    if not user.is_active:
        return user
    _ensure_an_admin_remains(user=user)
    user.is_active = False
    user.deactivated_at = timezone.now()
    user.save(update_fields=["is_active", "deactivated_at"])
    user_api_tokens_revoke(user=user)
    event_record(kind="user.deactivated", actor=acting_user, subject=user, data={"email": user.email})
    return user


@transaction.atomic
def user_reactivate(*, user: User, acting_user: User) -> User:
    if user.is_active:
        return user
    user.is_active = True
    user.deactivated_at = None
    user.save(update_fields=["is_active", "deactivated_at"])
    event_record(kind="user.reactivated", actor=acting_user, subject=user, data={"email": user.email})
    return user


PROFILE_FIELDS = ("first_name", "last_name", "phone", "timezone", "language")


@transaction.atomic
def user_profile_update(*, user: User, changes: dict) -> User:
    changed = [field for field in PROFILE_FIELDS if field in changes and getattr(user, field) != changes[field]]
    for field in changed:
        setattr(user, field, changes[field])
    if changed:
        user.save(update_fields=changed)
        event_record(kind="user.profile_changed", actor=user, subject=user, data={"fields": changed})
    return user


def user_api_tokens_revoke(*, user: User) -> int:
    from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

    count = 0
    for token in OutstandingToken.objects.filter(user=user, blacklistedtoken__isnull=True):
        BlacklistedToken.objects.get_or_create(token=token)
        count += 1
    return count


# Invitations -------------------------------------------------------------------------------------------------

def _invitation_email(*, invitation: Invitation, token: str, base_url: str):
    from django.db import connection

    from tenants.models import Tenant

    tenant = Tenant.objects.get(schema_name=connection.schema_name)
    # Tenant URLs, even when the invitation is made from the system tenant (operator admin, provisioning).
    link = base_url.rstrip("/") + reverse("accounts:invitation_accept", kwargs={"token": token}, urlconf=settings.ROOT_URLCONF)
    message = email_send(
        to=invitation.email,
        subject=_("You are invited to join %(company)s on CCS") % {"company": tenant.name},
        template="accounts/email/invitation",
        context={"invitation": invitation, "link": link, "tenant": tenant,
                 "valid_days": settings.INVITATION_VALID_DAYS},
    )
    invitation.email_message = message
    invitation.save(update_fields=["email_message"])


@transaction.atomic
def invitation_create(*, email: str, role: str, invited_by: User | None, base_url: str,
                      first_name: str = "", last_name: str = "") -> Invitation:
    """Invite someone by email; an open invitation to the same address is replaced by this one."""
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise UserAlreadyExists(_("%(email)s already has an account here.") % {"email": email})
    now = timezone.now()
    Invitation.objects.filter(email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        email=email, role=role, first_name=first_name.strip(), last_name=last_name.strip(),
        token_hash=Invitation.hash_token(token), invited_by=invited_by,
        expires_at=now + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    _invitation_email(invitation=invitation, token=token, base_url=base_url)
    event_record(kind="user.invited", actor=invited_by, subject=invitation, data={"email": email, "role": role})
    return invitation


@transaction.atomic
def invitation_resend(*, invitation: Invitation, acting_user: User, base_url: str) -> Invitation:
    """A fresh link (the old one stops working) and a fresh expiry."""
    token = secrets.token_urlsafe(32)
    invitation.token_hash = Invitation.hash_token(token)
    invitation.expires_at = timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS)
    invitation.save(update_fields=["token_hash", "expires_at"])
    _invitation_email(invitation=invitation, token=token, base_url=base_url)
    event_record(kind="user.invitation_resent", actor=acting_user, subject=invitation, data={"email": invitation.email})
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, acting_user: User) -> Invitation:
    if invitation.status == InvitationStatus.PENDING or invitation.status == InvitationStatus.EXPIRED:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        event_record(kind="user.invitation_revoked", actor=acting_user, subject=invitation,
                     data={"email": invitation.email})
    return invitation


def invitation_check(*, token: str) -> Invitation:
    """The pending invitation behind `token`, or InvitationInvalid saying why the link no longer works."""
    invitation = invitation_get_by_token(token=token)
    if invitation is None:
        raise InvitationInvalid(_("This invitation link is not valid. Ask your administrator for a new one."))
    status = invitation.status
    if status == InvitationStatus.ACCEPTED:
        raise InvitationInvalid(_("This invitation has already been used. Sign in with your email and password."))
    if status == InvitationStatus.REVOKED:
        raise InvitationInvalid(_("This invitation was withdrawn. Ask your administrator for a new one."))
    if status == InvitationStatus.EXPIRED:
        raise InvitationInvalid(_("This invitation has expired. Ask your administrator to send it again."))
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, first_name: str, last_name: str, password: str) -> User:
    invitation = invitation_check(token=token)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != InvitationStatus.PENDING:
        raise InvitationInvalid(_("This invitation has already been used."))
    user = user_create(email=invitation.email, password=password, role=invitation.role,
                       first_name=first_name, last_name=last_name, acting_user=None)
    invitation.accepted_at = timezone.now()
    invitation.accepted_user = user
    invitation.save(update_fields=["accepted_at", "accepted_user"])
    event_record(kind="user.invitation_accepted", actor=user, subject=user,
                 data={"email": user.email, "role": invitation.role})
    if invitation.invited_by and invitation.invited_by.is_active:
        notify_user(
            user=invitation.invited_by,
            message=_("%(name)s accepted your invitation and joined as %(role)s.")
            % {"name": user.full_name or user.email, "role": Role(invitation.role).label},
            link=reverse("accounts:user_list", urlconf=settings.ROOT_URLCONF),
            level=NotificationLevel.SUCCESS,
        )
    return user
