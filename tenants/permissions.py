"""Permissions over the tenant's own settings (company profile, branding, regional defaults)."""

from django.utils.translation import gettext_lazy as _

CHANGE_SETTINGS = "tenants.change_settings"

PERMISSIONS = [
    ("change_settings", _("Change the company profile, branding and regional settings")),
]
