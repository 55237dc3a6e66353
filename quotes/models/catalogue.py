"""The catalogue: suppliers, product categories, products with their price history, and labour rates.

Prices are Decimal with two places and never negative (zero is allowed: free-issue items and included labour).
The database enforces that and the one-part-number-per-supplier rule, so no import or API path can get around it.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower, Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quotes.permissions import PERMISSIONS

ZERO = Decimal("0.00")
MONEY = {"max_digits": 12, "decimal_places": 2, "validators": [MinValueValidator(ZERO)]}
PERCENT = {"max_digits": 6, "decimal_places": 2, "validators": [MinValueValidator(ZERO)]}


class QuotesRights(models.Model):
    """No table: anchors quotes/permissions.py in every tenant schema."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = PERMISSIONS


class Supplier(models.Model):
    name = models.CharField(_("name"), max_length=120)
    account_number = models.CharField(_("our account number"), max_length=60, blank=True)
    contact_name = models.CharField(_("contact name"), max_length=120, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.CharField(_("website"), max_length=200, blank=True)
    is_preferred = models.BooleanField(_("preferred supplier"), default=False,
                                       help_text=_("Listed first when the same part comes from several suppliers."))
    notes = models.TextField(_("notes"), blank=True)
    archived_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="quotes_supplier_name_unique_ci")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class ProductCategory(models.Model):
    name = models.CharField(_("name"), max_length=80)
    default_markup_percent = models.DecimalField(
        _("default markup %"), default=Decimal("25.00"), **PERCENT,
        help_text=_("Added to the cost to suggest a sell price, e.g. 25 turns a cost of 100.00 into 125.00."))

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("product categories")
        constraints = [
            models.UniqueConstraint(Lower("name"), name="quotes_category_name_unique_ci"),
            models.CheckConstraint(condition=Q(default_markup_percent__gte=0), name="quotes_category_markup_not_negative"),
        ]

    def __str__(self) -> str:
        return self.name


class ProductUnit(models.TextChoices):
    EACH = "each", _("each")
    HOUR = "hour", _("hour")
    DAY = "day", _("day")
    METRE = "metre", _("metre")
    BOX = "box", _("box")
    PACK = "pack", _("pack")
    REEL = "reel", _("reel")
    PAIR = "pair", _("pair")
    SET = "set", _("set")
    LICENCE = "licence", _("licence")
    USER = "user", _("user")
    MONTH = "month", _("month")
    YEAR = "year", _("year")


_NOT_ALPHANUMERIC = re.compile(r"[^0-9a-z]+")


def compact(text: str) -> str:
    """'UTP-C6 / 305m' -> 'utpc6305m': how a part number is typed without its punctuation."""
    return _NOT_ALPHANUMERIC.sub("", text.lower())


def spaced(text: str) -> str:
    """'PC6-2M-BL' -> 'pc6 2m bl': the parts of a part number as words (short search words match word starts)."""
    return _NOT_ALPHANUMERIC.sub(" ", text.lower()).strip()


def product_search_fields(part_number: str, description: str) -> tuple[str, str]:
    """(search_text, part_number_key) of a product: what `refresh_search_text` sets, for bulk writes too."""
    part = part_number.lower()
    return f"{part} {compact(part)} {spaced(part)} {description.lower()}", part


class Product(models.Model):
    supplier = models.ForeignKey(Supplier, verbose_name=_("supplier"), on_delete=models.PROTECT, related_name="products")
    part_number = models.CharField(_("part number"), max_length=60)
    description = models.TextField(_("description"))
    category = models.ForeignKey(ProductCategory, verbose_name=_("category"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="products")
    unit = models.CharField(_("unit"), max_length=10, choices=ProductUnit.choices, default=ProductUnit.EACH)
    cost_price = models.DecimalField(_("cost price"), default=ZERO, **MONEY)
    list_price = models.DecimalField(_("list price"), default=ZERO, **MONEY,
                                     help_text=_("The supplier's list (RRP) or your standard sell price."))
    is_active = models.BooleanField(_("active"), default=True,
                                    help_text=_("Inactive products stay on old quotes but are not offered on new ones."))
    notes = models.TextField(_("notes"), blank=True)
    # Kept in step by refresh_search_text() (save() and the bulk paths call it): what product search matches,
    # under a trigram GIN index.
    search_text = models.TextField(editable=False, default="")
    part_number_key = models.CharField(max_length=60, editable=False, default="")  # lower(part_number), for prefixes
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["part_number"]
        constraints = [
            models.UniqueConstraint(F("supplier"), Upper("part_number"), name="quotes_product_part_number_per_supplier"),
            models.CheckConstraint(condition=Q(cost_price__gte=0), name="quotes_product_cost_price_not_negative"),
            models.CheckConstraint(condition=Q(list_price__gte=0), name="quotes_product_list_price_not_negative"),
            models.CheckConstraint(condition=Q(unit__in=ProductUnit.values), name="quotes_product_unit_valid"),
        ]
        indexes = [
            GinIndex(fields=["search_text"], opclasses=["gin_trgm_ops"], name="quotes_product_search_trgm"),
            models.Index(fields=["part_number"], name="quotes_product_part_number"),
            # "part numbers starting with what was typed", in any database collation: a range scan, not a search
            models.Index(fields=["part_number_key"], opclasses=["varchar_pattern_ops"], name="quotes_product_part_prefix"),
            models.Index(fields=["category", "part_number"], name="quotes_product_category"),
        ]

    def __str__(self) -> str:
        return f"{self.part_number} — {self.description[:60]}"

    def refresh_search_text(self) -> None:
        """Part number as typed, without punctuation and split into words, then the description: all lower case.
        (The same expression in SQL is in migration 0003, which refreshed the rows written before it.)"""
        self.search_text, self.part_number_key = product_search_fields(self.part_number, self.description)

    def save(self, *args, **kwargs):
        self.refresh_search_text()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text", "part_number_key", "updated_at"}
        super().save(*args, **kwargs)


class ProductPriceChange(models.Model):
    """One row each time a product's cost or list price changes: who, when, from what to what."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="price_changes")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)
    old_cost_price = models.DecimalField(max_digits=12, decimal_places=2, null=True)
    new_cost_price = models.DecimalField(max_digits=12, decimal_places=2)
    old_list_price = models.DecimalField(max_digits=12, decimal_places=2, null=True)
    new_list_price = models.DecimalField(max_digits=12, decimal_places=2)
    source = models.CharField(max_length=40, default="edit")  # edit, create, api, import

    class Meta:
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["product", "-changed_at"], name="quotes_price_change_product")]


class LabourRate(models.Model):
    """What an hour or a day of a role costs the company and what it is sold at."""

    name = models.CharField(_("role"), max_length=80)
    cost_per_hour = models.DecimalField(_("cost per hour"), default=ZERO, **MONEY)
    sell_per_hour = models.DecimalField(_("sell per hour"), default=ZERO, **MONEY)
    cost_per_day = models.DecimalField(_("cost per day"), default=ZERO, **MONEY)
    sell_per_day = models.DecimalField(_("sell per day"), default=ZERO, **MONEY)
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="quotes_labour_rate_name_unique_ci"),
            models.CheckConstraint(
                condition=Q(cost_per_hour__gte=0, sell_per_hour__gte=0, cost_per_day__gte=0, sell_per_day__gte=0),
                name="quotes_labour_rate_not_negative"),
        ]

    def __str__(self) -> str:
        return self.name
