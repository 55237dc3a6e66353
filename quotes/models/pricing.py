"""The tenant's pricing settings: one row per tenant schema, created with UK defaults at provisioning."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

PENNY = Decimal("0.01")


class RoundingRule(models.TextChoices):
    """The step a computed sell price is rounded to (half up): 12.3456 -> 12.35 / 12.35 / 12.30 / 12.50 / 12.00."""

    PENNY = "0.01", _("to the penny (0.01)")
    FIVE_PENCE = "0.05", _("to 5p (0.05)")
    TEN_PENCE = "0.10", _("to 10p (0.10)")
    FIFTY_PENCE = "0.50", _("to 50p (0.50)")
    POUND = "1.00", _("to the pound (1.00)")


def sell_price_from_cost(*, cost: Decimal, markup_percent: Decimal, rounding: str = RoundingRule.PENNY) -> Decimal:
    """cost × (1 + markup/100), rounded half up to the rounding step, to two places. Decimal in, Decimal out.

    >>> sell_price_from_cost(cost=Decimal("10.00"), markup_percent=Decimal("33.33"), rounding="0.05")
    Decimal('13.35')
    """
    if not isinstance(cost, Decimal) or not isinstance(markup_percent, Decimal):
        raise TypeError("money is Decimal, never float")
    step = Decimal(str(rounding))
    raw = cost * (Decimal(1) + markup_percent / Decimal(100))
    steps = (raw / step).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return (steps * step).quantize(PENNY, rounding=ROUND_HALF_UP)


DEFAULT_TERMS = """\
1. Validity. This quotation is valid for the number of days shown on it. Prices are in pounds sterling and exclude \
VAT, which is added at the rate in force on the date of invoice.
2. Acceptance. Work is scheduled once we receive a signed acceptance or purchase order quoting this reference.
3. Payment. Invoices are payable within 30 days of the invoice date. Equipment remains our property until paid for \
in full. We may charge interest on late payments under the Late Payment of Commercial Debts (Interest) Act 1998.
4. Site access. The customer provides safe access to the site during normal working hours (08:00–17:00, Monday to \
Friday), clear working areas, power, and any permits or asbestos survey the work needs. Delays or extra visits \
caused by a lack of access are charged at our standard labour rates.
5. Variations. Work or materials beyond this quotation are charged separately, agreed in writing before they start.
6. Cabling and testing. Installations are tested to the relevant standard and handed over with test results. \
Manufacturer warranties are passed on to the customer; our workmanship is guaranteed for 12 months.
7. Liability. Our liability is limited to the value of this quotation. We are not liable for indirect or \
consequential loss, including loss of data or business.
8. Cancellation. Orders cancelled after acceptance are charged for materials already ordered and work already done.
"""


class PricingSettings(models.Model):
    """Defaults that every new quote copies (validity, terms) and the rules quotes are checked against.

    Currency and default tax rate are not here: they already live on the Tenant (company settings) and one value
    must have one home. The pricing settings page edits them there, through tenants.services.tenant_settings_update.
    """

    quote_validity_days = models.PositiveSmallIntegerField(_("quotes are valid for (days)"), default=30,
                                                           validators=[MinValueValidator(1), MaxValueValidator(365)])
    rounding = models.CharField(_("round computed sell prices"), max_length=4, choices=RoundingRule.choices,
                                default=RoundingRule.PENNY,
                                help_text=_("Applies to prices computed from cost and markup; typed prices are kept."))
    approval_margin_below_percent = models.DecimalField(
        _("approval when the margin is below (%)"), max_digits=5, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
        help_text=_("Leave empty for no margin rule."))
    approval_discount_above_percent = models.DecimalField(
        _("approval when any line discount is above (%)"), max_digits=5, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
        help_text=_("Leave empty for no discount rule."))
    approval_total_above = models.DecimalField(
        _("approval when the total is above"), max_digits=12, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal(0))], help_text=_("Before tax. Leave empty for no total rule."))
    margin_floor_percent = models.DecimalField(
        _("highlight margins below (%)"), max_digits=5, decimal_places=2, default=Decimal("15.00"),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
        help_text=_("Lines of a quote whose margin is below this are highlighted in the builder."))
    terms = models.TextField(_("terms and conditions"), default=DEFAULT_TERMS)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = _("pricing settings")
        constraints = [
            # one row per tenant schema
            models.CheckConstraint(condition=Q(id=1), name="quotes_pricing_settings_single_row"),
        ]

    def __str__(self) -> str:
        return str(_("Pricing settings"))

    def sell_price(self, *, cost: Decimal, markup_percent: Decimal) -> Decimal:
        return sell_price_from_cost(cost=cost, markup_percent=markup_percent, rounding=self.rounding)
