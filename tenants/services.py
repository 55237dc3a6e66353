"""Every write to tenants goes through here: provisioning (command, signup and operator admin share it),
suspension, reactivation and the tenant's own settings."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import schema_context, tenant_context

from core.events import event_record
from core.seeding import run_tenant_seeders
from tenants.errors import TenantSlugUnavailable
from tenants.models import Domain, Plan, Tenant, TenantStatus
from tenants.selectors import tenant_slug_problem

logger = logging.getLogger(__name__)


@dataclass
class ProvisionResult:
    tenant: Tenant
    admin_user_id: int | None
    invitation_id: int | None
    seconds: float


def tenant_domain_for(slug: str) -> str:
    return f"{slug}.{settings.BASE_DOMAIN}"


def tenant_provision(
    *,
    slug: str,
    name: str,
    admin_email: str,
    admin_password: str | None = None,
    admin_first_name: str = "",
    admin_last_name: str = "",
    plan: str = Plan.TRIAL,
    acting_user=None,
) -> ProvisionResult:
    """Create the tenant, its schema (all tenant migrations), its host name, its roles and its first admin.

    With a password the admin can sign in at once; without one they get an invitation email to set it.
    Outside a transaction, a failure after the schema exists drops it again, so a retry can use the same slug.
    """
    started = time.perf_counter()
    slug = slug.strip().lower()
    problem = tenant_slug_problem(slug)
    if problem:
        raise TenantSlugUnavailable(problem)
    status = TenantStatus.TRIAL if plan == Plan.TRIAL else TenantStatus.ACTIVE
    with schema_context("public"):
        tenant = Tenant(
            schema_name=slug,
            name=name.strip(),
            plan=plan,
            status=status,
            trial_ends_on=timezone.localdate() + timedelta(days=settings.TRIAL_DAYS) if plan == Plan.TRIAL else None,
        )
        tenant.save(verbosity=0)  # creates and migrates the schema
        try:
            with transaction.atomic():
                Domain.objects.create(domain=tenant_domain_for(slug), tenant=tenant, is_primary=True)
                event_record(kind="tenant.provisioned", actor=acting_user, subject=tenant,
                             data={"slug": slug, "name": tenant.name, "plan": plan})
            admin_user_id, invitation_id = _tenant_first_admin(
                tenant=tenant,
                email=admin_email,
                password=admin_password,
                first_name=admin_first_name,
                last_name=admin_last_name,
            )
        except Exception:
            logger.exception("provisioning failed", extra={"slug": slug})
            if not connection.in_atomic_block:  # inside a transaction, its rollback removes the schema too
                tenant.delete(force_drop=True)
            raise
    seconds = time.perf_counter() - started
    logger.info("tenant provisioned", extra={"slug": slug, "seconds": round(seconds, 3)})
    return ProvisionResult(tenant=tenant, admin_user_id=admin_user_id, invitation_id=invitation_id, seconds=seconds)


def _tenant_first_admin(*, tenant, email, password, first_name, last_name) -> tuple[int | None, int | None]:
    from accounts.roles import Role
    from accounts.services import invitation_create, user_create

    with tenant_context(tenant), transaction.atomic():
        run_tenant_seeders()
        if password:
            user = user_create(email=email, password=password, first_name=first_name, last_name=last_name,
                               role=Role.ADMIN, acting_user=None)
            return user.pk, None
        invitation = invitation_create(email=email, role=Role.ADMIN, first_name=first_name, last_name=last_name,
                                       invited_by=None, base_url=tenant_base_url(tenant))
        return None, invitation.pk


def tenant_base_url(tenant: Tenant) -> str:
    port = f":{settings.PUBLIC_PORT}" if settings.PUBLIC_PORT else ""
    return f"{settings.SITE_SCHEME}://{tenant_domain_for(tenant.schema_name)}{port}"


@transaction.atomic
def tenant_suspend(*, tenant: Tenant, acting_user=None, reason: str = "") -> Tenant:
    """Stop the tenant's staff from signing in; all data stays."""
    if tenant.is_system:
        raise ValueError("The system tenant cannot be suspended.")
    if tenant.status != TenantStatus.SUSPENDED:
        tenant.status = TenantStatus.SUSPENDED
        tenant.suspended_at = timezone.now()
        tenant.save(update_fields=["status", "suspended_at", "updated_at"])
        event_record(kind="tenant.suspended", actor=acting_user, subject=tenant, data={"reason": reason})
    return tenant


@transaction.atomic
def tenant_reactivate(*, tenant: Tenant, acting_user=None) -> Tenant:
    if tenant.status == TenantStatus.SUSPENDED:
        tenant.status = TenantStatus.TRIAL if tenant.plan == Plan.TRIAL else TenantStatus.ACTIVE
        tenant.suspended_at = None
        tenant.save(update_fields=["status", "suspended_at", "updated_at"])
        event_record(kind="tenant.reactivated", actor=acting_user, subject=tenant, data={})
    return tenant


@transaction.atomic
def tenant_plan_change(*, tenant: Tenant, plan: str, acting_user=None) -> Tenant:
    previous = tenant.plan
    if previous == plan:
        return tenant
    tenant.plan = plan
    if plan != Plan.TRIAL and tenant.status == TenantStatus.TRIAL:
        tenant.status = TenantStatus.ACTIVE
    tenant.save(update_fields=["plan", "status", "updated_at"])
    event_record(kind="tenant.plan_changed", actor=acting_user, subject=tenant, data={"from": previous, "to": plan})
    return tenant


SETTINGS_FIELDS = (
    "name", "description", "products_and_services", "unique_selling_points", "target_markets",
    "timezone", "currency", "default_tax_rate", "primary_colour",
)


def tenant_settings_update(*, tenant: Tenant, acting_user, changes: dict, logo=None, remove_logo: bool = False) -> Tenant:
    """Save the tenant's own settings (the Tenant row lives in public) and record the change in the tenant's history."""
    changed = sorted(field for field in SETTINGS_FIELDS if field in changes and getattr(tenant, field) != changes[field])
    for field in changed:
        setattr(tenant, field, changes[field])
    if remove_logo and tenant.logo:
        tenant.logo.delete(save=False)
        tenant.logo = ""
        changed.append("logo")
    if logo is not None:
        from tenants.branding import logo_store

        if tenant.logo:
            tenant.logo.delete(save=False)
        tenant.logo = logo_store(tenant=tenant, upload=logo)
        changed.append("logo")
    if changed:
        tenant.save(update_fields=[*{f for f in changed}, "updated_at"])
        with transaction.atomic():
            event_record(kind="tenant.settings_changed", actor=acting_user, subject=None, data={"fields": changed})
    return tenant
