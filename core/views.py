from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.access import staff_view
from core import permissions
from core.notifications import notification_mark_all_read
from core.selectors import event_list, getting_started_checklist, notification_list_for_user
from tenants.permissions import CHANGE_SETTINGS


@staff_view(permissions.VIEW_DASHBOARD)
def dashboard(request):
    checklist = getting_started_checklist(tenant=request.tenant, user=request.user)
    context = {
        "checklist": checklist if request.user.has_perm(CHANGE_SETTINGS) else None,
        "checklist_done": sum(item.done for item in checklist),
        "recent_events": event_list(limit=8) if request.user.has_perm("accounts.view_users") else None,
        "recurring_revenue": _recurring_revenue(request.user),
        "satisfaction": _satisfaction(request.user),
    }
    return render(request, "core/dashboard.html", context)


def _recurring_revenue(user):
    """MRR/ARR of the support contracts in force, for those who may see contracts (else no card)."""
    if not user.has_perm("helpdesk.view_contracts"):
        return None
    from helpdesk.selectors_contracts import contract_recurring_revenue

    return contract_recurring_revenue()


def _satisfaction(user):
    """The customers' ratings of resolved tickets (the portal) over the last 30 days, for those who see tickets."""
    if not user.has_perm("helpdesk.view_tickets"):
        return None
    from datetime import timedelta

    from django.utils import timezone

    from portal.selectors import rating_summary

    return rating_summary(since=timezone.now() - timedelta(days=30))


@staff_view()
def notification_list(request):
    page = Paginator(notification_list_for_user(user=request.user), 25).get_page(request.GET.get("page"))
    return render(request, "core/notification_list.html", {"page": page})


@require_POST
@staff_view()
def notification_read_all(request):
    notification_mark_all_read(user=request.user)
    if request.htmx:
        return render(request, "core/partials/bell.html", {"unread_notifications": 0})
    return redirect("core:notification_list")


def favicon(request):
    """Browsers ask for /favicon.ico on every host; send them to the hashed static icon (resolved per request,
    not at import, so URL loading never depends on collectstatic having run)."""
    from django.http import HttpResponsePermanentRedirect
    from django.templatetags.static import static

    return HttpResponsePermanentRedirect(static("ccs/favicon.svg"))
