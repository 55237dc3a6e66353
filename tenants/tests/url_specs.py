from tenants.permissions import CHANGE_SETTINGS
from tests.harness.registry import UrlSpec


def a_logo():
    """The logo URL names no object: it always serves the current tenant's own logo. Give test1 one."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.db import connection

    from tests.images import png_bytes

    tenant = connection.tenant
    tenant.logo = default_storage.save(f"{tenant.schema_name}/branding/harness.png", ContentFile(png_bytes()))
    tenant.save(update_fields=["logo"])
    return {}


SPECS = [
    UrlSpec("tenants:settings", permission=CHANGE_SETTINGS),
    UrlSpec("tenants:logo", kwargs=a_logo, names_object=False, note="serves the current tenant's logo only"),
]
