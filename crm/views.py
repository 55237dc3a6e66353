"""Customer pages. Thin: parse, call a service or selector, render the page or its partial."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.access import staff_view
from core.event_kinds import timeline_filters
from crm import permissions, selectors
from crm.errors import CrmError
from crm.forms import BulkForm, CustomerFilterForm, CustomerForm, StatusForm
from core.rows_html import option_tags
from crm.rows_html import customer_filter_menus, customer_rows, customer_sort_links
from crm.models import Customer, CustomerStatus, Tag
from crm.services import customers as services

CUSTOMERS_PER_PAGE = 25


def _customer_page(customers, number) -> Page:
    """The requested page; on the first page (where a search or filter lands) the total is counted only when the
    page is full: a shorter first page holds every match, and a search's COUNT(*) ran its whole match again."""
    paginator = Paginator(customers, CUSTOMERS_PER_PAGE)
    if number not in (None, "", "1"):
        return paginator.get_page(number)
    rows = list(customers[:CUSTOMERS_PER_PAGE])
    if len(rows) < CUSTOMERS_PER_PAGE:
        paginator.count = len(rows)
    return Page(rows, 1, paginator)


def _list_context(request):
    filter_form = CustomerFilterForm(request.GET or None)
    filters = filter_form.filters()
    page = _customer_page(selectors.customer_table(filters=filters), request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    can_change = request.user.has_perm(permissions.CHANGE_CUSTOMERS)
    owner_field = filter_form.fields["owner"]
    # Drawn only by the template parts that show them (an htmx table update has no filter form): callables.
    return {
        "filter_form": filter_form, "filters": filters, "page": page, "query": query.urlencode(),
        "customer_rows": customer_rows(page.object_list, can_change=can_change),
        "sort_links": customer_sort_links(filters),
        "filter_menus": lambda: customer_filter_menus(filter_form),
        # The owner filter reads the people who may own customers once (also to validate a choice): both menus reuse them.
        "owner_options": lambda: option_tags(owner_field.objects(), filters.owner),
        "bulk_owner_options": lambda: option_tags(owner_field.objects()),
        "statuses": CustomerStatus.choices,
        "bulk_actions": BulkForm.ACTIONS,
        "can_change": can_change,
        "can_export": request.user.has_perm(permissions.EXPORT_CUSTOMERS),
        "can_import": request.user.has_perm(permissions.IMPORT_CUSTOMERS),
        "can_manage_sectors": request.user.has_perm(permissions.MANAGE_SECTORS),
    }


@staff_view(permissions.VIEW_CUSTOMERS)
def customer_list(request):
    context = _list_context(request)
    if request.htmx and request.htmx.target == "customer-table":
        return render(request, "crm/customer_list.html#customer-table", context)
    return render(request, "crm/customer_list.html", context)


class _Echo:
    def write(self, value):
        return value


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    """Text a spreadsheet would run as a formula (=HYPERLINK(...), +cmd...) is kept as text with a leading quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


@staff_view(permissions.EXPORT_CUSTOMERS)
def customer_export(request):
    """CSV of the filtered list (all pages), streamed so a large export never sits in memory."""
    filters = CustomerFilterForm(request.GET or None).filters()
    customers = selectors.customer_list(filters=filters)
    writer = csv.writer(_Echo())
    header = ["name", "status", "sector", "size", "website", "email", "phone", "registration number", "owner",
              "competitor", "lead score", "tags", "created"]

    def rows():
        yield writer.writerow(header)
        for customer in customers.iterator(chunk_size=500):
            yield writer.writerow([_cell(value) for value in (
                customer.name, customer.get_status_display(), customer.sector or "", customer.get_size_band_display(),
                customer.website, customer.email, customer.phone, customer.registration_number,
                customer.owner or "", "yes" if customer.is_competitor else "no", customer.lead_score,
                "; ".join(tag.name for tag in customer.tags.all()), customer.created_at.date().isoformat(),
            )])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="customers-{timezone.localdate():%Y-%m-%d}.csv"'
    return response


def _tags_with_new(form) -> list[Tag]:
    tags = list(form.cleaned_data.get("tags") or [])
    for name in form.cleaned_data.get("new_tags") or []:
        tags.append(services.tag_get_or_create(name=name))
    return tags


def _duplicates_block(form, exclude_pk=None):
    """Possible duplicates, unless the user already saw them and chose to go on."""
    if form.cleaned_data.get("confirm_duplicate"):
        return []
    data = form.cleaned_data
    return selectors.customer_duplicates(name=data.get("name", ""), website=data.get("website", ""),
                                         registration_number=data.get("registration_number", ""), exclude_pk=exclude_pk)


@staff_view(permissions.CHANGE_CUSTOMERS)
def customer_create(request):
    form = CustomerForm(request.POST or None, initial={"owner": request.user.pk})
    duplicates = []
    if request.method == "POST" and form.is_valid():
        duplicates = _duplicates_block(form)
        if not duplicates:
            data = {key: value for key, value in form.cleaned_data.items()
                    if key not in {"tags", "new_tags", "confirm_duplicate", "owner", "status", "name"}}
            customer = services.customer_create(
                acting_user=request.user, name=form.cleaned_data["name"], status=form.cleaned_data["status"],
                owner=form.cleaned_data["owner"], tags=_tags_with_new(form), **data,
            )
            messages.success(request, _("%(name)s was created.") % {"name": customer.name})
            return redirect("crm:customer_detail", pk=customer.pk)
        form.data = form.data.copy()
        form.data["confirm_duplicate"] = "on"
    status = 422 if request.method == "POST" else 200
    return render(request, "crm/customer_form.html", {"form": form, "duplicates": duplicates, "customer": None}, status=status)


@staff_view(permissions.CHANGE_CUSTOMERS)
def customer_edit(request, pk):
    customer = selectors.customer_get_for_user(user=request.user, pk=pk)
    editable = Customer.objects.get(pk=customer.pk)  # the form edits a copy; the service compares with the original
    form = CustomerForm(request.POST or None, instance=editable)
    duplicates = []
    if request.method == "POST" and form.is_valid():
        duplicates = _duplicates_block(form, exclude_pk=customer.pk)
        if not duplicates:
            changes = {key: value for key, value in form.cleaned_data.items() if key in services.EDITABLE_FIELDS}
            try:
                services.customer_update(customer=customer, acting_user=request.user, changes=changes,
                                         tags=_tags_with_new(form))
            except CrmError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("Changes saved."))
                return redirect("crm:customer_detail", pk=customer.pk)
        form.data = form.data.copy()
        form.data["confirm_duplicate"] = "on"
    status = 422 if request.method == "POST" else 200
    return render(request, "crm/customer_form.html", {"form": form, "duplicates": duplicates, "customer": customer},
                  status=status)


def _detail_context(request, customer):
    events = selectors.customer_timeline(customer=customer, kind=request.GET.get("kind", ""))
    return {
        "customer": customer, "statuses": CustomerStatus.choices, "addresses": customer.addresses.all(),
        "events": events[: selectors.TIMELINE_PAGE], "more": len(events) > selectors.TIMELINE_PAGE,
        "kind": request.GET.get("kind", ""), "timeline_kinds": [("", gettext_lazy("Everything")), *timeline_filters()],
        "can_change": request.user.has_perm(permissions.CHANGE_CUSTOMERS) and not customer.is_archived,
        "can_archive": request.user.has_perm(permissions.ARCHIVE_CUSTOMERS),
        "can_merge": request.user.has_perm(permissions.MERGE_CUSTOMERS) and not customer.is_archived,
    }




@staff_view(permissions.VIEW_CUSTOMERS)
def customer_detail(request, pk):
    customer = selectors.customer_get_for_user(user=request.user, pk=pk)
    return render(request, "crm/customer_detail.html", _detail_context(request, customer))


@staff_view(permissions.VIEW_CUSTOMERS)
def customer_timeline(request, pk):
    """htmx: the next page of the timeline (infinite scroll) or the timeline filtered by kind."""
    customer = selectors.customer_get_for_user(user=request.user, pk=pk, related=False)
    before = request.GET.get("before")
    events = selectors.customer_timeline(customer=customer, kind=request.GET.get("kind", ""),
                                         before_id=int(before) if before and before.isdigit() else None)
    return render(request, "crm/customer_detail.html#timeline-page", {
        "customer": customer, "events": events[: selectors.TIMELINE_PAGE],
        "more": len(events) > selectors.TIMELINE_PAGE, "kind": request.GET.get("kind", ""),
    })


@require_POST
@staff_view(permissions.CHANGE_CUSTOMERS)
def customer_status(request, pk):
    customer = selectors.customer_get_for_user(user=request.user, pk=pk)
    form = StatusForm(request.POST)
    status = 200
    if not form.is_valid():
        messages.error(request, _("Choose one of the statuses."))
        status = 422
    else:
        try:
            services.customer_status_change(customer=customer, status=form.cleaned_data["status"], acting_user=request.user)
            messages.success(request, _("Status changed to %(status)s.") % {"status": customer.get_status_display()})
        except CrmError as error:
            messages.error(request, str(error))
            status = 409
    if request.htmx:
        return render(request, "crm/customer_detail.html#customer-header", _detail_context(request, customer), status=status)
    return redirect("crm:customer_detail", pk=customer.pk)


@require_POST
@staff_view(permissions.ARCHIVE_CUSTOMERS)
def customer_archive(request, pk):
    customer = selectors.customer_get_for_user(user=request.user, pk=pk)
    services.customer_archive(customer=customer, acting_user=request.user)
    messages.success(request, _("%(name)s was archived. It stays searchable under Archived.") % {"name": customer.name})
    return redirect("crm:customer_detail", pk=customer.pk)


@require_POST
@staff_view(permissions.ARCHIVE_CUSTOMERS)
def customer_restore(request, pk):
    customer = selectors.customer_get_for_user(user=request.user, pk=pk)
    services.customer_restore(customer=customer, acting_user=request.user)
    messages.success(request, _("%(name)s was restored.") % {"name": customer.name})
    return redirect("crm:customer_detail", pk=customer.pk)


@require_POST
@staff_view(permissions.CHANGE_CUSTOMERS)
def customer_bulk(request):
    form = BulkForm(request.POST)
    if not form.is_valid() or not form.cleaned_data["ids"]:
        messages.error(request, _("Choose the customers and what to change."))
    else:
        customers = list(Customer.objects.filter(pk__in=form.cleaned_data["ids"], archived_at__isnull=True))
        if form.cleaned_data["action"] == "status" and form.cleaned_data["status"]:
            count = services.customer_bulk_status(customers=customers, status=form.cleaned_data["status"],
                                                  acting_user=request.user)
        elif form.cleaned_data["action"] == "owner":
            count = services.customer_bulk_owner(customers=customers, owner=form.cleaned_data["owner"],
                                                 acting_user=request.user)
        else:
            count = None
            messages.error(request, _("Choose the new status."))
        if count is not None:
            messages.success(request, _("%(count)d customer(s) changed.") % {"count": count})
    return redirect(reverse("crm:customer_list") + ("?" + request.POST.get("query", "") if request.POST.get("query") else ""))
