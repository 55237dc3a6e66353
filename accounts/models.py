"""Users (one table per tenant schema; system administrators in the public schema) and invitations."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone as django_timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from accounts.permissions import PERMISSIONS
from accounts.roles import Role
from tenants.models import TIMEZONE_CHOICES


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)

    def _create(self, email, password, **fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **fields):
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email, password=None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("email address"), max_length=254, unique=True)
    first_name = models.CharField(_("first name"), max_length=80, blank=True)
    last_name = models.CharField(_("last name"), max_length=80, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    timezone = models.CharField(_("timezone"), max_length=64, choices=TIMEZONE_CHOICES, blank=True,
                                help_text=_("Leave empty to use the company's timezone."))
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, default="en-gb")
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff status"), default=False,
                                   help_text=_("System administrators only: may use the operator admin."))
    date_joined = models.DateTimeField(_("date joined"), default=django_timezone.now)
    deactivated_at = models.DateTimeField(null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["first_name", "last_name", "email"]
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_unique_ci")]

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    # ModelBackend looks for these attributes before it queries (`hasattr`), and only for active users. Filling them
    # from the per-group permission cache saves two queries on every signed-in request (accounts/permission_cache.py).
    @cached_property
    def _group_perm_cache(self) -> set[str]:
        if self.is_superuser:
            from django.contrib.auth.models import Permission

            return {f"{app_label}.{codename}" for app_label, codename in
                    Permission.objects.values_list("content_type__app_label", "codename").order_by()}
        return self._permission_sets[0]

    @cached_property
    def _user_perm_cache(self) -> set[str]:
        if self.is_superuser:
            return self._group_perm_cache
        return self._permission_sets[1]

    @cached_property
    def _permission_sets(self) -> tuple[set[str], set[str]]:
        from accounts.permission_cache import permission_sets

        return permission_sets(self)

    @cached_property
    def role(self) -> str | None:
        """The user's role: the one role group they belong to (prefetch `groups` on lists). Cached per instance."""
        names = [group.name for group in self.groups.all()]
        for role in Role:
            if role.value in names:
                return role.value
        return None

    @property
    def role_label(self) -> str:
        role = self.role
        return Role(role).label if role else _("No role")


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    REVOKED = "revoked", _("Revoked")
    EXPIRED = "expired", _("Expired")


class Invitation(models.Model):
    """A one-time link that lets someone set their password and join the tenant with a given role.

    Only a hash of the token is stored: a database leak does not hand out working links.
    """

    email = models.EmailField(_("email address"))
    first_name = models.CharField(_("first name"), max_length=80, blank=True)
    last_name = models.CharField(_("last name"), max_length=80, blank=True)
    role = models.CharField(_("role"), max_length=40, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="invitations_sent")
    created_at = models.DateTimeField(default=django_timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)
    email_message = models.ForeignKey("core.OutboundEmail", null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_email",
            )
        ]

    def __str__(self) -> str:
        return f"Invitation for {self.email}"

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @property
    def status(self) -> str:
        if self.accepted_at:
            return InvitationStatus.ACCEPTED
        if self.revoked_at:
            return InvitationStatus.REVOKED
        if self.expires_at <= django_timezone.now():
            return InvitationStatus.EXPIRED
        return InvitationStatus.PENDING

    @property
    def status_label(self) -> str:
        return InvitationStatus(self.status).label


class AccountsRights(models.Model):
    """No table: anchors this app's permissions (accounts/permissions.py) so Django creates them in each schema."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = PERMISSIONS
