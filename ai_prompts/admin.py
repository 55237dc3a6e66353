"""System prompts and the system provider key, edited by CCS operators in the Django admin of the public schema.

Saves go through the services, so a system prompt edit keeps a version and reaches the next call at once.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db import connection
from django_tenants.utils import get_public_schema_name

from ai_prompts.models import AiCall, Prompt, PromptVersion, ProviderSettings
from ai_prompts.services.prompts import prompt_save
from ai_prompts.services.providers import provider_settings_save


class PublicOnly:
    def has_module_permission(self, request):
        return connection.schema_name == get_public_schema_name() and super().has_module_permission(request)


class PromptVersionInline(admin.TabularInline):
    model = PromptVersion
    fields = ["version", "note", "author", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["-version"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Prompt)
class PromptAdmin(PublicOnly, admin.ModelAdmin):
    list_display = ["key", "name", "version", "shipped_version", "active", "updated_at"]
    search_fields = ["key", "name"]
    readonly_fields = ["version", "shipped_version"]
    inlines = [PromptVersionInline]

    def get_readonly_fields(self, request, obj=None):
        # The key is what the code asks for: fixed once the prompt exists.
        return [*self.readonly_fields, "key"] if obj else self.readonly_fields

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in form.changed_data if name in form.cleaned_data}
        prompt = Prompt.objects.get(pk=obj.pk) if change else obj
        prompt_save(prompt=prompt, fields=fields or {"name": obj.name}, acting_user=request.user,
                    note="Edited in the system admin")
        obj.pk, obj.version = prompt.pk, prompt.version


class ProviderSettingsAdminForm(forms.ModelForm):
    new_api_key = forms.CharField(required=False, widget=forms.PasswordInput(render_value=False),
                                  help_text="Leave empty to keep the stored key (never shown back; last 4 characters only).")
    clear_key = forms.BooleanField(required=False)
    base_url = forms.URLField(required=False, assume_scheme="https",
                              help_text="Empty: OpenAI. Any OpenAI-compatible endpoint (Azure OpenAI, Ollama, vLLM).")

    class Meta:
        model = ProviderSettings
        fields = ["base_url", "default_model"]


@admin.register(ProviderSettings)
class ProviderSettingsAdmin(PublicOnly, admin.ModelAdmin):
    form = ProviderSettingsAdminForm
    list_display = ["__str__", "base_url", "default_model", "updated_at"]
    readonly_fields = ["masked_key", "last_tested_at", "last_test_ok", "last_test_message"]

    def has_add_permission(self, request):
        return not ProviderSettings.objects.exists()

    def save_model(self, request, obj, form, change):
        row = provider_settings_save(api_key=form.cleaned_data["new_api_key"] or None, base_url=obj.base_url,
                                     default_model=obj.default_model, acting_user=request.user,
                                     clear_key=form.cleaned_data["clear_key"])
        obj.pk = row.pk  # the admin's redirect and history entry name the saved row
        messages.info(request, "System AI provider saved: every tenant without its own key uses it.")


@admin.register(AiCall)
class AiCallAdmin(PublicOnly, admin.ModelAdmin):
    list_display = ["created_at", "prompt_key", "model", "outcome", "tokens_in", "tokens_out"]
    list_filter = ["outcome"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
