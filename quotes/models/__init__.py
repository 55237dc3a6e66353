"""Quotes app models, one module per part: the catalogue and pricing now; quote documents later."""

from quotes.models.catalogue import (  # noqa: F401
    LabourRate, Product, ProductCategory, ProductPriceChange, ProductUnit, QuotesRights, Supplier, compact, spaced,
)
from quotes.models.pricing import PricingSettings, RoundingRule, sell_price_from_cost  # noqa: F401
