"""Tickets and what hangs off them: the conversation (replies and internal notes, threaded), attachments, time."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from helpdesk.permissions import PERMISSIONS


class TicketType(models.TextChoices):
    INCIDENT = "incident", _("Incident")
    SERVICE_REQUEST = "service_request", _("Service request")
    PROBLEM = "problem", _("Problem")
    CHANGE = "change", _("Change")
    QUESTION = "question", _("Question")


class TicketPriority(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


PRIORITY_ORDER = [TicketPriority.LOW, TicketPriority.MEDIUM, TicketPriority.HIGH, TicketPriority.URGENT]


class TicketStatus(models.TextChoices):
    NEW = "new", _("New")
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING_CUSTOMER = "waiting_customer", _("Waiting on customer")
    WAITING_THIRD_PARTY = "waiting_third_party", _("Waiting on third party")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = [TicketStatus.NEW, TicketStatus.OPEN, TicketStatus.IN_PROGRESS, TicketStatus.WAITING_CUSTOMER,
                 TicketStatus.WAITING_THIRD_PARTY]
PAUSING_STATUSES = [TicketStatus.WAITING_CUSTOMER, TicketStatus.WAITING_THIRD_PARTY]
DONE_STATUSES = [TicketStatus.RESOLVED, TicketStatus.CLOSED]


class TicketSource(models.TextChoices):
    STAFF = "staff", _("Staff")
    EMAIL = "email", _("Email")
    PORTAL = "portal", _("Portal")
    PHONE = "phone", _("Phone")
    API = "api", _("API")


class SlaState(models.TextChoices):
    NONE = "", _("No SLA")
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    BREACHED = "breached", _("Breached")
    PAUSED = "paused", _("Paused")
    MET = "met", _("Met")


class TicketCategory(models.Model):
    name = models.CharField(_("name"), max_length=80, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def new_reply_token() -> str:
    import secrets

    return secrets.token_hex(8)


class Ticket(models.Model):
    """Only subject and customer are needed to open one: an agent on the phone fills in the rest as they learn it."""

    number = models.PositiveIntegerField(unique=True, editable=False)
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    customer = models.ForeignKey("crm.Customer", verbose_name=_("customer"), on_delete=models.PROTECT,
                                 related_name="tickets")
    contact = models.ForeignKey("crm.Contact", verbose_name=_("contact"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="tickets")
    site = models.ForeignKey("crm.Address", verbose_name=_("site"), null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="tickets")
    type = models.CharField(_("type"), max_length=20, choices=TicketType.choices, default=TicketType.INCIDENT)
    category = models.ForeignKey(TicketCategory, verbose_name=_("category"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="tickets")
    priority = models.CharField(_("priority"), max_length=10, choices=TicketPriority.choices,
                                default=TicketPriority.MEDIUM)
    status = models.CharField(_("status"), max_length=20, choices=TicketStatus.choices, default=TicketStatus.NEW)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("assignee"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="tickets_assigned")
    source = models.CharField(_("source"), max_length=10, choices=TicketSource.choices, default=TicketSource.STAFF)
    tags = models.ManyToManyField("crm.Tag", verbose_name=_("tags"), blank=True, related_name="tickets")
    contract = models.ForeignKey("helpdesk.SupportContract", verbose_name=_("support contract"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="tickets",
                                 help_text=_("billable time on the ticket draws down this contract's hours"))
    quote = models.ForeignKey("quotes.Quote", verbose_name=_("related quote"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="tickets")
    # In the reply address of every email about the ticket: a reply finds its ticket even when its headers are lost.
    reply_token = models.CharField(max_length=32, unique=True, default=new_reply_token, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    # SLA: due times and state are stored (computed by the SLA service) so lists filter and sort on them in SQL.
    sla_policy = models.ForeignKey("helpdesk.SlaPolicy", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="tickets", editable=False)
    response_due_at = models.DateTimeField(null=True, blank=True, editable=False)
    resolution_due_at = models.DateTimeField(null=True, blank=True, editable=False)
    first_responded_at = models.DateTimeField(null=True, blank=True, editable=False)
    resolved_at = models.DateTimeField(null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    sla_state = models.CharField(max_length=10, choices=SlaState.choices, blank=True, default="", editable=False)
    sla_due_at = models.DateTimeField(null=True, blank=True, editable=False,
                                      help_text="the next deadline that matters (response, else resolution)")
    sla_at_risk_at = models.DateTimeField(null=True, blank=True, editable=False,
                                          help_text="when that deadline's at-risk threshold is reached (for the beat job)")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=TicketStatus.values), name="helpdesk_ticket_status_valid"),
            models.CheckConstraint(condition=models.Q(priority__in=TicketPriority.values),
                                   name="helpdesk_ticket_priority_valid"),
        ]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="helpdesk_ticket_status"),
            models.Index(fields=["assignee", "status"], name="helpdesk_ticket_assignee"),
            models.Index(fields=["customer", "-created_at"], name="helpdesk_ticket_customer"),
            models.Index(fields=["sla_due_at"], name="helpdesk_ticket_sla_due"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.subject}"

    @property
    def reference(self) -> str:
        return f"T-{self.number:06d}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class Comment(models.Model):
    """One message of the conversation: a public reply (emailed to the contact) or an internal note (staff only).
    `parent` threads a reply under the message it answers."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    author_contact = models.ForeignKey("crm.Contact", null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="+", help_text="when the customer wrote it (email, portal)")
    author_email = models.EmailField(blank=True, help_text="the sender of an email that matched no contact")
    body = models.TextField(_("message"))
    is_internal = models.BooleanField(_("internal note"), default=False)
    message_id = models.CharField(max_length=250, blank=True, db_index=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["ticket", "created_at", "id"], name="helpdesk_comment_ticket")]

    def __str__(self) -> str:
        return f"{self.ticket.reference} comment {self.pk}"

    @property
    def author_label(self) -> str:
        if self.author_id:
            return str(self.author)
        if self.author_contact_id:
            return str(self.author_contact)
        return self.author_email or str(_("Customer"))


def attachment_path(instance, filename: str) -> str:
    """Under the tenant's own folder; served only through the permission-checked view, never by URL guessing."""
    from django.db import connection

    return f"tenants/{connection.schema_name}/helpdesk/{instance.ticket_id}/{timezone.now():%Y%m%d%H%M%S}-{filename}"


class Attachment(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="attachments")
    comment = models.ForeignKey(Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=300)
    file_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.file_name


class TimeEntry(models.Model):
    """Time spent on a ticket; billable minutes draw down the customer's support contract hours."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="time_entries")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    minutes = models.PositiveIntegerField(_("minutes"))
    billable = models.BooleanField(_("billable"), default=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    spent_on = models.DateField(_("date"), default=timezone.localdate)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-spent_on", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(minutes__gte=1, minutes__lte=24 * 60),
                                              name="helpdesk_time_entry_minutes_range")]

    def __str__(self) -> str:
        return f"{self.minutes} min on {self.ticket.reference}"


class CannedResponse(models.Model):
    """A reusable reply; {contact_name}, {ticket_number} and {agent_name} are filled in when it is used."""

    title = models.CharField(_("title"), max_length=100, unique=True)
    body = models.TextField(_("text"))

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class HelpdeskRights(models.Model):
    """No table: anchors helpdesk/permissions.py in every tenant schema."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = PERMISSIONS
