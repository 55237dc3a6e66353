"""Permissions of the helpdesk. Roles grant them in accounts/roles.py."""

from django.utils.translation import gettext_lazy as _

VIEW_TICKETS = "helpdesk.view_tickets"
WORK_TICKETS = "helpdesk.work_tickets"
MANAGE_HELPDESK = "helpdesk.manage_helpdesk"
VIEW_CONTRACTS = "helpdesk.view_contracts"
MANAGE_CONTRACTS = "helpdesk.manage_contracts"

PERMISSIONS = [
    ("view_tickets", _("See tickets, their conversations and attachments")),
    ("work_tickets", _("Create tickets, reply, add notes and time, assign and change status")),
    ("manage_helpdesk", _("Edit SLA policies, ticket categories and canned responses")),
    ("view_contracts", _("See support contracts, their hours and renewals")),
    ("manage_contracts", _("Create, edit, renew and cancel support contracts")),
]
