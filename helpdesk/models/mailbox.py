"""Email in: the tenant's support mailbox (polled over IMAP) and one row per message read from it, so nothing is
read twice and every message has a visible outcome."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.crypto import EncryptedTextField

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}


class MailboxSecurity(models.TextChoices):
    IMPLICIT_TLS = "tls", _("TLS (port 993)")
    STARTTLS = "starttls", _("STARTTLS (port 143)")
    NONE = "none", _("None (localhost only)")


class Mailbox(models.Model):
    """One per tenant is enough: replies come back to support+<token>@ on the same address."""

    host = models.CharField(_("IMAP server"), max_length=200)
    port = models.PositiveIntegerField(_("port"), default=993)
    security = models.CharField(_("security"), max_length=10, choices=MailboxSecurity.choices,
                                default=MailboxSecurity.IMPLICIT_TLS)
    username = models.CharField(_("username"), max_length=200)
    # Fernet ciphertext in the database; never logged, never sent back to the browser.
    password = EncryptedTextField(_("password"), blank=True)
    folder = models.CharField(_("folder"), max_length=200, default="INBOX")
    is_enabled = models.BooleanField(_("poll this mailbox"), default=False)
    last_polled_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_error = models.TextField(blank=True, editable=False)
    # Where the last poll stopped: UIDs only mean something within one UIDVALIDITY of the folder.
    uid_validity = models.BigIntegerField(null=True, blank=True, editable=False)
    last_uid = models.BigIntegerField(default=0, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(security__in=MailboxSecurity.values),
                                   name="helpdesk_mailbox_security_valid"),
            models.CheckConstraint(condition=models.Q(port__gte=1, port__lte=65535), name="helpdesk_mailbox_port_range"),
        ]

    def __str__(self) -> str:
        return f"{self.username}@{self.host}"

    def clean(self):
        if self.security == MailboxSecurity.NONE and self.host.strip().lower() not in LOCAL_HOSTS:
            raise ValidationError({"security": _("Without TLS the password would cross the network in clear: "
                                                 "only allowed for a server on this machine (localhost).")})


class InboundOutcome(models.TextChoices):
    NEW_TICKET = "new_ticket", _("New ticket")
    APPENDED = "appended", _("Added to a ticket")
    UNMATCHED = "unmatched", _("Unmatched: waiting for a customer")
    AUTO_REPLY = "auto_reply", _("Ignored: auto-reply")
    BOUNCE = "bounce", _("Ignored: bounce")
    FAILED = "failed", _("Failed")


class InboundMessage(models.Model):
    """A message read from the mailbox. The unique Message-ID is what guarantees it is never processed twice
    (a message without one gets a stable id derived from its bytes)."""

    message_id = models.CharField(max_length=998, unique=True)
    uid = models.BigIntegerField(null=True, blank=True)
    uid_validity = models.BigIntegerField(null=True, blank=True)
    sender = models.CharField(max_length=254, blank=True)
    sender_name = models.CharField(max_length=200, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=12, choices=InboundOutcome.choices)
    error = models.TextField(blank=True)
    ticket = models.ForeignKey("helpdesk.Ticket", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="inbound_messages")
    comment = models.OneToOneField("helpdesk.Comment", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="inbound_message")
    # The whole text before quoted-reply trimming (the comment keeps only the new part).
    full_text = models.TextField(blank=True)
    # The original bytes, kept while an agent may still need them (unmatched, failed).
    raw = models.BinaryField(null=True, blank=True, editable=False)
    received_at = models.DateTimeField(default=timezone.now, editable=False)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", editable=False)

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(outcome__in=InboundOutcome.values),
                                              name="helpdesk_inbound_outcome_valid")]
        indexes = [models.Index(fields=["outcome", "-received_at"], name="helpdesk_inbound_outcome")]

    def __str__(self) -> str:
        return f"{self.message_id} ({self.outcome})"
