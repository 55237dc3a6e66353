"""Customers: the company records everything else (contacts, quotes, tickets, contracts) hangs off."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db.models.functions import Lower, Upper
from django.utils import timezone as django_timezone
from django.utils.translation import gettext_lazy as _

from crm.normalise import normalise_company_name, normalise_registration_number, website_domain
from crm.permissions import PERMISSIONS


class Sector(models.Model):
    """A business sector from the reference list (seeded UK sectors plus the tenant's own additions)."""

    name = models.CharField(_("name"), max_length=120)
    is_seeded = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="crm_sector_name_unique_ci")]

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=50)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="crm_tag_name_unique_ci")]

    def __str__(self) -> str:
        return self.name


class CustomerStatus(models.TextChoices):
    LEAD = "lead", _("Lead")
    PROSPECT = "prospect", _("Prospect")
    CUSTOMER = "customer", _("Customer")
    COLD_LEAD = "cold_lead", _("Cold lead")
    INACTIVE = "inactive", _("Inactive")
    LOST = "lost", _("Lost")


class SizeBand(models.TextChoices):
    MICRO = "micro", _("Micro (1–9)")
    SMALL = "small", _("Small (10–49)")
    MEDIUM = "medium", _("Medium (50–249)")
    LARGE = "large", _("Large (250+)")


class Customer(models.Model):
    name = models.CharField(_("company name"), max_length=200)
    status = models.CharField(_("status"), max_length=20, choices=CustomerStatus.choices, default=CustomerStatus.LEAD)
    sector = models.ForeignKey(Sector, verbose_name=_("business sector"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="customers")
    size_band = models.CharField(_("size"), max_length=10, choices=SizeBand.choices, blank=True)
    website = models.CharField(_("website"), max_length=200, blank=True)
    email = models.EmailField(_("main email"), blank=True)
    phone = models.CharField(_("main phone"), max_length=40, blank=True)
    registration_number = models.CharField(_("company registration number"), max_length=20, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("account owner"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="customers_owned")
    is_competitor = models.BooleanField(_("competitor"), default=False)
    known_facts = models.TextField(_("known facts"), blank=True,
                                   help_text=_("What the team knows about them: history, preferences, people, sites."))
    lead_score = models.PositiveSmallIntegerField(_("lead score"), default=0,
                                                  validators=[MinValueValidator(0), MaxValueValidator(100)])
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="customers")
    lifecycle_automation = models.BooleanField(
        _("automatic status changes"), default=True,
        help_text=_("Move the status along with the pipeline and mark long-silent customers inactive."))
    # Kept in step by save(): what duplicate detection compares, indexed.
    normalised_name = models.CharField(max_length=200, editable=False, db_index=True)
    website_domain = models.CharField(max_length=200, editable=False, blank=True, db_index=True)
    normalised_registration = models.CharField(max_length=20, editable=False, blank=True, db_index=True)
    archived_at = models.DateTimeField(null=True, blank=True, editable=False)
    merged_into = models.ForeignKey("self", null=True, blank=True, editable=False, on_delete=models.SET_NULL,
                                    related_name="merged_from")
    created_at = models.DateTimeField(default=django_timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(lead_score__lte=100), name="crm_customer_lead_score_max_100"),
            models.CheckConstraint(condition=models.Q(status__in=CustomerStatus.values), name="crm_customer_status_valid"),
        ]
        indexes = [
            models.Index(fields=["status", "name"], name="crm_customer_status_name"),
            models.Index(fields=["owner", "name"], name="crm_customer_owner_name"),
            models.Index(fields=["-updated_at"], name="crm_customer_updated"),
            # The list's default order (live customers by name): the first page reads 25 index entries, not 10,000.
            models.Index(fields=["normalised_name", "id"], condition=models.Q(archived_at__isnull=True),
                         name="crm_customer_live_name"),
            # Search is `icontains` (UPPER(col) LIKE '%term%'): trigram indexes on exactly those expressions
            # (pg_trgm, created in the public schema by migration 0007) turn sequential scans into bitmap scans.
            GinIndex(OpClass(Upper("name"), name="gin_trgm_ops"), name="crm_customer_name_trgm"),
            GinIndex(fields=["normalised_name"], opclasses=["gin_trgm_ops"], name="crm_customer_nname_trgm"),
            GinIndex(OpClass(Upper("email"), name="gin_trgm_ops"), name="crm_customer_email_trgm"),
            GinIndex(OpClass(Upper("phone"), name="gin_trgm_ops"), name="crm_customer_phone_trgm"),
            GinIndex(OpClass(Upper("website"), name="gin_trgm_ops"), name="crm_customer_website_trgm"),
            GinIndex(OpClass(Upper("registration_number"), name="gin_trgm_ops"), name="crm_customer_regno_trgm"),
        ]

    def __str__(self) -> str:
        return self.name

    def refresh_normalised(self) -> None:
        """Derive the columns duplicate detection compares (call it yourself before bulk_create, which skips save)."""
        self.normalised_name = normalise_company_name(self.name)
        self.website_domain = website_domain(self.website)
        self.normalised_registration = normalise_registration_number(self.registration_number)

    def save(self, *args, **kwargs):
        self.refresh_normalised()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "normalised_name", "website_domain",
                                       "normalised_registration", "updated_at"}
        super().save(*args, **kwargs)

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class CrmRights(models.Model):
    """No table: anchors crm/permissions.py in every tenant schema."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = PERMISSIONS


class ContactRole(models.TextChoices):
    DECISION_MAKER = "decision_maker", _("Decision maker")
    INFLUENCER = "influencer", _("Influencer")
    TECHNICAL = "technical", _("Technical")
    BILLING = "billing", _("Billing")
    USER = "user", _("User")
    OTHER = "other", _("Other")


class Contact(models.Model):
    """A person at a customer. Exactly one contact of a customer is primary while it has any."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="contacts")
    first_name = models.CharField(_("first name"), max_length=80)
    last_name = models.CharField(_("last name"), max_length=80, blank=True)
    job_title = models.CharField(_("job title"), max_length=120, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=ContactRole.choices, default=ContactRole.OTHER)
    notes = models.TextField(_("notes"), blank=True)
    is_primary = models.BooleanField(_("primary contact"), default=False)
    created_at = models.DateTimeField(default=django_timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-is_primary", "first_name", "last_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["customer"], condition=models.Q(is_primary=True),
                                    name="crm_contact_one_primary_per_customer"),
        ]
        # The customer search matches "first last" with icontains; migration 0007 trigram-indexes that exact
        # expression in SQL (crm_contact_name_trgm): Django cannot put an operator class on a Concat.
        indexes = [models.Index(fields=["customer", "-is_primary", "first_name"], name="crm_contact_customer")]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class EmailKind(models.TextChoices):
    WORK = "work", _("Work")
    PERSONAL = "personal", _("Personal")
    OTHER = "other", _("Other")


class PhoneKind(models.TextChoices):
    MOBILE = "mobile", _("Mobile")
    OFFICE = "office", _("Office")
    DIRECT = "direct", _("Direct line")
    HOME = "home", _("Home")
    OTHER = "other", _("Other")


class ContactEmail(models.Model):
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="emails")
    address = models.EmailField(_("email"))
    kind = models.CharField(_("type"), max_length=10, choices=EmailKind.choices, default=EmailKind.WORK)
    is_primary = models.BooleanField(_("primary"), default=False)

    class Meta:
        ordering = ["-is_primary", "id"]
        constraints = [models.UniqueConstraint(fields=["contact"], condition=models.Q(is_primary=True),
                                               name="crm_contact_email_one_primary")]
        indexes = [models.Index(Lower("address"), name="crm_contact_email_lower"),
                   GinIndex(OpClass(Upper("address"), name="gin_trgm_ops"), name="crm_contact_email_trgm")]

    def __str__(self) -> str:
        return self.address


class ContactPhone(models.Model):
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="phones")
    number = models.CharField(_("phone"), max_length=40)
    kind = models.CharField(_("type"), max_length=10, choices=PhoneKind.choices, default=PhoneKind.OFFICE)
    is_primary = models.BooleanField(_("primary"), default=False)

    class Meta:
        ordering = ["-is_primary", "id"]
        constraints = [models.UniqueConstraint(fields=["contact"], condition=models.Q(is_primary=True),
                                               name="crm_contact_phone_one_primary")]
        indexes = [GinIndex(OpClass(Upper("number"), name="gin_trgm_ops"), name="crm_contact_phone_trgm")]

    def __str__(self) -> str:
        return self.number


class AddressKind(models.TextChoices):
    PRIMARY = "primary", _("Primary")
    BILLING = "billing", _("Billing")
    DELIVERY = "delivery", _("Delivery")
    SITE = "site", _("Site / installation")
    REGISTERED = "registered", _("Registered office")
    OTHER = "other", _("Other")


UNITED_KINGDOM = "United Kingdom"


class Address(models.Model):
    """One address of a customer's address book. One default per kind; the team's order is kept in `position`.
    Site addresses are what quotes and tickets will pick from."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="addresses")
    kind = models.CharField(_("type"), max_length=12, choices=AddressKind.choices, default=AddressKind.PRIMARY)
    label = models.CharField(_("label"), max_length=80, blank=True, help_text=_("e.g. Head office, Warehouse 2"))
    line1 = models.CharField(_("address line 1"), max_length=120)
    line2 = models.CharField(_("address line 2"), max_length=120, blank=True)
    line3 = models.CharField(_("address line 3"), max_length=120, blank=True)
    town = models.CharField(_("town or city"), max_length=80)
    county = models.CharField(_("county"), max_length=80, blank=True)
    postcode = models.CharField(_("postcode"), max_length=12, blank=True)
    country = models.CharField(_("country"), max_length=80, default=UNITED_KINGDOM)
    is_default = models.BooleanField(_("default for its type"), default=False)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=django_timezone.now, editable=False)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["customer", "kind"], condition=models.Q(is_default=True),
                                               name="crm_address_one_default_per_kind")]
        indexes = [models.Index(fields=["customer", "position"], name="crm_address_customer_position")]

    def __str__(self) -> str:
        return ", ".join(part for part in (self.label, self.line1, self.town, self.postcode) if part)

    @property
    def lines(self) -> list[str]:
        return [part for part in (self.line1, self.line2, self.line3, self.town, self.county, self.postcode,
                                  "" if self.country == UNITED_KINGDOM else self.country) if part]


class ActivityKind(models.TextChoices):
    CALL = "call", _("Call")
    EMAIL = "email", _("Email")
    MEETING = "meeting", _("Meeting")
    NOTE = "note", _("Note")
    TASK = "task", _("Task")


class ActivityOutcome(models.TextChoices):
    REACHED = "reached", _("Reached")
    NO_ANSWER = "no_answer", _("No answer")
    VOICEMAIL = "voicemail", _("Left voicemail")
    FOLLOW_UP = "follow_up", _("Follow-up needed")
    MEETING_BOOKED = "meeting_booked", _("Meeting booked")
    QUOTE_REQUESTED = "quote_requested", _("Quote requested")
    NOT_INTERESTED = "not_interested", _("Not interested")
    WON = "won", _("Won")
    LOST = "lost", _("Lost")


class Activity(models.Model):
    """Something the team did or must do with a customer. With a follow-up date it appears on its owner's
    "My follow-ups" until completed; tasks are completed the same way."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(_("type"), max_length=10, choices=ActivityKind.choices, default=ActivityKind.CALL)
    subject = models.CharField(_("subject"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    occurred_at = models.DateTimeField(_("when"), default=django_timezone.now)
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), null=True, blank=True)
    contact = models.ForeignKey(Contact, verbose_name=_("contact"), null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="activities")
    outcome = models.CharField(_("outcome"), max_length=20, choices=ActivityOutcome.choices, blank=True)
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("owner"), null=True, on_delete=models.SET_NULL,
                              related_name="activities")
    completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=django_timezone.now, editable=False)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["customer", "-occurred_at"], name="crm_activity_customer"),
            models.Index(fields=["owner", "follow_up_on"], condition=models.Q(completed_at__isnull=True,
                                                                              follow_up_on__isnull=False),
                         name="crm_activity_open_follow_ups"),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_open(self) -> bool:
        return self.completed_at is None and (self.follow_up_on is not None or self.kind == ActivityKind.TASK)


class OpportunityStage(models.TextChoices):
    QUALIFIED = "qualified", _("Qualified")
    SCOPING = "scoping", _("Scoping")
    PROPOSAL_SENT = "proposal_sent", _("Proposal sent")
    NEGOTIATION = "negotiation", _("Negotiation")
    VERBAL_YES = "verbal_yes", _("Verbal yes")
    WON = "won", _("Won")
    LOST = "lost", _("Lost")


OPEN_STAGES = [OpportunityStage.QUALIFIED, OpportunityStage.SCOPING, OpportunityStage.PROPOSAL_SENT,
               OpportunityStage.NEGOTIATION, OpportunityStage.VERBAL_YES]


class Opportunity(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="opportunities")
    title = models.CharField(_("title"), max_length=200)
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2, default=0,
                                validators=[MinValueValidator(0)])
    probability = models.PositiveSmallIntegerField(_("probability (%)"), default=20,
                                                   validators=[MinValueValidator(0), MaxValueValidator(100)])
    expected_close_on = models.DateField(_("expected close"), null=True, blank=True)
    stage = models.CharField(_("stage"), max_length=20, choices=OpportunityStage.choices, default=OpportunityStage.QUALIFIED)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("owner"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="opportunities")
    notes = models.TextField(_("notes"), blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=django_timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["expected_close_on", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(probability__lte=100), name="crm_opportunity_probability_max_100"),
            models.CheckConstraint(condition=models.Q(value__gte=0), name="crm_opportunity_value_not_negative"),
        ]
        indexes = [models.Index(fields=["stage", "expected_close_on"], name="crm_opportunity_stage"),
                   models.Index(fields=["customer", "stage"], name="crm_opportunity_customer")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES
