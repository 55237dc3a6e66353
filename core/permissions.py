"""Permissions of the shared core pages."""

from django.utils.translation import gettext_lazy as _

VIEW_DASHBOARD = "core.view_dashboard"

PERMISSIONS = [
    ("view_dashboard", _("See the dashboard")),
]
