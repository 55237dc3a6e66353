from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from portal.models import PortalScope


class SignInForm(forms.Form):
    email = forms.EmailField(label=_("Email"), widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}))
    password = forms.CharField(label=_("Password"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class EmailForm(forms.Form):
    email = forms.EmailField(label=_("Email"), widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}))


class SetPasswordForm(forms.Form):
    password1 = forms.CharField(label=_("Choose a password"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "autofocus": True}),
                                help_text=password_validation.password_validators_help_text_html())
    password2 = forms.CharField(label=_("Repeat the password"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password2") and cleaned["password1"] != cleaned["password2"]:
            self.add_error("password2", _("The two passwords differ."))
        return cleaned


class PasswordChangeForm(SetPasswordForm):
    current = forms.CharField(label=_("Current password"), strip=False,
                              widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    field_order = ["current", "password1", "password2"]


class AccessForm(forms.Form):
    """What a contact sees in the portal (staff side)."""

    email = forms.ChoiceField(label=_("Signs in with"), required=False)
    can_see_quotes = forms.BooleanField(label=_("Quotes"), required=False, initial=True)
    can_see_tickets = forms.BooleanField(label=_("Tickets"), required=False, initial=True)
    can_see_contracts = forms.BooleanField(label=_("Contracts"), required=False)
    scope = forms.ChoiceField(label=_("They see"), choices=PortalScope.choices, initial=PortalScope.COMPANY,
                              widget=forms.RadioSelect)

    def __init__(self, *args, contact, inviting: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].choices = [(email.address.lower(), email.address) for email in contact.emails.all()]
        self.fields["email"].required = inviting


class TicketForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    description = forms.CharField(label=_("What happened?"), widget=forms.Textarea(attrs={"rows": 6}), required=False)
    priority = forms.ChoiceField(label=_("Priority"), choices=[("low", _("Low")), ("medium", _("Medium")),
                                                               ("high", _("High"))], initial="medium")
    site = forms.ChoiceField(label=_("Site"), required=False)

    def __init__(self, *args, sites, **kwargs):
        super().__init__(*args, **kwargs)
        self.sites = {str(site.pk): site for site in sites}
        self.fields["site"].choices = [("", _("— no particular site —"))] + [
            (key, str(site)) for key, site in self.sites.items()]

    def clean_site(self):
        value = self.cleaned_data.get("site")
        return self.sites.get(value) if value else None


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Your reply"), widget=forms.Textarea(attrs={"rows": 4}))


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(label=_("How did we do?"), coerce=int, widget=forms.RadioSelect,
                                   choices=[(n, str(n)) for n in range(1, 6)])
    comment = forms.CharField(label=_("Anything to add? (optional)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
