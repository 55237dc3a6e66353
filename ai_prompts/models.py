"""Prompts, their versions, provider settings, the call log, ratings and background AI jobs.

The app is both a shared and a tenant app (ADR "ai-prompts-in-every-schema"): every schema has these tables.
In the public schema they hold the system prompts, the system provider key and the system's own calls; in a tenant
schema they hold that tenant's prompt overrides, its provider key, its calls, ratings and jobs.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ai_prompts.permissions import PERMISSIONS
from core.crypto import EncryptedTextField


class AiRights(models.Model):
    """No table: anchors the permissions of ai_prompts/permissions.py in every schema."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = PERMISSIONS


class Prompt(models.Model):
    """One prompt. In public: a system prompt. In a tenant schema: that tenant's override of the same key.

    Templates use `{{ name }}` placeholders and nothing else (no logic): every name must be declared in
    `variables`, which the feature that uses the prompt fills in.
    """

    key = models.SlugField(_("key"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    purpose = models.TextField(_("purpose"), blank=True)
    system_text = models.TextField(_("system text"))
    user_template = models.TextField(_("user template"))
    # [{"name": "customer_facts", "description": "...", "sample": "..."}]
    variables = models.JSONField(_("variables"), default=list, blank=True)
    model = models.CharField(_("model"), max_length=80, blank=True,
                             help_text=_("Empty: the provider settings' default model."))
    temperature = models.DecimalField(_("temperature"), max_digits=3, decimal_places=2, null=True, blank=True,
                                      help_text=_("Empty: the model's default (some models accept no other)."))
    max_output_tokens = models.PositiveIntegerField(_("max output tokens"), default=1500)
    output_schema = models.JSONField(_("output JSON schema"), null=True, blank=True,
                                     help_text=_("Empty: free text. Otherwise the answer must validate against it."))
    version = models.PositiveIntegerField(default=1, editable=False)
    shipped_version = models.PositiveIntegerField(default=0, editable=False,
                                                  help_text=_("Version of the shipped default file last installed."))
    based_on_system_version = models.PositiveIntegerField(null=True, blank=True, editable=False)
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["key"]
        constraints = [
            models.CheckConstraint(condition=Q(temperature__isnull=True) | Q(temperature__gte=0, temperature__lte=2),
                                   name="ai_prompt_temperature_range"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.key})"

    @property
    def variable_names(self) -> list[str]:
        return [variable["name"] for variable in self.variables]


SNAPSHOT_FIELDS = ["name", "purpose", "system_text", "user_template", "variables", "model", "temperature",
                   "max_output_tokens", "output_schema", "active"]


class PromptVersion(models.Model):
    """A snapshot kept on every change: who, why, and the whole prompt as it became."""

    prompt = models.ForeignKey(Prompt, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    snapshot = models.JSONField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-version"]
        constraints = [models.UniqueConstraint(fields=["prompt", "version"], name="ai_prompt_version_unique")]


class ProviderSettings(models.Model):
    """One row per schema (pk 1): the tenant's provider, or in public the system's (fallback for every tenant)."""

    api_key = EncryptedTextField(_("API key"), blank=True)
    api_key_last4 = models.CharField(max_length=4, blank=True, editable=False)
    base_url = models.URLField(_("base URL"), blank=True,
                               help_text=_("Empty: OpenAI. Any OpenAI-compatible endpoint: Azure OpenAI, Ollama "
                                           "(http://host:11434/v1), vLLM."))
    default_model = models.CharField(_("default model"), max_length=80, blank=True)
    last_tested_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_test_ok = models.BooleanField(null=True, editable=False)
    last_test_message = models.CharField(max_length=300, blank=True, editable=False)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("AI provider settings")
        verbose_name_plural = _("AI provider settings")
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="ai_provider_settings_singleton")]

    def __str__(self) -> str:
        return f"AI provider (key …{self.api_key_last4})" if self.api_key_last4 else "AI provider (no key)"

    @property
    def masked_key(self) -> str:
        return f"••••{self.api_key_last4}" if self.api_key_last4 else ""


class CallOutcome(models.TextChoices):
    OK = "ok", _("Succeeded")
    REPAIRED = "repaired", _("Succeeded after repair")
    INVALID_OUTPUT = "invalid_output", _("Invalid output")
    FAILED = "failed", _("Failed")
    OVER_BUDGET = "over_budget", _("Refused: over budget")


class AiCall(models.Model):
    """The log of every model call: what was asked, what came back, what it cost."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="ai_calls")
    feature = models.CharField(max_length=60, blank=True)
    prompt_key = models.CharField(max_length=60)
    prompt_version = models.CharField(max_length=30, blank=True)  # "system v3", "tenant v2", "draft"
    model = models.CharField(max_length=80, blank=True)
    provider_source = models.CharField(max_length=20, blank=True)  # tenant / system / environment
    tokens_in = models.PositiveIntegerField(default=0)
    tokens_out = models.PositiveIntegerField(default=0)
    latency_ms = models.PositiveIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    outcome = models.CharField(max_length=20, choices=CallOutcome.choices)
    error = models.TextField(blank=True)
    estimated_cost = models.DecimalField(max_digits=12, decimal_places=6, null=True, blank=True)
    request_text = models.TextField(blank=True)
    response_text = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["prompt_key", "-created_at"], name="ai_call_prompt")]

    def __str__(self) -> str:
        return f"{self.prompt_key} {self.created_at:%Y-%m-%d %H:%M} {self.outcome}"

    @property
    def tokens(self) -> int:
        return self.tokens_in + self.tokens_out


class AiRating(models.Model):
    call = models.ForeignKey(AiCall, on_delete=models.CASCADE, related_name="ratings")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    value = models.SmallIntegerField(choices=[(1, _("Useful")), (-1, _("Not useful"))])
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["call", "user"], name="ai_rating_one_per_user"),
            models.CheckConstraint(condition=Q(value__in=[1, -1]), name="ai_rating_value_valid"),
        ]


class JobStatus(models.TextChoices):
    PENDING = "pending", _("Working")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class AiJob(models.Model):
    """One piece of background AI work for a page: pending until the Celery task finishes, then done or failed.

    `subject_id` names the object the work is about (a customer, a ticket, a prompt) in the feature's own terms;
    the feature (ai_prompts/features) checks access to it before a job is created.
    """

    feature = models.CharField(max_length=60)
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.PENDING)
    input = models.JSONField(default=dict, blank=True)
    output = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    call = models.ForeignKey(AiCall, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["feature", "subject_id", "-created_at"], name="ai_job_subject")]

    def __str__(self) -> str:
        return f"{self.feature}#{self.subject_id} {self.status}"

    @property
    def is_stale(self) -> bool:
        """Pending for longer than any call can take (timeout x attempts): the worker lost it; offer a retry."""
        return (self.status == JobStatus.PENDING
                and (timezone.now() - self.created_at).total_seconds() > settings.AI_JOB_STALE_SECONDS)

    @property
    def is_running(self) -> bool:
        return self.status == JobStatus.PENDING and not self.is_stale
