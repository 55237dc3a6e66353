"""Opportunities: a tab on the customer page, the pipeline board (drag between stages) and a filtered list."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, F, Q, Sum, Window
from django.db.models.functions import RowNumber
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import staff_view
from crm import permissions, selectors
from crm.errors import CrmError
from crm.forms import OpportunityFilterForm, OpportunityForm
from crm.models import Opportunity, OpportunityStage
from crm.rows_html import pipeline_cards
from crm.services import opportunities as services

BOARD_CARDS_PER_STAGE = 25  # the list view has them all


def _panel(request, customer, form=None, status=200, editing=None):
    can_change = request.user.has_perm(permissions.CHANGE_CUSTOMERS) and not customer.is_archived
    if form is None and can_change:
        form = OpportunityForm(initial={"owner": request.user.pk})
    opportunities = customer.opportunities.select_related("owner").order_by("-created_at")
    return render(request, "crm/opportunities.html#opportunities-panel",
                  {"customer": customer, "opportunities": opportunities, "form": form, "can_change": can_change,
                   "stages": OpportunityStage.choices, "editing": editing}, status=status)


@staff_view(permissions.CHANGE_CUSTOMERS)
def opportunity_edit(request, pk, opportunity_pk):
    """The tab's form, filled with one opportunity; saving moves its stage (with the lifecycle) and edits the rest."""
    customer = selectors.customer_get_for_user(user=request.user, pk=pk)
    opportunity = selectors.object_get_or_404(customer.opportunities.select_related("customer"), opportunity_pk)
    form = OpportunityForm(request.POST or None, instance=Opportunity.objects.get(pk=opportunity.pk))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        stage = data.pop("stage")
        try:
            services.opportunity_move(opportunity=opportunity, stage=stage, acting_user=request.user)
            services.opportunity_update(opportunity=opportunity, acting_user=request.user, fields=data)
        except CrmError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("“%(title)s” saved.") % {"title": opportunity.title})
            return _panel(request, customer) if request.htmx else redirect(
                reverse("crm:customer_detail", kwargs={"pk": customer.pk}))
    return _panel(request, customer, form=form, editing=opportunity, status=422 if request.method == "POST" else 200)


@staff_view(permissions.VIEW_CUSTOMERS)
def opportunity_tab(request, pk):
    customer = selectors.customer_get_for_user(user=request.user, pk=pk)
    if not request.htmx:
        return redirect(reverse("crm:customer_detail", kwargs={"pk": customer.pk}) + "#opportunities")
    return _panel(request, customer)


@require_POST
@staff_view(permissions.CHANGE_CUSTOMERS)
def opportunity_create(request, pk):
    customer = selectors.customer_get_for_user(user=request.user, pk=pk)
    form = OpportunityForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            opportunity = services.opportunity_create(customer=customer, acting_user=request.user,
                                                      stage=data.pop("stage"), fields=data)
        except CrmError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Opportunity “%(title)s” opened.") % {"title": opportunity.title})
            if not request.htmx:
                return redirect(reverse("crm:customer_detail", kwargs={"pk": customer.pk}))
            return _panel(request, customer)
    return _panel(request, customer, form=form, status=422)


def _opportunity(pk) -> Opportunity:
    return selectors.object_get_or_404(Opportunity.objects.select_related("customer", "owner"), pk)


@require_POST
@staff_view(permissions.CHANGE_CUSTOMERS)
def opportunity_stage(request, opportunity_pk):
    """From the board (drag) or the stage menus: move to `stage`; the board or the tab is redrawn."""
    opportunity = _opportunity(opportunity_pk)
    stage = request.POST.get("stage", "")
    if stage not in OpportunityStage.values:
        messages.error(request, _("Choose one of the stages."))
        status = 422
    else:
        try:
            services.opportunity_move(opportunity=opportunity, stage=stage, acting_user=request.user)
            messages.success(request, _("“%(title)s” moved to %(stage)s.")
                             % {"title": opportunity.title, "stage": opportunity.get_stage_display()})
            status = 200
        except CrmError as error:
            messages.error(request, str(error))
            status = 409
    if request.htmx and request.POST.get("from") == "customer":
        return _panel(request, opportunity.customer, status=status)
    if request.htmx:
        return render(request, "crm/pipeline.html#board", _board_context(request), status=status)
    return redirect("crm:pipeline")


def _filtered(request):
    form = OpportunityFilterForm(request.GET or None)
    opportunities = Opportunity.objects.select_related("customer", "owner").filter(customer__archived_at__isnull=True)
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            opportunities = opportunities.filter(Q(title__icontains=data["q"]) | Q(customer__name__icontains=data["q"]))
        if data["stage"]:
            opportunities = opportunities.filter(stage=data["stage"])
        if data["owner"]:
            opportunities = opportunities.filter(owner=data["owner"])
    return form, opportunities


def _board_context(request):
    form, opportunities = _filtered(request)
    totals = {row["stage"]: row for row in opportunities.order_by().values("stage").annotate(
        count=Count("id"), total=Sum("value"))}  # one GROUP BY in SQL, not a sum in Python
    # The first cards of every stage in one query (a row number per stage), not one query per stage.
    ranked = opportunities.annotate(position=Window(
        RowNumber(), partition_by=[F("stage")], order_by=[F("expected_close_on").asc(), F("id").asc()]))
    by_stage: dict[str, list[dict]] = {}
    # As dicts of the shown columns: 175 Opportunity, Customer and User instances cost ~7 ms of CPU.
    cards = ranked.filter(position__lte=BOARD_CARDS_PER_STAGE).order_by("expected_close_on", "id").values(
        "id", "title", "value", "probability", "expected_close_on", "stage", "customer_id", "customer__name")
    for card in cards:
        by_stage.setdefault(card["stage"], []).append(card)
    cards_html = pipeline_cards(by_stage, currency=request.tenant.currency)
    columns = []
    for value, label in OpportunityStage.choices:
        cards = by_stage.get(value, [])
        row = totals.get(value, {})
        columns.append({"stage": value, "label": label, "cards": cards, "count": row.get("count", 0),
                        "total": row.get("total") or Decimal("0"),
                        "cards_html": cards_html.get(value, "")})
    return {"filter_form": form, "columns": columns, "query": request.GET.urlencode(),
            "can_change": request.user.has_perm(permissions.CHANGE_CUSTOMERS), "currency": request.tenant.currency}


@staff_view(permissions.VIEW_CUSTOMERS)
def pipeline(request):
    return render(request, "crm/pipeline.html", _board_context(request))


@staff_view(permissions.VIEW_CUSTOMERS)
def opportunity_list(request):
    form, opportunities = _filtered(request)
    page = Paginator(opportunities.order_by("expected_close_on", "id"), 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "crm/opportunity_list.html", {"filter_form": form, "page": page, "query": query.urlencode(),
                                                         "currency": request.tenant.currency})
