from accounts.permissions import MANAGE_USERS, VIEW_USERS
from accounts.roles import Role
from tests.factories import InvitationFactory, UserFactory
from tests.harness.registry import UrlSpec


def a_member():
    return {"pk": UserFactory(role=Role.SALES).pk}


def an_inactive_member():
    return {"pk": UserFactory(role=Role.SALES, is_active=False).pk}


def an_invitation():
    return {"pk": InvitationFactory().pk}


def an_invitation_token():
    from accounts.models import Invitation

    token = "harness-token-" + UserFactory.build().email
    InvitationFactory(token_hash=Invitation.hash_token(token))
    return {"token": token}


SPECS = [
    UrlSpec("accounts:login", public=True),
    UrlSpec("accounts:logout", method="post", public=True),
    UrlSpec("accounts:profile"),
    UrlSpec("accounts:password_change"),
    UrlSpec("accounts:password_reset", public=True),
    UrlSpec("accounts:password_reset_done", public=True),
    UrlSpec("accounts:password_reset_confirm", public=True, kwargs=lambda: {"uidb64": "MQ", "token": "set-password"}, names_object=False,
            note="an invalid link renders the 'link no longer works' page; it names no object"),
    UrlSpec("accounts:password_reset_complete", public=True),
    UrlSpec("accounts:user_list", permission=VIEW_USERS),
    UrlSpec("accounts:user_invite", method="post", permission=MANAGE_USERS,
            data=lambda: {"email": "new.person@example.com", "role": Role.SALES}),
    UrlSpec("accounts:user_role", method="post", permission=MANAGE_USERS, kwargs=a_member,
            data=lambda: {"role": Role.SUPPORT}),
    UrlSpec("accounts:user_deactivate", method="post", permission=MANAGE_USERS, kwargs=a_member),
    UrlSpec("accounts:user_reactivate", method="post", permission=MANAGE_USERS, kwargs=an_inactive_member),
    UrlSpec("accounts:invitation_resend", method="post", permission=MANAGE_USERS, kwargs=an_invitation),
    UrlSpec("accounts:invitation_revoke", method="post", permission=MANAGE_USERS, kwargs=an_invitation),
    UrlSpec("accounts:invitation_accept", public=True, kwargs=an_invitation_token),
]
