"""Support contracts: what a customer pays for (the SLA, the hours) and when it has to be renewed.

Values: monthly and annual value are both stored. The service fills in the one that is missing (annual = monthly x 12,
monthly = annual / 12 rounded half up to the penny); when both are given they are kept as given, so an annual price
with a discount can be recorded. MRR adds monthly values, ARR adds annual values.

Renewal makes a new contract row (`renewed_from` points back): each term keeps its own values and hours history.
A contract is *in force* on a day when it is active (or pending renewal) and the day lies between its start and end.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ContractType(models.TextChoices):
    MANAGED_SERVICE = "managed_service", _("Managed service")
    MAINTENANCE = "maintenance", _("Maintenance")
    SUPPORT_HOURS = "support_hours", _("Support hours")
    SAAS = "saas", _("SaaS")
    WARRANTY = "warranty", _("Warranty")


class ContractStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    PENDING_RENEWAL = "pending_renewal", _("Pending renewal")
    EXPIRED = "expired", _("Expired")
    CANCELLED = "cancelled", _("Cancelled")


LIVE_STATUSES = [ContractStatus.ACTIVE, ContractStatus.PENDING_RENEWAL]


class HoursPeriod(models.TextChoices):
    NONE = "none", _("No hours included")
    MONTH = "month", _("Per month")
    YEAR = "year", _("Per contract year")


TERM_CHOICES = [(12, _("12 months")), (24, _("24 months")), (36, _("36 months"))]


class SupportContractQuerySet(models.QuerySet):
    def in_force(self, on: date | None = None) -> "SupportContractQuerySet":
        on = on or timezone.localdate()
        return self.filter(status__in=LIVE_STATUSES, start_date__lte=on, end_date__gte=on)


class SupportContract(models.Model):
    customer = models.ForeignKey("crm.Customer", verbose_name=_("customer"), on_delete=models.PROTECT,
                                 related_name="support_contracts")
    name = models.CharField(_("name"), max_length=150)
    type = models.CharField(_("type"), max_length=20, choices=ContractType.choices,
                            default=ContractType.MANAGED_SERVICE)
    status = models.CharField(_("status"), max_length=20, choices=ContractStatus.choices, default=ContractStatus.DRAFT,
                              editable=False)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    term_months = models.PositiveSmallIntegerField(_("term"), choices=TERM_CHOICES, default=12)
    renewal_date = models.DateField(_("renewal date"), help_text=_("when the renewal must be agreed; "
                                                                   "reminders go out 90, 60 and 30 days before"))
    auto_renew = models.BooleanField(_("renews automatically"), default=False)
    monthly_value = models.DecimalField(_("monthly value"), max_digits=12, decimal_places=2)
    annual_value = models.DecimalField(_("annual value"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, editable=False)
    sla_policy = models.ForeignKey("helpdesk.SlaPolicy", verbose_name=_("SLA policy"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="contracts")
    hours_included = models.DecimalField(_("hours included"), max_digits=7, decimal_places=2, default=0)
    hours_period = models.CharField(_("hours period"), max_length=10, choices=HoursPeriod.choices,
                                    default=HoursPeriod.NONE)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("owner"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="support_contracts")
    notes = models.TextField(_("notes"), blank=True)
    renewed_from = models.OneToOneField("self", null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="renewed_by", editable=False)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SupportContractQuerySet.as_manager()

    class Meta:
        ordering = ["end_date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gt=F("start_date")), name="helpdesk_contract_end_after_start"),
            models.CheckConstraint(condition=Q(monthly_value__gte=0, annual_value__gte=0, hours_included__gte=0),
                                   name="helpdesk_contract_values_not_negative"),
            models.CheckConstraint(condition=Q(status__in=ContractStatus.values), name="helpdesk_contract_status_valid"),
            models.CheckConstraint(condition=Q(term_months__in=[12, 24, 36]), name="helpdesk_contract_term_valid"),
        ]
        indexes = [
            models.Index(fields=["customer", "status"], name="helpdesk_contract_customer"),
            models.Index(fields=["status", "renewal_date"], name="helpdesk_contract_renewal"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES

    @property
    def has_hours(self) -> bool:
        return self.hours_period != HoursPeriod.NONE


class ContractReminder(models.Model):
    """One renewal reminder sent (90, 60 or 30 days before the renewal date): the row makes it once only."""

    contract = models.ForeignKey(SupportContract, on_delete=models.CASCADE, related_name="reminders")
    days_before = models.PositiveSmallIntegerField()
    renewal_date = models.DateField()
    activity = models.ForeignKey("crm.Activity", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [models.UniqueConstraint(fields=["contract", "renewal_date", "days_before"],
                                               name="helpdesk_contract_reminder_once")]
