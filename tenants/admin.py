"""The operators' admin on the system tenant: list, search, create and edit tenants; suspend and reactivate."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from tenants.models import Domain, Tenant
from tenants.forms import TenantSlugField
from tenants.services import tenant_plan_change, tenant_provision, tenant_reactivate, tenant_suspend


class TenantAddForm(forms.ModelForm):
    schema_name = TenantSlugField(label=_("Slug"), max_length=40,
                                  help_text=_("Becomes the schema name and the host <slug>.BASE_DOMAIN; cannot change."))
    admin_email = forms.EmailField(label=_("First admin's email"),
                                   help_text=_("They receive an invitation to set their password."))
    admin_first_name = forms.CharField(label=_("First admin's first name"), required=False)
    admin_last_name = forms.CharField(label=_("First admin's last name"), required=False)

    class Meta:
        model = Tenant
        fields = ["name", "schema_name", "plan"]


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0
    fields = ["domain", "is_primary"]


@admin.register(Tenant)
class TenantAdmin(admin.ModelAdmin):
    list_display = ["name", "schema_name", "plan", "status", "trial_ends_on", "created_at"]
    list_filter = ["status", "plan"]
    search_fields = ["name", "schema_name", "domains__domain"]
    ordering = ["name"]
    actions = ["suspend_selected", "reactivate_selected"]
    readonly_fields = ["schema_name", "status", "created_at", "updated_at", "suspended_at"]
    fieldsets = [
        (None, {"fields": ["name", "schema_name", "plan", "status", "trial_ends_on", "suspended_at"]}),
        (_("Regional"), {"fields": ["timezone", "currency", "default_tax_rate"]}),
        (_("Branding"), {"fields": ["primary_colour", "logo"]}),
        (_("Company profile"), {"fields": ["description", "products_and_services", "unique_selling_points", "target_markets"]}),
        (_("Record"), {"fields": ["created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(schema_name="public")

    def has_delete_permission(self, request, obj=None):
        # Deleting the row would orphan the schema and its data; operators suspend instead.
        return False

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = TenantAddForm
            kwargs["fields"] = None
        return super().get_form(request, obj, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": ["name", "schema_name", "plan", "admin_email", "admin_first_name", "admin_last_name"]})]
        return self.fieldsets

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def get_inlines(self, request, obj):
        return [DomainInline] if obj is not None else []

    def save_model(self, request, obj, form, change):
        if change:
            if "plan" in form.changed_data:
                previous = Tenant.objects.get(pk=obj.pk)
                new_plan = obj.plan
                obj.plan = previous.plan
                tenant_plan_change(tenant=obj, plan=new_plan, acting_user=request.user)
            obj.save()
            return
        data = form.cleaned_data
        result = tenant_provision(
            slug=data["schema_name"], name=data["name"], plan=data["plan"], admin_email=data["admin_email"],
            admin_first_name=data["admin_first_name"], admin_last_name=data["admin_last_name"],
            acting_user=request.user,
        )
        form.instance = result.tenant
        obj.pk = result.tenant.pk
        obj._state.adding = False
        obj._state.db = "default"
        messages.info(request, _("Tenant created in %(seconds).1f s; an invitation was emailed to %(email)s.")
                      % {"seconds": result.seconds, "email": data["admin_email"]})

    def save_related(self, request, form, formsets, change):
        if change:
            super().save_related(request, form, formsets, change)

    @admin.action(description=_("Suspend the selected tenants (they keep their data)"))
    def suspend_selected(self, request, queryset):
        for tenant in queryset:
            tenant_suspend(tenant=tenant, acting_user=request.user)
        self.message_user(request, _("%(count)d tenant(s) suspended.") % {"count": queryset.count()}, messages.SUCCESS)

    @admin.action(description=_("Reactivate the selected tenants"))
    def reactivate_selected(self, request, queryset):
        for tenant in queryset:
            tenant_reactivate(tenant=tenant, acting_user=request.user)
        self.message_user(request, _("%(count)d tenant(s) reactivated.") % {"count": queryset.count()}, messages.SUCCESS)
