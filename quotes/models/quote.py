"""Quote documents: the working lines of the current revision, frozen revisions, and every status transition.

The lines on the quote are what the builder edits. Sending freezes them, with the header and the totals, into an
immutable `QuoteRevision` (R1, R2 ...). Editing a sent quote starts the next revision; frozen ones stay viewable.
Money is Decimal throughout; the arithmetic lives in quotes/totals.py and the stored totals are a cache of it for
lists, recomputed by the services after every edit.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quotes.models.catalogue import ProductUnit

ZERO = Decimal("0.00")
NON_NEGATIVE = [MinValueValidator(ZERO)]


class QuoteStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")
    VIEWED = "viewed", _("Viewed")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    EXPIRED = "expired", _("Expired")
    CANCELLED = "cancelled", _("Cancelled")


FINAL_STATUSES = (QuoteStatus.REJECTED, QuoteStatus.EXPIRED, QuoteStatus.CANCELLED)


class ApprovalState(models.TextChoices):
    NOT_NEEDED = "", _("Not needed")
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Approval refused")


class Quote(models.Model):
    year = models.PositiveSmallIntegerField(editable=False)
    number = models.PositiveIntegerField(editable=False)
    customer = models.ForeignKey("crm.Customer", verbose_name=_("customer"), on_delete=models.PROTECT,
                                 related_name="quotes")
    contact = models.ForeignKey("crm.Contact", verbose_name=_("contact"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="quotes")
    site = models.ForeignKey("crm.Address", verbose_name=_("site or delivery address"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="quotes")
    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(_("introduction"), blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("owner"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="quotes_owned")
    valid_until = models.DateField(_("valid until"))
    currency = models.CharField(_("currency"), max_length=3)
    tax_rate = models.DecimalField(_("tax rate (%)"), max_digits=5, decimal_places=2,
                                   validators=[MinValueValidator(ZERO), MaxValueValidator(Decimal(100))])
    terms = models.TextField(_("terms and conditions"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=QuoteStatus.choices, default=QuoteStatus.DRAFT)
    revision = models.PositiveSmallIntegerField(default=1, editable=False,
                                                help_text="the revision the working lines belong to (R1, R2 ...)")
    approval = models.CharField(max_length=10, choices=ApprovalState.choices, blank=True, default="", editable=False)
    approval_reasons = models.JSONField(default=list, blank=True, editable=False)
    # Cached totals of the working lines (quotes/totals.py), for lists and the dashboard.
    net_total = models.DecimalField(max_digits=14, decimal_places=2, default=ZERO, editable=False)
    tax_total = models.DecimalField(max_digits=14, decimal_places=2, default=ZERO, editable=False)
    grand_total = models.DecimalField(max_digits=14, decimal_places=2, default=ZERO, editable=False)
    monthly_total = models.DecimalField(max_digits=14, decimal_places=2, default=ZERO, editable=False)
    annual_total = models.DecimalField(max_digits=14, decimal_places=2, default=ZERO, editable=False)
    margin_percent = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="quotes_quote_number_unique"),
            models.CheckConstraint(condition=Q(status__in=QuoteStatus.values), name="quotes_quote_status_valid"),
        ]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="quotes_quote_newest"),
            # created in SQL by migration 0006 (Django cannot write an operator class on an expression correctly)
            GinIndex(OpClass(Upper("title"), name="gin_trgm_ops"), name="quotes_quote_title_trgm"),
            models.Index(fields=["status", "-created_at"], name="quotes_quote_status"),
            models.Index(fields=["customer", "-created_at"], name="quotes_quote_customer"),
            models.Index(fields=["owner", "-created_at"], name="quotes_quote_owner"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def reference(self) -> str:
        return f"Q-{self.year}-{self.number:05d}"

    @property
    def is_editable(self) -> bool:
        """Only a draft's working lines change; a sent quote is revised first (which makes it a draft again)."""
        return self.status == QuoteStatus.DRAFT


class LineKind(models.TextChoices):
    ITEM = "item", _("Item")
    SECTION = "section", _("Section heading")


class Recurrence(models.TextChoices):
    ONE_OFF = "", _("One-off")
    MONTHLY = "monthly", _("Monthly")
    ANNUAL = "annual", _("Annual")


class QuoteLine(models.Model):
    """A row of the builder. A section heading groups the items under it until the next heading."""

    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=10, choices=LineKind.choices, default=LineKind.ITEM)
    description = models.TextField(_("description"), blank=True)
    part_number = models.CharField(_("part number"), max_length=40, blank=True)
    supplier_name = models.CharField(_("supplier"), max_length=60, blank=True)
    product = models.ForeignKey("quotes.Product", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=3, default=Decimal(1),
                                   validators=NON_NEGATIVE)
    unit = models.CharField(_("unit"), max_length=10, choices=ProductUnit.choices, default=ProductUnit.EACH)
    unit_cost = models.DecimalField(_("unit cost"), max_digits=12, decimal_places=2, default=ZERO,
                                    validators=NON_NEGATIVE)
    unit_price = models.DecimalField(_("unit price"), max_digits=12, decimal_places=2, default=ZERO,
                                     validators=NON_NEGATIVE)
    markup_percent = models.DecimalField(_("markup (%)"), max_digits=7, decimal_places=2, null=True, blank=True,
                                         validators=NON_NEGATIVE,
                                         help_text=_("When set, the unit price is computed from the cost and this."))
    discount_percent = models.DecimalField(_("discount (%)"), max_digits=5, decimal_places=2, default=ZERO,
                                           validators=[MinValueValidator(ZERO), MaxValueValidator(Decimal(100))])
    is_optional = models.BooleanField(_("optional"), default=False)
    alternative_group = models.CharField(_("alternative group"), max_length=40, blank=True)
    alternative_chosen = models.BooleanField(_("chosen option"), default=False)
    recurrence = models.CharField(_("recurring"), max_length=10, choices=Recurrence.choices, blank=True, default="")
    internal_note = models.TextField(_("internal note"), blank=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=0) & Q(unit_cost__gte=0) & Q(unit_price__gte=0),
                                   name="quotes_line_not_negative"),
            models.CheckConstraint(condition=Q(discount_percent__gte=0) & Q(discount_percent__lte=100),
                                   name="quotes_line_discount_range"),
        ]
        indexes = [models.Index(fields=["quote", "position"], name="quotes_line_quote_position")]

    def __str__(self) -> str:
        return self.description[:60] or self.part_number or f"line {self.pk}"


class QuoteRevision(models.Model):
    """R1, R2 ...: a frozen copy of a sent quote (header, lines and totals). Never changes once written."""

    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveSmallIntegerField()
    snapshot = models.JSONField(help_text="header, lines and totals as sent")
    sent_at = models.DateTimeField(default=timezone.now)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    is_superseded = models.BooleanField(default=False)

    class Meta:
        ordering = ["quote", "number"]
        constraints = [models.UniqueConstraint(fields=["quote", "number"], name="quotes_revision_unique")]

    def __str__(self) -> str:
        return f"{self.quote.reference} R{self.number}"


class QuoteTransition(models.Model):
    """Who moved the quote from what to what, when, and why."""

    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=10, choices=QuoteStatus.choices)
    to_status = models.CharField(max_length=10, choices=QuoteStatus.choices)
    revision = models.PositiveSmallIntegerField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.quote.reference}: {self.from_status} -> {self.to_status}"
