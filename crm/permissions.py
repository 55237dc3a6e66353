"""Permissions of the CRM. Roles grant them in accounts/roles.py."""

from django.utils.translation import gettext_lazy as _

VIEW_CUSTOMERS = "crm.view_customers"
CHANGE_CUSTOMERS = "crm.change_customers"
ARCHIVE_CUSTOMERS = "crm.archive_customers"
MERGE_CUSTOMERS = "crm.merge_customers"
EXPORT_CUSTOMERS = "crm.export_customers"
MANAGE_SECTORS = "crm.manage_sectors"
IMPORT_CUSTOMERS = "crm.import_customers"

PERMISSIONS = [
    ("view_customers", _("See customers, their contacts, addresses and timeline")),
    ("change_customers", _("Create and edit customers, change their status and owner")),
    ("archive_customers", _("Archive and restore customers")),
    ("merge_customers", _("Merge two customers into one")),
    ("export_customers", _("Export the customer list as CSV")),
    ("manage_sectors", _("Add business sectors to the reference list")),
    ("import_customers", _("Import customers from CSV or Excel files")),
]
