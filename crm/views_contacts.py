"""Contacts on the customer page: listed in a lazily loaded tab, added, edited and removed in place (htmx)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import staff_view
from crm import permissions, selectors
from crm.errors import CrmError
from crm.forms import ContactForm, EmailFormSet, PhoneFormSet
from crm.models import Contact
from crm.services import contacts as services


def _contact_for(customer, pk) -> Contact:
    return selectors.object_get_or_404(customer.contacts.all(), pk)


def _section(request, customer, status=200, **form_context):
    """Every contacts response is the whole panel (with the form in its slot when one is open)."""
    contacts = customer.contacts.prefetch_related("emails", "phones")
    can_change = request.user.has_perm(permissions.CHANGE_CUSTOMERS) and not customer.is_archived
    return render(request, "crm/contacts.html#contacts-panel",
                  {"customer": customer, "contacts": contacts, "can_change": can_change, **form_context}, status=status)


@staff_view(permissions.VIEW_CUSTOMERS)
def contact_list(request, pk):
    customer = selectors.customer_get_for_user(user=request.user, pk=pk)
    if not request.htmx:
        return redirect(f"{customer_url(customer)}#contacts")
    return _section(request, customer)


def customer_url(customer) -> str:
    from django.urls import reverse

    return reverse("crm:customer_detail", kwargs={"pk": customer.pk})


def _forms(request, contact=None):
    data = request.POST if request.method == "POST" else None
    initial_emails = [{"address": e.address, "kind": e.kind, "is_primary": e.is_primary} for e in contact.emails.all()] if contact else []
    initial_phones = [{"number": p.number, "kind": p.kind, "is_primary": p.is_primary} for p in contact.phones.all()] if contact else []
    form = ContactForm(data, instance=Contact.objects.get(pk=contact.pk) if contact else None,
                       initial={"make_primary": contact.is_primary} if contact else None)
    return form, EmailFormSet(data, prefix="emails", initial=initial_emails), PhoneFormSet(data, prefix="phones", initial=initial_phones)


def _rows(formset, value_field):
    return [row.cleaned_data for row in formset if row.cleaned_data.get(value_field)]


def _form_response(request, customer, contact, forms_, status):
    form, emails, phones = forms_
    if not request.htmx:
        return render(request, "crm/contact_page.html", {"customer": customer, "contact": contact, "form": form,
                                                         "emails": emails, "phones": phones}, status=status)
    return _section(request, customer, status=status, contact=contact, form=form, emails=emails, phones=phones)


@staff_view(permissions.CHANGE_CUSTOMERS)
def contact_create(request, pk):
    customer = selectors.customer_get_for_user(user=request.user, pk=pk)
    forms_ = _forms(request)
    form, emails, phones = forms_
    if request.method == "POST" and form.is_valid() and emails.is_valid() and phones.is_valid():
        try:
            contact = services.contact_create(customer=customer, acting_user=request.user, fields=form.cleaned_data,
                                              emails=_rows(emails, "address"), phones=_rows(phones, "number"),
                                              make_primary=form.cleaned_data["make_primary"])
        except CrmError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("%(name)s was added.") % {"name": contact.full_name})
            return _section(request, customer) if request.htmx else redirect(customer_url(customer))
    return _form_response(request, customer, None, forms_, 422 if request.method == "POST" else 200)


@staff_view(permissions.CHANGE_CUSTOMERS)
def contact_edit(request, pk, contact_pk):
    customer = selectors.customer_get_for_user(user=request.user, pk=pk)
    contact = _contact_for(customer, contact_pk)
    forms_ = _forms(request, contact)
    form, emails, phones = forms_
    if request.method == "POST" and form.is_valid() and emails.is_valid() and phones.is_valid():
        try:
            services.contact_update(contact=contact, acting_user=request.user, fields=form.cleaned_data,
                                    emails=_rows(emails, "address"), phones=_rows(phones, "number"),
                                    make_primary=form.cleaned_data["make_primary"])
        except CrmError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("%(name)s was saved.") % {"name": contact.full_name})
            return _section(request, customer) if request.htmx else redirect(customer_url(customer))
    return _form_response(request, customer, contact, forms_, 422 if request.method == "POST" else 200)


@require_POST
@staff_view(permissions.CHANGE_CUSTOMERS)
def contact_primary(request, pk, contact_pk):
    customer = selectors.customer_get_for_user(user=request.user, pk=pk)
    contact = _contact_for(customer, contact_pk)
    try:
        services.contact_make_primary(contact=contact, acting_user=request.user)
        messages.success(request, _("%(name)s is now the primary contact.") % {"name": contact.full_name})
    except CrmError as error:
        messages.error(request, str(error))
    return _section(request, customer) if request.htmx else redirect(customer_url(customer))


@require_POST
@staff_view(permissions.CHANGE_CUSTOMERS)
def contact_remove(request, pk, contact_pk):
    customer = selectors.customer_get_for_user(user=request.user, pk=pk)
    contact = _contact_for(customer, contact_pk)
    try:
        services.contact_remove(contact=contact, acting_user=request.user)
        messages.success(request, _("%(name)s was removed.") % {"name": contact.full_name})
    except CrmError as error:
        messages.error(request, str(error))
    return _section(request, customer) if request.htmx else redirect(customer_url(customer))
