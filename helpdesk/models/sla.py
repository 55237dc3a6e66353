"""SLA policies: response and resolution targets per priority, measured in the policy's business hours."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

WEEKDAYS = [(0, _("Monday")), (1, _("Tuesday")), (2, _("Wednesday")), (3, _("Thursday")), (4, _("Friday")),
            (5, _("Saturday")), (6, _("Sunday"))]


class SlaPolicy(models.Model):
    """Targets are business minutes per priority. The tenant's default policy applies unless the customer's active
    support contract names another."""

    name = models.CharField(_("name"), max_length=100)
    is_default = models.BooleanField(_("default policy"), default=False)
    timezone = models.CharField(_("timezone"), max_length=60, default="Europe/London")
    working_days = models.JSONField(_("working days"), default=list, help_text=_("0 = Monday … 6 = Sunday"))
    opens_at = models.TimeField(_("opens at"), default="08:30")
    closes_at = models.TimeField(_("closes at"), default="17:30")
    around_the_clock = models.BooleanField(_("24 hours a day, 7 days a week"), default=False)
    at_risk_percent = models.PositiveSmallIntegerField(_("at risk from (% of the time used)"), default=80)
    response_low = models.PositiveIntegerField(_("first response, low (minutes)"), default=16 * 60)
    response_medium = models.PositiveIntegerField(_("first response, medium (minutes)"), default=8 * 60)
    response_high = models.PositiveIntegerField(_("first response, high (minutes)"), default=2 * 60)
    response_urgent = models.PositiveIntegerField(_("first response, urgent (minutes)"), default=30)
    resolution_low = models.PositiveIntegerField(_("resolution, low (minutes)"), default=10 * 9 * 60)
    resolution_medium = models.PositiveIntegerField(_("resolution, medium (minutes)"), default=5 * 9 * 60)
    resolution_high = models.PositiveIntegerField(_("resolution, high (minutes)"), default=9 * 60)
    resolution_urgent = models.PositiveIntegerField(_("resolution, urgent (minutes)"), default=4 * 60)
    escalate_raise_priority = models.BooleanField(_("on breach, raise the priority one step"), default=False)
    escalate_to = models.ForeignKey("accounts.User", verbose_name=_("on breach, reassign to"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-is_default", "name"]
        constraints = [
            models.UniqueConstraint(fields=["is_default"], condition=models.Q(is_default=True),
                                    name="helpdesk_one_default_sla_policy"),
            models.CheckConstraint(condition=models.Q(at_risk_percent__gte=1, at_risk_percent__lte=99),
                                   name="helpdesk_sla_at_risk_percent_range"),
        ]

    def __str__(self) -> str:
        return self.name

    def target_minutes(self, *, kind: str, priority: str) -> int:
        return getattr(self, f"{kind}_{priority}")


class BusinessHoliday(models.Model):
    """A whole non-working day for every policy (bank holidays, the office's Christmas closure)."""

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.name} ({self.date:%d %b %Y})"


class SlaPause(models.Model):
    """A stretch of time the resolution clock stood still (the ticket waited on the customer or a third party)."""

    ticket = models.ForeignKey("helpdesk.Ticket", on_delete=models.CASCADE, related_name="sla_pauses")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=20)

    class Meta:
        ordering = ["started_at", "id"]
        constraints = [models.UniqueConstraint(fields=["ticket"], condition=models.Q(ended_at__isnull=True),
                                               name="helpdesk_one_open_pause_per_ticket")]

    def __str__(self) -> str:
        return f"pause {self.started_at:%Y-%m-%d %H:%M} – {self.ended_at or '…'}"
