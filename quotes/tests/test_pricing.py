"""Sell prices from cost and markup, to the penny, under each rounding rule; and the tenant's settings row."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from core.models import Event
from quotes.models import PricingSettings, RoundingRule, sell_price_from_cost
from quotes.services.pricing import pricing_settings_ensure, pricing_settings_update

D = Decimal


@pytest.mark.parametrize(("cost", "markup", "rounding", "expected"), [
    # hand-computed: cost × (1 + markup / 100), then half up to the step
    ("100.00", "25.00", "0.01", "125.00"),
    ("10.00", "33.33", "0.01", "13.33"),   # 13.333
    ("10.00", "33.35", "0.01", "13.34"),   # 13.335 -> half up
    ("0.99", "15.00", "0.01", "1.14"),     # 1.1385
    ("10.00", "33.33", "0.05", "13.35"),   # 13.333 / 0.05 = 266.66 -> 267 × 0.05
    ("10.00", "32.50", "0.05", "13.25"),   # exact
    ("10.00", "31.25", "0.05", "13.15"),   # 13.125 -> 262.5 steps -> half up 263
    ("12.34", "0.00", "0.10", "12.30"),
    ("12.35", "0.00", "0.10", "12.40"),    # half up, not banker's
    ("7.20", "25.00", "0.50", "9.00"),
    ("7.40", "25.00", "1.00", "9.00"),     # 9.25
    ("7.60", "25.00", "1.00", "10.00"),    # 9.50 -> half up
    ("0.00", "40.00", "0.01", "0.00"),     # zero cost stays zero
    ("1234567.89", "12.50", "0.01", "1388888.88"),  # 1388888.87625
])
def test_sell_price_from_cost_is_exact_to_the_penny(cost, markup, rounding, expected):
    # when
    price = sell_price_from_cost(cost=D(cost), markup_percent=D(markup), rounding=rounding)
    # then
    assert price == D(expected)
    assert price.as_tuple().exponent == -2


def test_floats_are_refused():
    with pytest.raises(TypeError):
        sell_price_from_cost(cost=10.0, markup_percent=D("10"))


def test_each_tenant_starts_with_uk_defaults(tenant1):
    # given the seeders ran at provisioning
    settings_row = PricingSettings.objects.get()
    # then
    assert (tenant1.currency, tenant1.default_tax_rate) == ("GBP", D("20.00"))  # held by the Tenant, one home each
    assert settings_row.quote_validity_days == 30
    assert settings_row.rounding == RoundingRule.PENNY
    assert settings_row.approval_margin_below_percent is None and settings_row.approval_total_above is None
    assert "Late Payment of Commercial Debts" in settings_row.terms
    assert pricing_settings_ensure().pk == settings_row.pk
    assert PricingSettings.objects.count() == 1


def test_updating_the_settings_records_which_fields_changed(tenant1, admin_user):
    # when
    settings_row = pricing_settings_update(acting_user=admin_user, tenant=tenant1, changes={
        "rounding": RoundingRule.FIVE_PENCE, "approval_total_above": D("10000.00"), "currency": "GBP",
        "default_tax_rate": D("5.00")})
    # then
    settings_row.refresh_from_db()
    tenant1.refresh_from_db()
    assert settings_row.rounding == "0.05" and settings_row.approval_total_above == D("10000.00")
    assert (tenant1.currency, tenant1.default_tax_rate) == ("GBP", D("5.00"))
    assert settings_row.sell_price(cost=D("10.00"), markup_percent=D("33.33")) == D("13.35")
    event = Event.objects.get(kind="quotes.pricing_settings_changed")
    assert event.actor == admin_user and len(event.data["fields"]) == 2


def test_a_margin_floor_above_100_is_refused(tenant1, admin_user):
    with pytest.raises(ValidationError):
        pricing_settings_update(acting_user=admin_user, changes={"margin_floor_percent": D("120.00")})
    assert PricingSettings.objects.get().margin_floor_percent == D("15.00")
