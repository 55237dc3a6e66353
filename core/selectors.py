from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import Notification


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    title: str
    hint: str
    url: str
    done: bool


def getting_started_checklist(*, tenant, user) -> list[ChecklistItem]:
    """What a new tenant's admin should do first; each item ticks itself off from the data, not from a click."""
    from accounts.models import Invitation, User

    team_started = User.objects.count() > 1 or Invitation.objects.exists()
    return [
        ChecklistItem("profile", str(_("Describe your company")),
                      str(_("Your description and services let the AI features write in your voice.")),
                      reverse("tenants:settings"), tenant.profile_complete),
        ChecklistItem("branding", str(_("Add your logo")),
                      str(_("It appears on every page your team sees.")),
                      reverse("tenants:settings") + "#branding", bool(tenant.logo)),
        ChecklistItem("team", str(_("Invite your team")),
                      str(_("Give each colleague a role: Manager, Sales, Support agent or Read-only.")),
                      reverse("accounts:user_list"), team_started),
    ]


def notification_list_for_user(*, user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def event_list(*, limit: int = 10):
    from core.models import Event

    return Event.objects.select_related("actor").order_by("-created_at", "-id")[:limit]
