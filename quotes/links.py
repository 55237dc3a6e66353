"""Links to a quote that leave CCS in an email: one function, so the portal's path lives in one place."""

from __future__ import annotations

from django.db import connection


def current_tenant():
    """The Tenant row of the current schema. In a Celery task django-tenants' connection.tenant is a FakeTenant
    with a schema name only (no name, colour, logo or domains), so the row is read again there."""
    from tenants.models import Tenant

    tenant = connection.tenant
    if isinstance(tenant, Tenant):
        return tenant
    return Tenant.objects.get(schema_name=connection.schema_name)


def quote_portal_url(quote) -> str:
    """https://<tenant primary domain>/portal/quotes/<pk>/: where the customer views, accepts or rejects the quote
    (the customer portal answers on the tenant's own host; it asks the contact to sign in)."""
    from django.urls import reverse

    from tenants.services import tenant_domain_for

    tenant = current_tenant()
    domain = tenant.get_primary_domain()
    host = domain.domain if domain is not None else tenant_domain_for(tenant.schema_name)
    return f"https://{host}{reverse('portal:quote_detail', args=[quote.pk])}"
