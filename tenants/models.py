"""A tenant is one client company of CCS, with its own PostgreSQL schema and host name."""

from __future__ import annotations

import zoneinfo
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone as django_timezone
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin

from tenants.permissions import PERMISSIONS as TENANT_PERMISSIONS

TIMEZONE_CHOICES = [(name, name) for name in sorted(zoneinfo.available_timezones()) if "/" in name or name == "UTC"]
CURRENCY_CHOICES = [("GBP", "GBP — Pound sterling"), ("EUR", "EUR — Euro"), ("USD", "USD — US dollar")]


class Plan(models.TextChoices):
    TRIAL = "trial", _("Trial")
    BASIC = "basic", _("Basic")
    PROFESSIONAL = "professional", _("Professional")
    ENTERPRISE = "enterprise", _("Enterprise")


class TenantStatus(models.TextChoices):
    TRIAL = "trial", _("Trial")
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")


class Tenant(TenantMixin):
    """The public schema's own row (schema `public`) is the system tenant that CCS operators work in."""

    name = models.CharField(_("name"), max_length=120)
    plan = models.CharField(_("plan"), max_length=20, choices=Plan.choices, default=Plan.TRIAL)
    status = models.CharField(_("status"), max_length=20, choices=TenantStatus.choices, default=TenantStatus.TRIAL)
    trial_ends_on = models.DateField(_("trial ends on"), null=True, blank=True)
    timezone = models.CharField(_("timezone"), max_length=64, choices=TIMEZONE_CHOICES, default="Europe/London")
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES, default="GBP")
    default_tax_rate = models.DecimalField(
        _("default tax rate (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("20.00"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    # Branding
    logo = models.FileField(_("logo"), upload_to="branding/", blank=True)
    primary_colour = models.CharField(
        _("primary colour"),
        max_length=7,
        default="#1d4ed8",
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Use a hex colour such as #1d4ed8."))],
    )
    # Company profile: the AI features read it to speak about the tenant's business.
    description = models.TextField(_("company description"), blank=True)
    products_and_services = models.TextField(_("products and services"), blank=True)
    unique_selling_points = models.TextField(_("unique selling points"), blank=True)
    target_markets = models.TextField(_("target markets"), blank=True)

    created_at = models.DateTimeField(default=django_timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    suspended_at = models.DateTimeField(null=True, blank=True, editable=False)

    auto_create_schema = True
    auto_drop_schema = False

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=TenantStatus.values), name="tenant_status_valid"
            ),
            models.CheckConstraint(condition=models.Q(plan__in=Plan.values), name="tenant_plan_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.schema_name})"

    @property
    def slug(self) -> str:
        """The slug is the schema name and the first label of the tenant's host name."""
        return self.schema_name

    @property
    def is_system(self) -> bool:
        from django_tenants.utils import get_public_schema_name

        return self.schema_name == get_public_schema_name()

    @property
    def is_suspended(self) -> bool:
        return self.status == TenantStatus.SUSPENDED

    @property
    def trial_days_left(self) -> int | None:
        if self.status != TenantStatus.TRIAL or self.trial_ends_on is None:
            return None
        return max((self.trial_ends_on - django_timezone.localdate()).days, 0)

    @property
    def profile_complete(self) -> bool:
        return bool(self.description.strip() and self.products_and_services.strip())


class Domain(DomainMixin):
    class Meta:
        ordering = ["domain"]


class TenantsRights(models.Model):
    """No table: anchors the permissions of tenants/permissions.py in every schema."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = TENANT_PERMISSIONS
