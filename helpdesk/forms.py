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


class TicketForm(forms.ModelForm):
    """The customer is chosen before this form (it decides which contacts and sites are offered)."""

    class Meta:
        model = Ticket
        fields = ["subject", "description", "contact", "site", "type", "category", "priority", "assignee", "source", "tags"]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, customer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = customer.contacts.order_by("-is_primary", "first_name")
        self.fields["site"].queryset = customer.addresses.order_by("position")
        self.fields["category"].queryset = TicketCategory.objects.all()
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
        agents = [(str(user.pk), str(user)) for user in _agents()]
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

