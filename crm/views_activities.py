"""Activities on the customer page (a lazily loaded tab) and the user's follow-ups across customers."""

from __future__ import annotations

import copy
from datetime import timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget

from accounts.access import staff_view
from crm import permissions, selectors
from crm.errors import CrmError
from crm.forms import ActivityForm
from crm.models import Activity
from crm.services import activities as services

ACTIVITIES_PER_PAGE = 20


def _panel(request, customer, form=None, status=200):
    activities = customer.activities.select_related("contact", "owner")
    page = Paginator(activities, ACTIVITIES_PER_PAGE).get_page(request.GET.get("page"))
    can_change = request.user.has_perm(permissions.CHANGE_CUSTOMERS) and not customer.is_archived
    if form is None and can_change:
        form = ActivityForm(customer=customer)
    return render(request, "crm/activities.html#activities-panel",
                  {"customer": customer, "page": page, "form": form, "can_change": can_change}, status=status)


@staff_view(permissions.VIEW_CUSTOMERS)
def activity_list(request, pk):
    customer = selectors.customer_get_for_user(user=request.user, pk=pk)
    if not request.htmx:
        return redirect(reverse("crm:customer_detail", kwargs={"pk": customer.pk}) + "#activities")
    # "Log this" on an AI suggestion card opens the form pre-filled (kind, subject, notes) for the user to edit.
    prefill = {name: request.GET[name] for name in ("kind", "subject", "notes") if request.GET.get(name)}
    form = None
    if prefill and request.user.has_perm(permissions.CHANGE_CUSTOMERS) and not customer.is_archived:
        form = ActivityForm(customer=customer, initial=prefill)
    return _panel(request, customer, form=form)


@require_POST
@staff_view(permissions.CHANGE_CUSTOMERS)
def activity_create(request, pk):
    customer = selectors.customer_get_for_user(user=request.user, pk=pk)
    form = ActivityForm(request.POST, customer=customer)
    if form.is_valid():
        try:
            activity = services.activity_log(customer=customer, acting_user=request.user, fields=form.cleaned_data)
        except CrmError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Logged: %(subject)s.") % {"subject": activity.subject})
            if not request.htmx:
                return redirect(reverse("crm:customer_detail", kwargs={"pk": customer.pk}))
            return _panel(request, customer)
    return _panel(request, customer, form=form, status=422)


@staff_view(permissions.CHANGE_CUSTOMERS)
def activity_edit(request, pk, activity_pk):
    """In place on the Activities tab: GET swaps the activity for its form, POST saves and shows the tab again."""
    customer = selectors.customer_get_for_user(user=request.user, pk=pk)
    activity = selectors.object_get_or_404(customer.activities.select_related("customer"), activity_pk)
    # The form edits a copy: validating writes into its instance, and the service compares against the stored values.
    form = ActivityForm(request.POST or None, instance=copy.copy(activity), customer=customer,
                        prefix=f"activity-{activity.pk}")
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_update(activity=activity, acting_user=request.user, fields=form.cleaned_data)
        except CrmError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Saved: %(subject)s.") % {"subject": activity.subject})
            if not request.htmx:
                return redirect(reverse("crm:customer_detail", kwargs={"pk": customer.pk}) + "#activities")
            # the form replaced one list item; the answer is the whole tab (the list order may have changed)
            return reswap(retarget(_panel(request, customer), "#activities-panel"), "outerHTML")
    if not request.htmx and request.method == "GET":
        return redirect(reverse("crm:customer_detail", kwargs={"pk": customer.pk}) + "#activities")
    return render(request, "crm/activities.html#activity-edit", {"customer": customer, "activity": activity, "form": form},
                  status=422 if form.errors else 200)


def _activity(pk) -> Activity:
    return selectors.object_get_or_404(Activity.objects.select_related("customer"), pk)


@require_POST
@staff_view(permissions.CHANGE_CUSTOMERS)
def activity_complete(request, activity_pk):
    activity = _activity(activity_pk)
    services.activity_complete(activity=activity, acting_user=request.user)
    messages.success(request, _("Done: %(subject)s.") % {"subject": activity.subject})
    if request.htmx and request.POST.get("from") == "customer":
        return _panel(request, activity.customer)
    if request.htmx:
        return render(request, "crm/follow_ups.html#follow-ups", _follow_up_context(request))
    return redirect("crm:follow_ups")


def _follow_up_context(request):
    today = timezone.localdate()
    week_end = today + timedelta(days=6 - today.weekday())
    open_items = list(
        Activity.objects.filter(owner=request.user, completed_at__isnull=True, follow_up_on__isnull=False,
                                follow_up_on__lte=week_end, customer__archived_at__isnull=True)
        .select_related("customer", "contact").order_by("follow_up_on", "id")[:200]
    )
    return {
        "groups": [
            ("overdue", _("Overdue"), [a for a in open_items if a.follow_up_on < today]),
            ("today", _("Today"), [a for a in open_items if a.follow_up_on == today]),
            ("week", _("Later this week"), [a for a in open_items if today < a.follow_up_on <= week_end]),
        ],
        "today": today,
    }


@staff_view(permissions.VIEW_CUSTOMERS)
def follow_ups(request):
    return render(request, "crm/follow_ups.html", _follow_up_context(request))
