"""Catalogue pages. Thin: parse, call a service or selector, render the page or its partial."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from accounts.access import staff_view
from quotes import permissions
from quotes.errors import QuotesError, SupplierArchived
from quotes.forms import CategoryForm, LabourRateForm, ProductFilterForm, ProductForm, SupplierForm
from quotes.models import LabourRate
from quotes.selectors import catalogue as selectors
from quotes.services import catalogue as services
from quotes.services.pricing import pricing_settings_ensure

PRODUCTS_PER_PAGE = 25
SUPPLIERS_PER_PAGE = 50
SEARCH_RESULTS = 20


def _query_without(request, *names) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


# Products ---------------------------------------------------------------------------------------------------------

def _product_list_context(request):
    filter_form = ProductFilterForm(request.GET or None)
    filters = filter_form.filters()
    ids = selectors.product_list(filters=filters).values_list("id", flat=True)
    page = Paginator(ids, PRODUCTS_PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = selectors.products_in_order(list(page.object_list))
    return {
        "filter_form": filter_form, "filters": filters, "page": page,
        "query": _query_without(request, "page"), "sort_query": _query_without(request, "page", "sort"),
        "can_change": request.user.has_perm(permissions.CHANGE_CATALOGUE),
        "can_import": request.user.has_perm(permissions.IMPORT_PRICE_LIST),
    }


@vary_on_headers("HX-Request")
@staff_view(permissions.VIEW_CATALOGUE)
def product_list(request):
    context = _product_list_context(request)
    if request.htmx and request.htmx.target == "product-table":
        return render(request, "quotes/product_list.html#product-table", context)
    return render(request, "quotes/product_list.html", context)


@vary_on_headers("HX-Request")
@staff_view(permissions.VIEW_CATALOGUE)
def product_search(request):
    """Find a product by part number or words of its description: the page, and (htmx) just the results.

    The quote builder's "add from catalogue" swaps in the `search-results` partial."""
    search = request.GET.get("q", "").strip()[:200]
    context = {"search": search, "products": selectors.product_search(search=search, limit=SEARCH_RESULTS)}
    quote_pk = request.GET.get("quote", "")
    if request.htmx and quote_pk.isdigit():  # the builder: each result is an "add this line" button
        return render(request, "quotes/partials/catalogue_pick.html", {**context, "quote_pk": int(quote_pk)})
    if request.htmx:
        return render(request, "quotes/product_search.html#search-results", context)
    return render(request, "quotes/product_search.html", context)


def _save_product(request, form, product=None):
    """Call the service with the form's data; domain errors go back onto the form. Returns the product or None."""
    data = dict(form.cleaned_data)
    try:
        if product is None:
            return services.product_create(acting_user=request.user, **data)
        return services.product_update(product=product, acting_user=request.user, changes=data)
    except SupplierArchived as error:
        form.add_error("supplier", str(error))
    except QuotesError as error:
        form.add_error("part_number", str(error))
    except ValidationError as error:
        form.add_error(None, error)
    return None


@staff_view(permissions.CHANGE_CATALOGUE)
def product_create(request):
    initial = {"supplier": request.GET.get("supplier")} if request.GET.get("supplier", "").isdigit() else {}
    form = ProductForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        product = _save_product(request, form)
        if product:
            messages.success(request, _("%(part)s was added to the catalogue.") % {"part": product.part_number})
            return redirect("quotes:product_detail", pk=product.pk)
    return render(request, "quotes/product_form.html", {"form": form, "product": None},
                  status=422 if request.method == "POST" else 200)


@staff_view(permissions.CHANGE_CATALOGUE)
def product_edit(request, pk):
    product = selectors.product_get_for_user(user=request.user, pk=pk)
    editable = selectors.product_get_for_user(user=request.user, pk=pk)  # the form edits a copy; the service compares
    form = ProductForm(request.POST or None, instance=editable)
    if request.method == "POST" and form.is_valid():
        if _save_product(request, form, product):
            messages.success(request, _("Changes saved."))
            return redirect("quotes:product_detail", pk=product.pk)
    return render(request, "quotes/product_form.html", {"form": form, "product": product},
                  status=422 if request.method == "POST" else 200)


@staff_view(permissions.VIEW_CATALOGUE)
def product_detail(request, pk):
    product = selectors.product_get_for_user(user=request.user, pk=pk)
    pricing = pricing_settings_ensure()
    suggested = None
    if product.category_id:
        suggested = pricing.sell_price(cost=product.cost_price, markup_percent=product.category.default_markup_percent)
    return render(request, "quotes/product_detail.html", {
        "product": product, "history": selectors.product_price_history(product=product), "pricing": pricing,
        "suggested_price": suggested, "can_change": request.user.has_perm(permissions.CHANGE_CATALOGUE),
    })


@require_POST
@staff_view(permissions.CHANGE_CATALOGUE)
def product_deactivate(request, pk):
    product = selectors.product_get_for_user(user=request.user, pk=pk)
    services.product_deactivate(product=product, acting_user=request.user)
    messages.success(request, _("%(part)s is no longer offered on new quotes.") % {"part": product.part_number})
    return redirect("quotes:product_detail", pk=product.pk)


# Suppliers --------------------------------------------------------------------------------------------------------

@staff_view(permissions.VIEW_CATALOGUE)
def supplier_list(request):
    search = request.GET.get("q", "").strip()
    archived = request.GET.get("archived") == "on"
    page = Paginator(selectors.supplier_list(search=search, archived=archived), SUPPLIERS_PER_PAGE).get_page(
        request.GET.get("page"))
    return render(request, "quotes/supplier_list.html", {
        "page": page, "search": search, "archived": archived, "query": _query_without(request, "page"),
        "can_change": request.user.has_perm(permissions.CHANGE_CATALOGUE),
    })


@staff_view(permissions.CHANGE_CATALOGUE)
def supplier_create(request):
    form = SupplierForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            supplier = services.supplier_create(acting_user=request.user, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(name)s was added to the suppliers.") % {"name": supplier.name})
            return redirect("quotes:supplier_list")
    return render(request, "quotes/supplier_form.html", {"form": form, "supplier": None},
                  status=422 if request.method == "POST" else 200)


@staff_view(permissions.CHANGE_CATALOGUE)
def supplier_edit(request, pk):
    supplier = selectors.supplier_get_for_user(user=request.user, pk=pk)
    form = SupplierForm(request.POST or None, instance=selectors.supplier_get_for_user(user=request.user, pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.supplier_update(supplier=supplier, acting_user=request.user, changes=dict(form.cleaned_data))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("quotes:supplier_list")
    return render(request, "quotes/supplier_form.html", {"form": form, "supplier": supplier},
                  status=422 if request.method == "POST" else 200)


@require_POST
@staff_view(permissions.CHANGE_CATALOGUE)
def supplier_archive(request, pk):
    supplier = selectors.supplier_get_for_user(user=request.user, pk=pk)
    services.supplier_archive(supplier=supplier, acting_user=request.user)
    messages.success(request, _("%(name)s was archived: its products stay, but no new ones can be added.")
                     % {"name": supplier.name})
    return redirect("quotes:supplier_list")


@require_POST
@staff_view(permissions.CHANGE_CATALOGUE)
def supplier_restore(request, pk):
    supplier = selectors.supplier_get_for_user(user=request.user, pk=pk)
    services.supplier_restore(supplier=supplier, acting_user=request.user)
    messages.success(request, _("%(name)s was restored.") % {"name": supplier.name})
    return redirect("quotes:supplier_list")


# Categories and labour rates --------------------------------------------------------------------------------------

def _save_named(request, form, save, instance, key):
    try:
        return save(acting_user=request.user, **{key: instance}, **form.cleaned_data)
    except ValidationError as error:
        form.add_error(None, error)
        return None


@staff_view(permissions.VIEW_CATALOGUE)
def category_list(request):
    return _category_page(request)


def _category_page(request, form=None, status=200):
    can_manage = request.user.has_perm(permissions.MANAGE_PRICING)
    return render(request, "quotes/category_list.html", {
        "categories": selectors.category_list(), "form": form or (CategoryForm() if can_manage else None),
        "can_manage": can_manage, "pricing": pricing_settings_ensure(),
    }, status=status)


@require_POST
@staff_view(permissions.MANAGE_PRICING)
def category_create(request):
    form = CategoryForm(request.POST)
    if form.is_valid() and _save_named(request, form, services.category_save, None, "category"):
        messages.success(request, _("“%(name)s” was added.") % {"name": form.cleaned_data["name"]})
        return redirect("quotes:category_list")
    return _category_page(request, form=form, status=422)


@staff_view(permissions.MANAGE_PRICING)
def category_edit(request, pk):
    category = selectors.category_get_for_user(user=request.user, pk=pk)
    form = CategoryForm(request.POST or None, instance=selectors.category_get_for_user(user=request.user, pk=pk))
    if request.method == "POST" and form.is_valid() and _save_named(request, form, services.category_save, category,
                                                                    "category"):
        messages.success(request, _("Changes saved."))
        return redirect("quotes:category_list")
    return render(request, "quotes/named_form.html", {
        "form": form, "title": _("Edit category %(name)s") % {"name": category.name},
        "back_url": "quotes:category_list", "back_label": _("Categories"),
    }, status=422 if request.method == "POST" else 200)


@staff_view(permissions.VIEW_CATALOGUE)
def labour_rate_list(request):
    return _labour_rate_page(request)


def _labour_rate_page(request, form=None, status=200):
    can_manage = request.user.has_perm(permissions.MANAGE_PRICING)
    return render(request, "quotes/labour_rate_list.html", {
        "rates": LabourRate.objects.order_by("-is_active", "name"),
        "form": form or (LabourRateForm() if can_manage else None), "can_manage": can_manage,
    }, status=status)


@require_POST
@staff_view(permissions.MANAGE_PRICING)
def labour_rate_create(request):
    form = LabourRateForm(request.POST)
    if form.is_valid() and _save_named(request, form, services.labour_rate_save, None, "labour_rate"):
        messages.success(request, _("“%(name)s” was added.") % {"name": form.cleaned_data["name"]})
        return redirect("quotes:labour_rate_list")
    return _labour_rate_page(request, form=form, status=422)


@staff_view(permissions.MANAGE_PRICING)
def labour_rate_edit(request, pk):
    rate = selectors.labour_rate_get_for_user(user=request.user, pk=pk)
    form = LabourRateForm(request.POST or None, instance=selectors.labour_rate_get_for_user(user=request.user, pk=pk))
    if request.method == "POST" and form.is_valid() and _save_named(request, form, services.labour_rate_save, rate,
                                                                    "labour_rate"):
        messages.success(request, _("Changes saved."))
        return redirect("quotes:labour_rate_list")
    return render(request, "quotes/named_form.html", {
        "form": form, "title": _("Edit labour rate %(name)s") % {"name": rate.name},
        "back_url": "quotes:labour_rate_list", "back_label": _("Labour rates"),
    }, status=422 if request.method == "POST" else 200)
