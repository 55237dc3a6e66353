"""Permissions of the accounts app. Roles grant them in accounts/roles.py, the one role-to-permission map."""

from django.utils.translation import gettext_lazy as _

VIEW_USERS = "accounts.view_users"
MANAGE_USERS = "accounts.manage_users"

PERMISSIONS = [
    ("view_users", _("See the team's users and pending invitations")),
    ("manage_users", _("Invite users, change their role, deactivate and reactivate them")),
]
