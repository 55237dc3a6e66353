"""Support contract pages. Thin: parse, call a service or selector, render the page or the partial htmx asked for."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import staff_view
from crm.errors import CrmError
from crm.selectors import customer_get_for_user
from helpdesk import permissions
from helpdesk import selectors_contracts as selectors
from helpdesk.errors import HelpdeskError
from helpdesk.forms import ContractCancelForm, ContractFilterForm, ContractForm, ContractRenewForm
from helpdesk.models import ContractStatus, SupportContract
from helpdesk.services import contracts as services

CONTRACTS_PER_PAGE = 25
TICKETS_ON_CONTRACT_PAGE = 20


@staff_view(permissions.VIEW_CONTRACTS)
def contract_list(request):
    filter_form = ContractFilterForm(request.GET or None)
    filters = filter_form.filters()
    page = Paginator(selectors.contract_list(filters=filters), CONTRACTS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    sortless = query.copy()
    sortless.pop("sort", None)
    context = {"filter_form": filter_form, "filters": filters, "page": page, "query": query.urlencode(),
               "sortless_query": sortless.urlencode(), "can_manage": request.user.has_perm(permissions.MANAGE_CONTRACTS),
               "revenue": selectors.contract_recurring_revenue()}
    if request.htmx and request.htmx.target == "contract-table":
        return render(request, "helpdesk/contract_list.html#contract-table", context)
    return render(request, "helpdesk/contract_list.html", context)


@staff_view(permissions.MANAGE_CONTRACTS)
def contract_create(request):
    """Opened from a customer (?customer=<id>): the contract belongs to that customer."""
    customer_id = request.GET.get("customer") or request.POST.get("customer") or ""
    if not str(customer_id).isdigit():
        messages.info(request, _("Open the customer and add the contract from its Contracts tab."))
        return redirect("crm:customer_list")
    customer = customer_get_for_user(user=request.user, pk=int(customer_id))
    form = ContractForm(request.POST or None, initial={"owner": customer.owner_id or request.user.pk})
    if request.method == "POST" and form.is_valid():
        try:
            contract = services.contract_create(customer=customer, acting_user=request.user,
                                                activate=bool(request.POST.get("activate")), **form.cleaned_data)
        except (HelpdeskError, CrmError) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Contract %(name)s was created.") % {"name": contract.name})
            return redirect("helpdesk:contract_detail", pk=contract.pk)
    return render(request, "helpdesk/contract_form.html", {"form": form, "customer": customer, "contract": None},
                  status=422 if form.errors else 200)


@staff_view(permissions.MANAGE_CONTRACTS)
def contract_edit(request, pk):
    contract = selectors.contract_get_for_user(user=request.user, pk=pk)
    editable = SupportContract.objects.get(pk=contract.pk)  # the form edits a copy; the service compares
    form = ContractForm(request.POST or None, instance=editable)
    if request.method == "POST" and form.is_valid():
        changes = dict(form.cleaned_data)
        for name in ("end_date", "renewal_date"):
            if changes.get(name) is None:
                changes.pop(name)
        for name in ("monthly_value", "annual_value"):
            if changes.get(name) is None:
                changes.pop(name)
        try:
            services.contract_update(contract=contract, acting_user=request.user, changes=changes)
        except HelpdeskError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Saved."))
            return redirect("helpdesk:contract_detail", pk=contract.pk)
    return render(request, "helpdesk/contract_form.html",
                  {"form": form, "customer": contract.customer, "contract": contract},
                  status=422 if form.errors else 200)


def _detail_context(request, contract, renew_form=None, cancel_form=None):
    tickets = contract.tickets.select_related("assignee").order_by("-created_at", "-id")
    return {
        "contract": contract, "drawdown": selectors.contract_drawdown(contract=contract),
        "tickets": tickets[:TICKETS_ON_CONTRACT_PAGE], "ticket_count": tickets.count(),
        "renewed_by": SupportContract.objects.filter(renewed_from=contract).first(),
        "reminders": list(contract.reminders.all()[:10]),
        "renew_form": renew_form or ContractRenewForm(initial={"term_months": contract.term_months}),
        "cancel_form": cancel_form or ContractCancelForm(),
        "can_manage": request.user.has_perm(permissions.MANAGE_CONTRACTS),
        "can_activate": contract.status == ContractStatus.DRAFT,
        "can_cancel": contract.status not in (ContractStatus.EXPIRED, ContractStatus.CANCELLED),
    }


@staff_view(permissions.VIEW_CONTRACTS)
def contract_detail(request, pk):
    contract = selectors.contract_get_for_user(user=request.user, pk=pk)
    return render(request, "helpdesk/contract_detail.html", _detail_context(request, contract))


@require_POST
@staff_view(permissions.MANAGE_CONTRACTS)
def contract_activate(request, pk):
    contract = selectors.contract_get_for_user(user=request.user, pk=pk)
    try:
        services.contract_activate(contract=contract, acting_user=request.user)
    except HelpdeskError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The contract is active."))
    return redirect("helpdesk:contract_detail", pk=contract.pk)


@require_POST
@staff_view(permissions.MANAGE_CONTRACTS)
def contract_renew(request, pk):
    contract = selectors.contract_get_for_user(user=request.user, pk=pk)
    form = ContractRenewForm(request.POST)
    if form.is_valid():
        try:
            successor = services.contract_renew(contract=contract, acting_user=request.user,
                                                term_months=form.cleaned_data["term_months"],
                                                monthly_value=form.cleaned_data["monthly_value"])
        except HelpdeskError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Renewed until %(end)s.") % {"end": successor.end_date.strftime("%-d %b %Y")})
            return redirect("helpdesk:contract_detail", pk=successor.pk)
    return render(request, "helpdesk/contract_detail.html", _detail_context(request, contract, renew_form=form),
                  status=422)


@require_POST
@staff_view(permissions.MANAGE_CONTRACTS)
def contract_cancel(request, pk):
    contract = selectors.contract_get_for_user(user=request.user, pk=pk)
    form = ContractCancelForm(request.POST)
    if form.is_valid():
        try:
            services.contract_cancel(contract=contract, acting_user=request.user, reason=form.cleaned_data["reason"])
        except HelpdeskError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The contract is cancelled."))
            return redirect("helpdesk:contract_detail", pk=contract.pk)
    return render(request, "helpdesk/contract_detail.html", _detail_context(request, contract, cancel_form=form),
                  status=422)


@staff_view(permissions.VIEW_CONTRACTS)
def customer_contract_tab(request, pk):
    customer = customer_get_for_user(user=request.user, pk=pk)
    contracts = SupportContract.objects.filter(customer=customer).select_related("sla_policy").order_by(
        "-end_date", "-id")
    page = Paginator(contracts, 20).get_page(request.GET.get("page"))
    if not request.htmx:
        return redirect(reverse("crm:customer_detail", kwargs={"pk": customer.pk}) + "#contracts")
    return render(request, "helpdesk/customer_contracts.html", {
        "customer": customer, "page": page, "can_manage": request.user.has_perm(permissions.MANAGE_CONTRACTS)})
