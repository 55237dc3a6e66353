from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from ccs.widgets import LongSelect
from crm.models import Tag
from helpdesk.models import Comment, Mailbox, Ticket, TicketCategory, TicketPriority, TicketStatus, TimeEntry
from helpdesk.models.ticket import SlaState


def _agents():
    """Who tickets can be assigned to: active users whose role may work tickets."""
    return (User.objects.filter(is_active=True, groups__permissions__codename="work_tickets",
                                groups__permissions__content_type__app_label="helpdesk")
            .order_by("first_name", "last_name", "email"))


def agent_choices() -> list[tuple[str, str]]:
    """(id, name) of every agent, for the assignee menus."""
    return [(str(user.pk), str(user)) for user in _agents()]


class TicketForm(forms.ModelForm):
    """The customer is chosen before this form (it decides which contacts and sites are offered)."""

    class Meta:
        model = Ticket
        fields = ["subject", "description", "contact", "site", "type", "category", "contract", "quote", "priority", "assignee",
                  "source", "tags"]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, customer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = customer.contacts.order_by("-is_primary", "first_name")
        self.fields["site"].queryset = customer.addresses.order_by("position")
        self.fields["category"].queryset = TicketCategory.objects.all()
        from django.db.models import Q

        from helpdesk.models.contract import LIVE_STATUSES

        self.fields["contract"].queryset = customer.support_contracts.filter(
            Q(status__in=LIVE_STATUSES) | Q(pk=self.instance.contract_id or 0)).order_by("-end_date", "-id")
        if not self.instance.pk and not self.is_bound:
            from helpdesk.selectors_contracts import contract_in_force_for_customer

            self.initial.setdefault("contract", contract_in_force_for_customer(customer_id=customer.pk))
        self.fields["quote"].queryset = customer.quotes.order_by("-created_at")
        self.fields["assignee"].queryset = _agents()
        self.fields["tags"].queryset = Tag.objects.all()
        self.fields["tags"].required = False
        if self.instance.pk:  # priority, status and assignee change through their own controls on the ticket page
            for name in ("priority", "assignee", "source"):
                del self.fields[name]


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 5}))
    is_internal = forms.BooleanField(label=_("Internal note (not sent to the customer)"), required=False)
    parent = forms.ModelChoiceField(queryset=Comment.objects.none(), required=False, widget=forms.HiddenInput)
    files = forms.FileField(label=_("Attachments"), required=False,
                            widget=forms.ClearableFileInput(attrs={"allow_multiple_selected": True}))

    def __init__(self, *args, ticket, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = ticket.comments.all()
        self.fields["files"].widget.attrs["multiple"] = True


class TimeEntryForm(forms.ModelForm):
    class Meta:
        model = TimeEntry
        fields = ["minutes", "billable", "note", "spent_on"]
        widgets = {"spent_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


SAVED_VIEWS = {
    "mine": _("My open tickets"),
    "unassigned": _("Unassigned"),
    "breaching": _("Breaching soon"),
    "open": _("All open"),
    "all": _("All tickets"),
}
SORTS = {
    "sla": ("sla_due_at", "-created_at"), "-created": ("-created_at",), "created": ("created_at", "id"),
    "priority": ("-priority_rank", "sla_due_at"), "number": ("-number",),
}


@dataclass(frozen=True)
class TicketFilters:
    view: str = "open"
    search: str = ""
    status: str = ""
    priority: str = ""
    assignee: str = ""  # "", "me", "none" or a user id
    customer: int | None = None
    sla_state: str = ""
    sort: str = "sla"


class TicketFilterForm(forms.Form):
    view = forms.ChoiceField(required=False, choices=list(SAVED_VIEWS.items()))
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Any status")), *TicketStatus.choices])
    priority = forms.ChoiceField(label=_("Priority"), required=False,
                                 choices=[("", _("Any priority")), *TicketPriority.choices])
    assignee = forms.ChoiceField(label=_("Assignee"), required=False)
    sla_state = forms.ChoiceField(label=_("SLA"), required=False,
                                  choices=[("", _("Any SLA state")), *[c for c in SlaState.choices if c[0]]])
    customer = forms.IntegerField(required=False, widget=forms.HiddenInput)
    sort = forms.ChoiceField(required=False, choices=[(key, key) for key in SORTS], widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        agents = agent_choices()
        self.agents = agents
        self.fields["assignee"].choices = [("", _("Anyone")), ("me", _("Me")), ("none", _("Unassigned")), *agents]
        for name in ("status", "priority", "assignee", "sla_state"):
            self.fields[name].widget = LongSelect(choices=self.fields[name].choices)

    def filters(self) -> TicketFilters:
        if not self.is_valid():
            return TicketFilters()
        data = self.cleaned_data
        return TicketFilters(view=data["view"] or "open", search=data["q"].strip(), status=data["status"],
                             priority=data["priority"], assignee=data["assignee"], customer=data["customer"],
                             sla_state=data["sla_state"], sort=data["sort"] or "sla")


class BulkForm(forms.Form):
    ACTIONS = [("assign", _("Assign to")), ("status", _("Change status to")), ("close", _("Close"))]
    action = forms.ChoiceField(choices=ACTIONS)
    tickets = forms.ModelMultipleChoiceField(queryset=Ticket.objects.all())
    assignee = forms.ModelChoiceField(queryset=User.objects.none(), required=False)
    status = forms.ChoiceField(choices=TicketStatus.choices, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = _agents()


class MailboxForm(forms.ModelForm):
    """The password is never sent back to the browser: left blank, the stored one is kept."""

    password = forms.CharField(label=_("Password"), required=False, strip=False,
                               widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
                               help_text=_("Leave blank to keep the stored password."))

    class Meta:
        model = Mailbox
        fields = ["host", "port", "security", "username", "password", "folder", "is_enabled"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.stored_password = self.instance.password if self.instance.pk else ""
        self.initial.pop("password", None)

    def clean_password(self):
        return self.cleaned_data.get("password") or self.stored_password

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("password") and not self.errors:
            self.add_error("password", _("Enter the mailbox password."))
        return cleaned

class ContractForm(forms.ModelForm):
    """Leave the end date empty to end with the term; the renewal date defaults to the end date. Give the monthly or
    the annual value: the other is worked out."""

    class Meta:
        from helpdesk.models import SupportContract

        model = SupportContract
        fields = ["name", "type", "start_date", "term_months", "end_date", "renewal_date", "auto_renew",
                  "monthly_value", "annual_value", "sla_policy", "hours_included", "hours_period", "owner", "notes"]
        widgets = {name: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
                   for name in ("start_date", "end_date", "renewal_date")} | {
            "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from helpdesk.models import SlaPolicy

        for name in ("end_date", "renewal_date", "monthly_value", "annual_value"):
            self.fields[name].required = False
        self.fields["sla_policy"].queryset = SlaPolicy.objects.all()
        self.fields["sla_policy"].empty_label = _("The default policy")
        self.fields["owner"].queryset = _agents()
        for name in ("monthly_value", "annual_value", "hours_included"):
            self.fields[name].min_value = 0
            self.fields[name].widget.attrs["min"] = "0"

    def clean(self):
        data = super().clean()
        if data.get("monthly_value") is None and data.get("annual_value") is None and not self.errors:
            raise forms.ValidationError(_("Give the monthly or the annual value."))
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end <= start:
            self.add_error("end_date", _("The end date must be after the start date."))
        return data


class ContractRenewForm(forms.Form):
    term_months = forms.TypedChoiceField(label=_("New term"), coerce=int, choices=[(12, _("12 months")),
                                                                                   (24, _("24 months")),
                                                                                   (36, _("36 months"))])
    monthly_value = forms.DecimalField(label=_("New monthly value"), required=False, min_value=0, decimal_places=2,
                                       help_text=_("leave empty to keep the current value"))


class ContractCancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class ContractFilterForm(forms.Form):
    from helpdesk.models.contract import ContractStatus, ContractType

    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Any status")), *ContractStatus.choices])
    type = forms.ChoiceField(label=_("Type"), required=False, choices=[("", _("Any type")), *ContractType.choices])
    renewing = forms.IntegerField(label=_("Renewing within (days)"), required=False, min_value=0, max_value=3650)
    customer = forms.IntegerField(required=False, widget=forms.HiddenInput)
    sort = forms.ChoiceField(required=False, choices=[], widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from helpdesk.selectors_contracts import SORTS as CONTRACT_SORTS

        self.fields["sort"].choices = [(key, key) for key in CONTRACT_SORTS]

    def filters(self):
        from helpdesk.selectors_contracts import ContractFilters

        if not self.is_valid():
            return ContractFilters()
        data = self.cleaned_data
        return ContractFilters(status=data["status"], type=data["type"], renewing_within=data["renewing"],
                               customer=data["customer"], search=data["q"].strip(), sort=data["sort"] or "renewal")
