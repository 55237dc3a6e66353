from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name

from tenants.models import Tenant, TenantStatus
from tenants.validators import validate_tenant_slug


def tenant_list_for_jobs() -> QuerySet[Tenant]:
    """Tenants whose periodic jobs run: everyone but the system tenant and suspended tenants."""
    return Tenant.objects.exclude(schema_name=get_public_schema_name()).exclude(status=TenantStatus.SUSPENDED)


def tenant_slug_problem(slug: str) -> str | None:
    """Why `slug` cannot be used (invalid, reserved, taken), or None when it is free."""
    try:
        validate_tenant_slug(slug)
    except ValidationError as error:
        return error.messages[0]
    if Tenant.objects.filter(schema_name=slug).exists():
        return _("“%(slug)s” is already taken.") % {"slug": slug}
    return None

