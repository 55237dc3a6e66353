from __future__ import annotations

import zoneinfo
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from ccs.widgets import LongSelect
from helpdesk.models import BusinessHoliday, CannedResponse, SlaPolicy
from helpdesk.models.sla import WEEKDAYS

TARGETS = [(kind, priority) for kind in ("response", "resolution") for priority in ("low", "medium", "high", "urgent")]


class SlaPolicyForm(forms.ModelForm):
    """Targets are typed in hours (decimals allowed) and stored in minutes."""

    working_days = forms.TypedMultipleChoiceField(label=_("Working days"), choices=WEEKDAYS, coerce=int, required=False,
                                                  widget=forms.CheckboxSelectMultiple)
    make_default = forms.BooleanField(label=_("Use this policy by default"), required=False)

    class Meta:
        model = SlaPolicy
        fields = ["name", "timezone", "working_days", "opens_at", "closes_at", "around_the_clock", "at_risk_percent",
                  "escalate_raise_priority", "escalate_to"]
        widgets = {"opens_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                   "closes_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        zones = sorted(zoneinfo.available_timezones())
        self.fields["timezone"] = forms.ChoiceField(label=_("Timezone"), choices=[(zone, zone) for zone in zones],
                                                    widget=LongSelect(choices=[(zone, zone) for zone in zones]))
        self.fields["escalate_to"].queryset = User.objects.filter(is_active=True)
        for kind, priority in TARGETS:
            name = f"{kind}_{priority}"
            label = (_("First response, %(priority)s (hours)") if kind == "response"
                     else _("Resolution, %(priority)s (hours)")) % {"priority": priority}
            minutes = getattr(self.instance, name) if self.instance.pk else SlaPolicy._meta.get_field(name).default
            self.fields[f"{name}_hours"] = forms.DecimalField(
                label=label, min_value=Decimal("0.25"), max_value=2000, decimal_places=2,
                initial=(Decimal(minutes) / 60).quantize(Decimal("0.01")))
        self.fields["make_default"].initial = self.instance.is_default

    def target_fields(self):
        return [self[f"{kind}_{priority}_hours"] for kind, priority in TARGETS]

    def policy_fields(self) -> dict:
        data = {key: value for key, value in self.cleaned_data.items() if not key.endswith("_hours") and key != "make_default"}
        for kind, priority in TARGETS:
            data[f"{kind}_{priority}"] = int(self.cleaned_data[f"{kind}_{priority}_hours"] * 60)
        return data


class HolidayForm(forms.ModelForm):
    class Meta:
        model = BusinessHoliday
        fields = ["date", "name"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def validate_unique(self):  # the service says it in words
        pass


class CategoryForm(forms.Form):
    name = forms.CharField(label=_("New category"), max_length=80)


class CannedResponseForm(forms.ModelForm):
    class Meta:
        model = CannedResponse
        fields = ["title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 6})}
        help_texts = {"body": _("Placeholders: {contact_name}, {ticket_number}, {agent_name}, {customer_name}.")}
