"""Helpdesk settings for Managers and Admins: SLA policies, holidays, ticket categories, canned responses."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import staff_view
from helpdesk import permissions
from helpdesk.errors import HelpdeskError
from helpdesk.forms_settings import CannedResponseForm, CategoryForm, HolidayForm, SlaPolicyForm
from helpdesk.models import BusinessHoliday, CannedResponse, SlaPolicy, TicketCategory
from helpdesk.models.ticket import OPEN_STATUSES
from helpdesk.services import settings as services

MANAGE = permissions.MANAGE_HELPDESK


@staff_view(MANAGE)
def settings_home(request):
    policies = SlaPolicy.objects.annotate(open_tickets=Count("tickets", filter=Q(tickets__status__in=OPEN_STATUSES)))
    return render(request, "helpdesk/settings.html", {
        "policies": policies, "holidays": BusinessHoliday.objects.all(), "holiday_form": HolidayForm(),
        "categories": TicketCategory.objects.annotate(ticket_count=Count("tickets")), "category_form": CategoryForm(),
        "canned_responses": CannedResponse.objects.all()})


@staff_view(MANAGE)
def sla_policy_edit(request, pk=None):
    policy = get_object_or_404(SlaPolicy, pk=pk) if pk else None
    form = SlaPolicyForm(request.POST or None, instance=SlaPolicy.objects.get(pk=pk) if pk else None)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.sla_policy_save(policy=policy, acting_user=request.user, fields=form.policy_fields(),
                                             make_default=form.cleaned_data["make_default"])
        except HelpdeskError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("“%(name)s” saved; open tickets under it are being recalculated.")
                             % {"name": saved.name})
            return redirect("helpdesk:settings")
    return render(request, "helpdesk/sla_policy_form.html", {"form": form, "policy": policy},
                  status=422 if form.errors else 200)


@require_POST
@staff_view(MANAGE)
def sla_policy_delete(request, pk):
    policy = get_object_or_404(SlaPolicy, pk=pk)
    try:
        services.sla_policy_delete(policy=policy, acting_user=request.user)
        messages.success(request, _("Policy deleted."))
    except HelpdeskError as error:
        messages.error(request, str(error))
    return redirect("helpdesk:settings")


@require_POST
@staff_view(MANAGE)
def holiday_add(request):
    form = HolidayForm(request.POST)
    if form.is_valid():
        try:
            services.holiday_add(date=form.cleaned_data["date"], name=form.cleaned_data["name"], acting_user=request.user)
            messages.success(request, _("Holiday added."))
        except HelpdeskError as error:
            messages.error(request, str(error))
    else:
        messages.error(request, _("Give the holiday a date and a name."))
    return redirect("helpdesk:settings")


@require_POST
@staff_view(MANAGE)
def holiday_remove(request, pk):
    services.holiday_remove(holiday=get_object_or_404(BusinessHoliday, pk=pk), acting_user=request.user)
    messages.success(request, _("Holiday removed."))
    return redirect("helpdesk:settings")


@require_POST
@staff_view(MANAGE)
def category_add(request):
    form = CategoryForm(request.POST)
    if form.is_valid():
        try:
            services.category_add(name=form.cleaned_data["name"])
            messages.success(request, _("Category added."))
        except HelpdeskError as error:
            messages.error(request, str(error))
    return redirect("helpdesk:settings")


@staff_view(MANAGE)
def canned_response_edit(request, pk=None):
    response = get_object_or_404(CannedResponse, pk=pk) if pk else None
    form = CannedResponseForm(request.POST or None, instance=response)
    if request.method == "POST" and form.is_valid():
        services.canned_response_save(response=response, title=form.cleaned_data["title"], body=form.cleaned_data["body"])
        messages.success(request, _("Canned response saved."))
        return redirect("helpdesk:settings")
    return render(request, "helpdesk/canned_response_form.html", {"form": form, "response": response},
                  status=422 if form.errors else 200)
