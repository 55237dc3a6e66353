"""The address book at the top of the customer page: cards added, edited, removed and reordered in place."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import staff_view
from crm import permissions, selectors
from crm.errors import CrmError
from crm.forms import AddressForm
from crm.models import Address
from crm.services import addresses as services


def _address_for(customer, pk) -> Address:
    return selectors.object_get_or_404(customer.addresses.all(), pk)


def address_book(request, customer, status=200, **form_context):
    can_change = request.user.has_perm(permissions.CHANGE_CUSTOMERS) and not customer.is_archived
    return render(request, "crm/addresses.html#address-book",
                  {"customer": customer, "addresses": customer.addresses.all(), "can_change": can_change, **form_context},
                  status=status)


def _done(request, customer):
    if request.htmx:
        return address_book(request, customer)
    return redirect(reverse("crm:customer_detail", kwargs={"pk": customer.pk}))


@staff_view(permissions.CHANGE_CUSTOMERS)
def address_create(request, pk):
    customer = selectors.customer_get_for_user(user=request.user, pk=pk)
    form = AddressForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            address = services.address_create(customer=customer, acting_user=request.user, fields=form.cleaned_data,
                                              make_default=form.cleaned_data["make_default"])
        except CrmError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Address added: %(address)s.") % {"address": address})
            return _done(request, customer)
    return address_book(request, customer, status=422 if request.method == "POST" else 200, form=form, address=None)


@staff_view(permissions.CHANGE_CUSTOMERS)
def address_edit(request, pk, address_pk):
    customer = selectors.customer_get_for_user(user=request.user, pk=pk)
    address = _address_for(customer, address_pk)
    form = AddressForm(request.POST or None, instance=Address.objects.get(pk=address.pk),
                       initial={"make_default": address.is_default})
    if request.method == "POST" and form.is_valid():
        try:
            services.address_update(address=address, acting_user=request.user, fields=form.cleaned_data,
                                    make_default=form.cleaned_data["make_default"])
        except CrmError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Address saved."))
            return _done(request, customer)
    return address_book(request, customer, status=422 if request.method == "POST" else 200, form=form, address=address)


@require_POST
@staff_view(permissions.CHANGE_CUSTOMERS)
def address_remove(request, pk, address_pk):
    customer = selectors.customer_get_for_user(user=request.user, pk=pk)
    address = _address_for(customer, address_pk)
    try:
        services.address_remove(address=address, acting_user=request.user)
        messages.success(request, _("Address removed."))
    except CrmError as error:
        messages.error(request, str(error))
    return _done(request, customer)


@require_POST
@staff_view(permissions.CHANGE_CUSTOMERS)
def address_reorder(request, pk):
    """htmx from the drag-and-drop: `order` is the comma-separated address ids in their new order."""
    customer = selectors.customer_get_for_user(user=request.user, pk=pk)
    try:
        ordered = [int(value) for value in request.POST.get("order", "").split(",") if value.strip()]
        services.address_reorder(customer=customer, acting_user=request.user, ordered_ids=ordered)
    except (ValueError, CrmError) as error:
        messages.error(request, str(error) if isinstance(error, CrmError) else _("The new order could not be read."))
        return address_book(request, customer, status=409)
    return address_book(request, customer)
