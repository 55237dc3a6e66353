"""History, in-app notifications and outbound email: the shared plumbing every app writes through."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.permissions import PERMISSIONS


class Event(models.Model):
    """One row per meaningful change, written by the service that made it, in the same transaction.

    Timelines and the audit log read these rows; nothing reconstructs history from other tables. `kind` is a
    dotted name from core/event_kinds.py (e.g. `user.invited`); `data` holds what a reader needs to render it
    without joining (names at the time of the change).
    """

    kind = models.CharField(max_length=64, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", help_text=_("Empty for system and AI actions."))
    subject_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    subject_id = models.CharField(max_length=64, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    data = models.JSONField(default=dict, blank=True)
    # The customer the change concerns, for the customer timeline (an id, not a foreign key: this table also
    # lives in the public schema, where there are no customers). Merges move these rows to the survivor.
    customer_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["subject_type", "subject_id", "-created_at"], name="event_subject_idx"),
            models.Index(fields=["customer_id", "-created_at", "-id"], name="event_customer_timeline_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} at {self.created_at:%Y-%m-%d %H:%M}"


class NotificationLevel(models.TextChoices):
    INFO = "info", _("Information")
    SUCCESS = "success", _("Success")
    WARNING = "warning", _("Warning")
    DANGER = "danger", _("Problem")


class Notification(models.Model):
    """An in-app message to one user: shown live as a toast and kept in the bell menu until read."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    message = models.CharField(max_length=300)
    link = models.CharField(max_length=300, blank=True)
    level = models.CharField(max_length=10, choices=NotificationLevel.choices, default=NotificationLevel.INFO)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return self.message


class EmailStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    RETRYING = "retrying", _("Retrying")
    FAILED = "failed", _("Failed")


class OutboundEmail(models.Model):
    """Every email we send, so a failed delivery is retried and visible rather than lost."""

    to = models.EmailField()
    subject = models.CharField(max_length=250)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=EmailStatus.choices, default=EmailStatus.QUEUED)
    reply_to = models.CharField(max_length=250, blank=True)
    headers = models.JSONField(default=dict, blank=True, help_text="extra headers: Message-ID, In-Reply-To, References")
    # What the email is about ("helpdesk.ticket:42"), so the page of that thing can show its emails and failures.
    topic = models.CharField(max_length=80, blank=True, db_index=True)
    cc = models.JSONField(default=list, blank=True, help_text="copy addresses")
    # Files in the default storage attached at delivery: [{"path", "name", "content_type"}]. Paths, not bytes, so the
    # row stays small; the file lives under the tenant's folder (tenants/<schema>/...).
    attachments = models.JSONField(default=list, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to} ({self.status})"


class CoreRights(models.Model):
    """No table: anchors core/permissions.py in every schema."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = PERMISSIONS


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Columns to match")
    CHECKING = "checking", _("Checking")
    CHECKED = "checked", _("Checked")
    APPLYING = "applying", _("Importing")
    APPLIED = "applied", _("Imported")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class DuplicateMode(models.TextChoices):
    SKIP = "skip", _("Skip the row")
    UPDATE = "update", _("Update the existing record")
    CREATE = "create", _("Create a new record anyway")


class ImportJob(models.Model):
    """One spreadsheet imported into one kind of record (`kind` names the importer, e.g. `crm.customers`).

    The file itself is kept in this row (bytea), not on disk: the web process and the Celery worker then see the same
    bytes wherever they run, and the tenant's schema isolates it like any other row. It is dropped once imported.
    """

    kind = models.CharField(max_length=40)
    file_name = models.CharField(max_length=200)
    content = models.BinaryField(editable=False)
    headers = models.JSONField(default=list)
    sample_rows = models.JSONField(default=list)
    row_count = models.PositiveIntegerField(default=0)
    mapping = models.JSONField(default=dict, blank=True, help_text="field name → column index")
    duplicate_mode = models.CharField(max_length=10, choices=DuplicateMode.choices, default=DuplicateMode.SKIP)
    skip_bad_rows = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=ImportStatus.choices, default=ImportStatus.UPLOADED)
    # Dry run and apply results: counts by action ("create", "update", "skip", "error") and every bad row.
    counts = models.JSONField(default=dict, blank=True)
    problems = models.JSONField(default=list, blank=True, help_text="[{row, errors: [...]}] for every bad row")
    duplicates = models.JSONField(default=list, blank=True, help_text="[{row, matches: [...], action}]")
    # The importer's own yes/no choices (e.g. a price list's "create unknown suppliers"), and what its dry run
    # says about the file as a whole (e.g. the suppliers it would create).
    options = models.JSONField(default=dict, blank=True, help_text="option name → bool")
    notes = models.JSONField(default=list, blank=True, help_text="sentences about the whole file")
    failure = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    checked_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["kind", "-created_at"], name="import_job_kind_idx")]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def is_running(self) -> bool:
        return self.status in (ImportStatus.CHECKING, ImportStatus.APPLYING)


class NumberSequence(models.Model):
    """A tenant's document counter (tickets T-000123, quotes Q-2026-00042): one row per series, locked while a
    number is taken, so two users creating at once get distinct numbers and a failed create leaves no gap."""

    series = models.CharField(max_length=40, unique=True)
    last_value = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.series}: {self.last_value}"
