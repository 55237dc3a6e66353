"""Permissions of the customer portal's staff side. Roles grant them in accounts/roles.py.

Who may see which contacts have portal access is whoever sees the customer (crm.view_customers); inviting a contact,
changing what they see and revoking their access is for the people who deal with customers: Admin, Manager, Sales and
Support agents (not Read-only).

Portal users themselves hold no Django permission at all: they are not staff users (ADR portal authentication).
"""

from django.utils.translation import gettext_lazy as _

MANAGE_PORTAL_ACCESS = "portal.manage_portal_access"

PERMISSIONS = [
    ("manage_portal_access", _("Invite customer contacts to the portal, change what they see, revoke their access")),
]
