from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from ccs.widgets import LongSelect
from tenants.branding import logo_validate
from tenants.models import Tenant
from tenants.selectors import tenant_slug_problem


class TenantSlugField(forms.CharField):
    """A new tenant's slug: lower-cased, then refused when invalid, reserved or taken (with the reason)."""

    def clean(self, value):
        slug = super().clean(value).strip().lower()
        problem = tenant_slug_problem(slug)
        if problem:
            raise forms.ValidationError(problem)
        return slug


class SignupForm(forms.Form):
    company_name = forms.CharField(label=_("Company name"), max_length=120)
    slug = TenantSlugField(
        label=_("Your address"),
        max_length=40,
        help_text=_("Lowercase letters, digits and hyphens. Your team signs in at <slug>.%(domain)s."),
    )
    first_name = forms.CharField(label=_("Your first name"), max_length=80)
    last_name = forms.CharField(label=_("Your last name"), max_length=80)
    email = forms.EmailField(label=_("Work email"))
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput(render_value=False), strip=False)

    def __init__(self, *args, base_domain: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].help_text = self.fields["slug"].help_text % {"domain": base_domain}

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("password")
        if password:
            try:
                password_validation.validate_password(password)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


class CompanySettingsForm(forms.ModelForm):
    logo_upload = forms.FileField(
        label=_("Logo"), required=False,
        help_text=_("PNG, JPEG or WebP, at most 512 KB and 2000×2000 pixels."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )
    remove_logo = forms.BooleanField(label=_("Remove the current logo"), required=False)

    class Meta:
        model = Tenant
        fields = [
            "name", "description", "products_and_services", "unique_selling_points", "target_markets",
            "primary_colour", "timezone", "currency", "default_tax_rate",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "products_and_services": forms.Textarea(attrs={"rows": 3}),
            "unique_selling_points": forms.Textarea(attrs={"rows": 3}),
            "target_markets": forms.Textarea(attrs={"rows": 2}),
            "primary_colour": forms.TextInput(attrs={"type": "color"}),
            "timezone": LongSelect,
        }
        labels = {"name": _("Company name")}

    def clean_logo_upload(self):
        upload = self.cleaned_data.get("logo_upload")
        if upload:
            logo_validate(upload)
        return upload
