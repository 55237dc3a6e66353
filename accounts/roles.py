"""The role table: which permissions each role grants. This is the only place that maps roles to permissions.

Roles are Django groups created in every tenant schema at provisioning and re-synchronised by `bootstrap`, so a
permission added here reaches every existing tenant on the next deploy. Later apps add their permission names to
the sets below; tests/test_role_matrix.py pins the whole matrix.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts import permissions as accounts_permissions
from ai_prompts import permissions as ai
from core import permissions as core_permissions
from crm import permissions as crm
from helpdesk import permissions as helpdesk
from portal import permissions as portal
from quotes import permissions as quotes
from tenants import permissions as tenants_permissions


class Role(models.TextChoices):
    # The value is the Django group name.
    ADMIN = "Admin", _("Admin")
    MANAGER = "Manager", _("Manager")
    SALES = "Sales", _("Sales")
    SUPPORT = "Support agent", _("Support agent")
    READ_ONLY = "Read-only", _("Read-only")


ROLE_DESCRIPTIONS = {
    Role.ADMIN: _("Everything, including users and company settings."),
    Role.MANAGER: _("Runs the team: sees users and all commercial and support work."),
    Role.SALES: _("Customers, pipeline and quotes."),
    Role.SUPPORT: _("Helpdesk tickets and support contracts."),
    Role.READ_ONLY: _("Can look at everything they are shown, change nothing."),
}

EVERYONE = {core_permissions.VIEW_DASHBOARD}

EVERYONE |= {crm.VIEW_CUSTOMERS}
CRM_ALL = {crm.CHANGE_CUSTOMERS, crm.ARCHIVE_CUSTOMERS, crm.MERGE_CUSTOMERS, crm.EXPORT_CUSTOMERS, crm.MANAGE_SECTORS,
          crm.IMPORT_CUSTOMERS}

EVERYONE |= {helpdesk.VIEW_TICKETS, helpdesk.VIEW_CONTRACTS}
HELPDESK_ALL = {helpdesk.WORK_TICKETS, helpdesk.MANAGE_HELPDESK, helpdesk.MANAGE_CONTRACTS}

# The catalogue: everyone looks things up; Sales add products as they quote; margins and settings are managers'.
EVERYONE |= {quotes.VIEW_CATALOGUE}
PRICING_ALL = {quotes.CHANGE_CATALOGUE, quotes.MANAGE_PRICING, quotes.CHANGE_PRICING_SETTINGS}
PRICING_ALL |= {quotes.IMPORT_PRICE_LIST}  # thousands of prices at once: Managers and Admins only
# Quotes: everyone reads them; Sales, Managers and Admins write them; only Managers and Admins approve.
EVERYONE |= {quotes.VIEW_QUOTES}
PRICING_ALL |= {quotes.CHANGE_QUOTES, quotes.APPROVE_QUOTES}
# The customer portal: everyone who deals with customers invites their contacts and revokes them (not Read-only).
PORTAL_ALL = {portal.MANAGE_PORTAL_ACCESS}

# AI: everyone who changes things may run it (it spends the tenant's budget); prompts, key and usage are Admins'.
AI_USE = {ai.USE_AI}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.ADMIN: frozenset(
        EVERYONE
        | CRM_ALL
        | HELPDESK_ALL
        | PRICING_ALL
        | PORTAL_ALL
        | {
            accounts_permissions.VIEW_USERS,
            accounts_permissions.MANAGE_USERS,
            tenants_permissions.CHANGE_SETTINGS,
            ai.MANAGE_AI,
        }
        | AI_USE
    ),
    Role.MANAGER: frozenset(EVERYONE | CRM_ALL | HELPDESK_ALL | PRICING_ALL | PORTAL_ALL | AI_USE | {accounts_permissions.VIEW_USERS}),
    Role.SALES: frozenset(EVERYONE | {crm.CHANGE_CUSTOMERS, crm.EXPORT_CUSTOMERS, helpdesk.WORK_TICKETS,
                                      quotes.CHANGE_CATALOGUE, quotes.CHANGE_QUOTES} | PORTAL_ALL | AI_USE),
    Role.SUPPORT: frozenset(EVERYONE | {helpdesk.WORK_TICKETS} | PORTAL_ALL | AI_USE),
    Role.READ_ONLY: frozenset(EVERYONE),
}


def all_declared_permissions() -> set[str]:
    """Every permission some app declares in its permissions module, as 'app_label.codename'."""
    declared = set()
    for module, app_label in (
        (accounts_permissions, "accounts"),
        (core_permissions, "core"),
        (tenants_permissions, "tenants"),
        (crm, "crm"),
        (helpdesk, "helpdesk"),
        (quotes, "quotes"),
        (portal, "portal"),
        (ai, "ai_prompts"),
    ):
        declared |= {f"{app_label}.{codename}" for codename, _label in module.PERMISSIONS}
    return declared
