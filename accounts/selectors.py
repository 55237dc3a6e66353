"""Reads of users and invitations, always inside what the requesting user may see (the current schema)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import Invitation, User


def user_list(*, search: str = "", include_inactive: bool = True) -> QuerySet[User]:
    users = User.objects.prefetch_related("groups").order_by("first_name", "last_name", "email")
    if not include_inactive:
        users = users.filter(is_active=True)
    if search:
        from django.db.models import Q

        users = users.filter(Q(email__icontains=search) | Q(first_name__icontains=search) | Q(last_name__icontains=search))
    return users


def user_list_with_role(*, role: str) -> QuerySet[User]:
    return User.objects.filter(is_active=True, groups__name=role)


def user_get_for_user(*, user: User, pk) -> User:
    """The same 404 for "no such user" and "not visible to you"; only the current schema is ever searched."""
    try:
        return user_list().get(pk=int(pk))
    except (User.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def invitation_list_open() -> QuerySet[Invitation]:
    return (
        Invitation.objects.filter(accepted_at__isnull=True, revoked_at__isnull=True)
        .select_related("invited_by", "email_message")
        .order_by("-created_at")
    )


def invitation_get_for_user(*, user: User, pk) -> Invitation:
    try:
        return invitation_list_open().get(pk=int(pk))
    except (Invitation.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def invitation_get_by_token(*, token: str) -> Invitation | None:
    return Invitation.objects.select_related("invited_by").filter(token_hash=Invitation.hash_token(token)).first()


def active_admin_count() -> int:
    from accounts.roles import Role

    return User.objects.filter(is_active=True, groups__name=Role.ADMIN).count()

