"""The customer portal: a contact's access (its own credentials, never a staff User), its one-time links, the answers
given to quotes and the ratings given to tickets.

A portal user is a `PortalAccess` tied to one `crm.Contact`; it signs in with its own session cookie (path /portal/),
so a staff session is never a portal session and the other way round (docs/adr/portal-authentication.md).
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.permissions import PERMISSIONS


class PortalScope(models.TextChoices):
    COMPANY = "company", _("Everything of their company")
    OWN = "own", _("Only their own items")


class PortalAccessStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    ACTIVE = "active", _("Active")
    REVOKED = "revoked", _("Revoked")


class PortalAccess(models.Model):
    """What one contact may see in the portal, and the credentials they sign in with.

    `session_version` is copied into the portal session at sign-in and compared on every request: revoking access or
    resetting the password bumps it, which ends every live session at once.
    """

    contact = models.OneToOneField("crm.Contact", on_delete=models.CASCADE, related_name="portal_access")
    email = models.EmailField(_("sign-in email"))
    password = models.CharField(max_length=128, blank=True, editable=False)
    can_see_quotes = models.BooleanField(_("quotes"), default=True)
    can_see_tickets = models.BooleanField(_("tickets"), default=True)
    can_see_contracts = models.BooleanField(_("contracts"), default=False)
    scope = models.CharField(_("scope"), max_length=10, choices=PortalScope.choices, default=PortalScope.COMPANY)
    session_version = models.PositiveIntegerField(default=1, editable=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    invited_at = models.DateTimeField(default=timezone.now)
    activated_at = models.DateTimeField(null=True, blank=True, help_text="when the contact first set a password")
    last_sign_in_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["email"]
        constraints = [
            # one live access per address in a tenant: the sign-in form finds exactly one
            models.UniqueConstraint(Lower("email"), condition=models.Q(revoked_at__isnull=True),
                                    name="portal_access_email_unique_live"),
            models.CheckConstraint(condition=models.Q(scope__in=PortalScope.values), name="portal_access_scope_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.contact} <{self.email}>"

    @property
    def status(self) -> str:
        if self.revoked_at:
            return PortalAccessStatus.REVOKED
        return PortalAccessStatus.ACTIVE if self.activated_at else PortalAccessStatus.INVITED

    @property
    def status_label(self) -> str:
        return PortalAccessStatus(self.status).label

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None

    @property
    def sections(self) -> list[str]:
        return [name for name in ("quotes", "tickets", "contracts") if getattr(self, f"can_see_{name}")]

    def set_password(self, raw: str) -> None:
        self.password = make_password(raw)

    def check_password(self, raw: str) -> bool:
        return bool(self.password) and check_password(raw, self.password)


class PortalTokenPurpose(models.TextChoices):
    INVITATION = "invitation", _("Invitation")
    SIGN_IN = "sign_in", _("Sign-in link")
    PASSWORD_RESET = "password_reset", _("Password reset")


class PortalToken(models.Model):
    """A one-time link sent by email. Only the SHA-256 of the token is stored, as for staff invitations."""

    access = models.ForeignKey(PortalAccess, on_delete=models.CASCADE, related_name="tokens")
    purpose = models.CharField(max_length=20, choices=PortalTokenPurpose.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    email_message = models.ForeignKey("core.OutboundEmail", null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+")

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["access", "purpose"], name="portal_token_access_purpose")]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} for {self.access.email}"

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()


class QuoteDecision(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class QuoteResponse(models.Model):
    """The customer's answer to one sent revision, as evidence: who (typed name and position, the signed-in contact),
    when, from where (address, browser), what exactly (the options chosen, the totals they saw) and a SHA-256 of the
    revision snapshot plus those options, so the document accepted can be proven later."""

    quote = models.ForeignKey("quotes.Quote", on_delete=models.CASCADE, related_name="portal_responses")
    revision = models.PositiveSmallIntegerField()
    decision = models.CharField(max_length=10, choices=QuoteDecision.choices)
    contact = models.ForeignKey("crm.Contact", null=True, on_delete=models.SET_NULL, related_name="+")
    access = models.ForeignKey(PortalAccess, null=True, on_delete=models.SET_NULL, related_name="+")
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    position = models.CharField(_("position"), max_length=150, blank=True)
    terms_accepted = models.BooleanField(default=False)
    reason = models.TextField(_("reason"), blank=True)
    selection = models.JSONField(default=dict, help_text="optional line ids included and the option chosen per group")
    totals = models.JSONField(default=dict, help_text="the totals shown for that selection")
    document_hash = models.CharField(max_length=64, help_text="SHA-256 of the revision snapshot and the selection")
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # one answer per quote: once answered, the portal cannot change it
            models.UniqueConstraint(fields=["quote"], name="portal_quote_response_once"),
            models.CheckConstraint(condition=models.Q(decision__in=QuoteDecision.values),
                                   name="portal_quote_response_decision_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} R{self.revision} by {self.full_name or self.contact}"


class TicketRating(models.Model):
    """The contact's rating of a resolved ticket (1–5 and a comment), one per ticket; shown on the staff ticket page
    and averaged on the dashboard."""

    ticket = models.OneToOneField("helpdesk.Ticket", on_delete=models.CASCADE, related_name="portal_rating")
    contact = models.ForeignKey("crm.Contact", null=True, on_delete=models.SET_NULL, related_name="+")
    score = models.PositiveSmallIntegerField(_("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.CheckConstraint(condition=models.Q(score__gte=1, score__lte=5),
                                              name="portal_ticket_rating_range")]
        indexes = [models.Index(fields=["-created_at"], name="portal_rating_created")]

    def __str__(self) -> str:
        return f"{self.score}/5 for ticket {self.ticket_id}"


class PortalRights(models.Model):
    """No table: anchors portal/permissions.py in every tenant schema."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = PERMISSIONS
