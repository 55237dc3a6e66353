from __future__ import annotations

from django import forms
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth.forms import PasswordResetForm
from django.utils.translation import gettext_lazy as _

from accounts.errors import LoginLocked
from ccs.widgets import LongSelect
from accounts.models import User
from accounts.roles import ROLE_DESCRIPTIONS, Role
from accounts.throttle import login_failure_record, login_failures_clear, login_lock_check


class SignInForm(forms.Form):
    email = forms.EmailField(label=_("Email"), widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}))
    password = forms.CharField(label=_("Password"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))

    error_messages = {"invalid_login": _("That email and password do not match an active account here.")}

    def __init__(self, request=None, *args, **kwargs):
        self.request = request
        self.user_cache = None
        super().__init__(*args, **kwargs)

    def clean(self):
        from accounts.throttle import client_address

        email = (self.cleaned_data.get("email") or "").lower()
        password = self.cleaned_data.get("password")
        if not email or not password:
            return self.cleaned_data
        address = client_address(self.request)
        try:
            login_lock_check(email=email, address=address)
        except LoginLocked as locked:
            raise forms.ValidationError(str(locked), code="locked") from None
        self.user_cache = authenticate(self.request, username=email, password=password)
        if self.user_cache is None:
            login_failure_record(email=email, address=address)
            try:
                login_lock_check(email=email, address=address)
            except LoginLocked as locked:
                raise forms.ValidationError(str(locked), code="locked") from None
            raise forms.ValidationError(self.error_messages["invalid_login"], code="invalid_login")
        login_failures_clear(email=email, address=address)
        return self.cleaned_data

    def get_user(self):
        return self.user_cache


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form, but the email is recorded and delivered by Celery with retries."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email,
                  html_email_template_name=None):
        from django.template.loader import render_to_string

        from core.email import email_send

        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        email_send(to=to_email, subject=subject, template="accounts/email/password_reset", context=context)

    def get_users(self, email):
        return User.objects.filter(email__iexact=email, is_active=True)


def role_choices():
    return [(role.value, f"{role.label} — {ROLE_DESCRIPTIONS[role]}") for role in Role]


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Email"))
    first_name = forms.CharField(label=_("First name"), max_length=80, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=80, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=role_choices, initial=Role.SALES)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class InvitationAcceptForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=80)
    last_name = forms.CharField(label=_("Last name"), max_length=80)
    password1 = forms.CharField(label=_("Choose a password"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                help_text=password_validation.password_validators_help_text_html())
    password2 = forms.CharField(label=_("Repeat the password"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def __init__(self, *args, email: str, **kwargs):
        self.email = email
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords differ."))
        elif password1:
            probe = User(email=self.email, first_name=cleaned.get("first_name", ""), last_name=cleaned.get("last_name", ""))
            try:
                password_validation.validate_password(password1, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "phone", "timezone", "language"]
        widgets = {"timezone": LongSelect}
