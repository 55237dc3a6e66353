"""The tenant's pricing settings: created with defaults once per tenant, changed by managers and admins."""

from __future__ import annotations

from django.db import transaction

from core.events import event_record
from quotes.models import PricingSettings

TENANT_FIELDS = ("currency", "default_tax_rate")  # live on the Tenant (company settings): one home per value
SETTINGS_FIELDS = ("quote_validity_days", "rounding", "approval_margin_below_percent",
                   "approval_discount_above_percent", "approval_total_above", "margin_floor_percent", "terms")


def pricing_settings_ensure() -> PricingSettings:
    """The tenant's one settings row, created with the defaults if missing (a tenant seeder: idempotent)."""
    settings_row, _created = PricingSettings.objects.get_or_create(pk=1)
    return settings_row


@transaction.atomic
def pricing_settings_update(*, acting_user, changes: dict, tenant=None) -> PricingSettings:
    """Save the pricing settings; currency and default tax rate (when given, with `tenant`) go to the Tenant row."""
    unknown = set(changes) - set(SETTINGS_FIELDS) - set(TENANT_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    tenant_changes = {field: changes[field] for field in TENANT_FIELDS if field in changes}
    changes = {field: value for field, value in changes.items() if field in SETTINGS_FIELDS}
    if tenant_changes:
        from tenants.services import tenant_settings_update

        if tenant is None:
            raise TypeError("currency and default_tax_rate need the tenant")
        tenant_settings_update(tenant=tenant, acting_user=acting_user, changes=tenant_changes)
    settings_row = PricingSettings.objects.select_for_update().get(pk=pricing_settings_ensure().pk)
    changed = [field for field, value in changes.items() if getattr(settings_row, field) != value]
    for field in changed:
        setattr(settings_row, field, changes[field])
    if changed:
        settings_row.full_clean()
        settings_row.save()
        labels = [str(PricingSettings._meta.get_field(field).verbose_name) for field in changed]
        event_record(kind="quotes.pricing_settings_changed", actor=acting_user, subject=settings_row,
                     data={"fields": labels})
    return settings_row
