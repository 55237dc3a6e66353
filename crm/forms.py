from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from crm.models import (
    UNITED_KINGDOM, Activity, Address, Contact, Customer, CustomerStatus, EmailKind, Opportunity, OpportunityStage,
    PhoneKind, Sector, Tag,
)
from crm.normalise import normalise_uk_postcode
from crm.rows_html import filter_menu
from crm.selectors import SORTS, CustomerFilters


def _owners():
    """Account owners are the people who may work customers: active users whose role can change them."""
    from crm.selectors import owner_candidates

    return owner_candidates()


def _owner_choices():
    """The owners as a filter menu shows them (their name or email): only those columns are read."""
    return _owners().only("id", "first_name", "last_name", "email")


class CustomerForm(forms.ModelForm):
    owner = forms.ModelChoiceField(label=_("Account owner"), queryset=User.objects.none(), required=False)
    tags = forms.ModelMultipleChoiceField(label=_("Tags"), queryset=Tag.objects.none(), required=False,
                                          widget=forms.SelectMultiple(attrs={"size": 4}))
    new_tags = forms.CharField(label=_("New tags"), required=False, max_length=200,
                               help_text=_("Comma-separated; they are added to the list."))
    confirm_duplicate = forms.BooleanField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Customer
        fields = ["name", "status", "sector", "size_band", "website", "email", "phone", "registration_number",
                  "owner", "is_competitor", "lead_score", "tags", "known_facts", "lifecycle_automation"]
        widgets = {"known_facts": forms.Textarea(attrs={"rows": 4}),
                   "lead_score": forms.NumberInput(attrs={"min": 0, "max": 100})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _owners()
        self.fields["tags"].queryset = Tag.objects.all()
        self.fields["sector"].queryset = Sector.objects.all()
        if self.instance.pk:
            del self.fields["status"]  # changed from the status menu, with its own event
            del self.fields["owner"]  # likewise

    def clean_new_tags(self):
        return [name.strip() for name in self.cleaned_data["new_tags"].split(",") if name.strip()]


class ListedModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField that reads its queryset once, as a list, for both its menu and its validation.

    The customer list draws every option of its filter menus anyway; a plain ModelChoiceField then looked the
    chosen one up again (`queryset.get`) and read the menu through a server-side cursor (four round trips)."""

    def objects(self) -> list:
        if getattr(self, "_objects", None) is None:
            self._objects = list(self.queryset)
        return self._objects

    def _set_queryset(self, queryset):
        super()._set_queryset(queryset)
        self._objects = None

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        self.validate_no_null_characters(value)
        try:
            key = int(value.pk if isinstance(value, self.queryset.model) else value)
        except (ValueError, TypeError):
            key = None
        for candidate in self.objects():
            if candidate.pk == key:
                return candidate
        raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})


class CustomerFilterForm(forms.Form):
    """The customer list's filters. The list page draws the menus with `crm.rows_html.customer_filter_menus`
    (in Python: the list is redrawn on every keystroke of the search)."""

    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Any status")), *CustomerStatus.choices])
    sector = ListedModelChoiceField(label=_("Sector"), required=False, queryset=Sector.objects.none(), empty_label=_("Any sector"))
    owner = ListedModelChoiceField(label=_("Owner"), required=False, queryset=User.objects.none(), empty_label=_("Anyone"))
    competitor = forms.ChoiceField(label=_("Competitor"), required=False,
                                   choices=[("", _("Competitors or not")), ("yes", _("Competitors only")), ("no", _("Not competitors"))])
    tag = ListedModelChoiceField(label=_("Tag"), required=False, queryset=Tag.objects.none(), empty_label=_("Any tag"))
    archived = forms.BooleanField(label=_("Archived"), required=False)
    sort = forms.ChoiceField(required=False, choices=[(key, key) for key in SORTS], widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = Sector.objects.all()
        self.fields["owner"].queryset = _owner_choices()
        self.fields["tag"].queryset = Tag.objects.all()

    def filters(self) -> CustomerFilters:
        if not self.is_valid():
            return CustomerFilters()
        data = self.cleaned_data
        competitor = {"yes": True, "no": False}.get(data["competitor"])
        return CustomerFilters(
            search=data["q"], status=data["status"], sector=data["sector"].pk if data["sector"] else None,
            owner=data["owner"].pk if data["owner"] else None, competitor=competitor,
            tag=data["tag"].pk if data["tag"] else None, archived=data["archived"], sort=data["sort"] or "name",
        )


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=CustomerStatus.choices)


class BulkForm(forms.Form):
    ACTIONS = [("status", _("Change status")), ("owner", _("Change owner"))]
    action = forms.ChoiceField(choices=ACTIONS)
    ids = forms.CharField()
    status = forms.ChoiceField(choices=CustomerStatus.choices, required=False)
    owner = forms.ModelChoiceField(queryset=User.objects.none(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _owners()

    def clean_ids(self):
        try:
            return sorted({int(value) for value in self.data.getlist("ids")})
        except ValueError:
            raise forms.ValidationError(_("Choose the customers to change.")) from None


class ContactForm(forms.ModelForm):
    make_primary = forms.BooleanField(label=_("Primary contact"), required=False)

    class Meta:
        model = Contact
        fields = ["first_name", "last_name", "job_title", "role", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}


class EmailRowForm(forms.Form):
    address = forms.EmailField(label=_("Email"), required=False)
    kind = forms.ChoiceField(label=_("Type"), choices=EmailKind.choices, initial=EmailKind.WORK)
    is_primary = forms.BooleanField(label=_("Primary"), required=False)


class PhoneRowForm(forms.Form):
    number = forms.CharField(label=_("Phone"), max_length=40, required=False)
    kind = forms.ChoiceField(label=_("Type"), choices=PhoneKind.choices, initial=PhoneKind.OFFICE)
    is_primary = forms.BooleanField(label=_("Primary"), required=False)


EmailFormSet = forms.formset_factory(EmailRowForm, extra=2, max_num=10)
PhoneFormSet = forms.formset_factory(PhoneRowForm, extra=2, max_num=10)


UK_NAMES = {"united kingdom", "uk", "gb", "great britain", "england", "scotland", "wales", "northern ireland"}


class AddressForm(forms.ModelForm):
    make_default = forms.BooleanField(label=_("Default address of this type"), required=False)

    class Meta:
        model = Address
        fields = ["kind", "label", "line1", "line2", "line3", "town", "county", "postcode", "country"]

    def clean(self):
        cleaned = super().clean()
        country = (cleaned.get("country") or "").strip()
        if country.lower() in UK_NAMES:
            cleaned["country"] = UNITED_KINGDOM
            postcode = cleaned.get("postcode", "")
            if not postcode:
                self.add_error("postcode", _("A UK address needs a postcode."))
            else:
                normalised = normalise_uk_postcode(postcode)
                if normalised is None:
                    self.add_error("postcode", _("“%(value)s” is not a valid UK postcode (for example B15 2TT).")
                                   % {"value": postcode})
                else:
                    cleaned["postcode"] = normalised
        return cleaned


class ActivityForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = ["kind", "subject", "contact", "occurred_at", "duration_minutes", "outcome", "follow_up_on", "notes"]
        widgets = {
            "occurred_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "follow_up_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, customer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = customer.contacts.all()
        self.fields["occurred_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        if not self.is_bound:
            self.initial.setdefault("occurred_at", timezone.localtime().replace(second=0, microsecond=0))


class OpportunityForm(forms.ModelForm):
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none(), required=False)

    class Meta:
        model = Opportunity
        fields = ["title", "value", "probability", "expected_close_on", "stage", "owner", "notes"]
        widgets = {"expected_close_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _owners()


class OpportunityFilterForm(forms.Form):
    """The pipeline's and the opportunity list's filters; their menus are drawn in Python (`stage_menu`,
    `owner_menu`): Django's Select draws every option through a template."""

    q = forms.CharField(label=_("Search"), required=False)
    stage = forms.ChoiceField(label=_("Stage"), required=False, choices=[("", _("Any stage")), *OpportunityStage.choices])
    owner = ListedModelChoiceField(label=_("Owner"), required=False, queryset=User.objects.none(), empty_label=_("Anyone"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _owner_choices()

    def stage_menu(self):
        return filter_menu(self["stage"])

    def owner_menu(self):
        return filter_menu(self["owner"])
