"""The staff side of the portal: the Portal access panel of a customer page (who has access, what they see),
inviting a contact, changing their access, sending a fresh invitation and revoking access."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import staff_view
from crm.permissions import VIEW_CUSTOMERS
from crm.selectors import customer_get_for_user
from portal import permissions, selectors, services
from portal.errors import PortalError
from portal.forms import AccessForm
from portal.models import PortalAccess


def _base_url(request) -> str:
    return f"{request.scheme}://{request.get_host()}"


def _panel(request, customer, *, forms=None, status=200):
    from django.core.paginator import Paginator

    page = Paginator(selectors.access_list_for_customer(customer=customer), 25).get_page(request.GET.get("page"))
    forms = forms or {}
    rows = []
    for contact in page:
        access = getattr(contact, "portal_access", None)
        live = access is not None and access.is_live
        initial = ({"email": access.email, "can_see_quotes": access.can_see_quotes,
                    "can_see_tickets": access.can_see_tickets, "can_see_contracts": access.can_see_contracts,
                    "scope": access.scope} if access is not None else {})
        form = forms.get(contact.pk) or AccessForm(contact=contact, inviting=not live, initial=initial)
        rows.append({"contact": contact, "access": access, "live": live, "form": form})
    return render(request, "portal/staff/customer_portal.html", {
        "customer": customer, "rows": rows, "page": page,
        "can_manage": request.user.has_perm(permissions.MANAGE_PORTAL_ACCESS),
        "portal_url": _base_url(request) + reverse("portal:sign_in")}, status=status)


@staff_view(VIEW_CUSTOMERS)
def customer_portal_tab(request, pk):
    """The Portal access tab of the customer page (loaded when the tab is opened)."""
    customer = customer_get_for_user(user=request.user, pk=pk)
    if not request.htmx:
        return redirect(reverse("crm:customer_detail", kwargs={"pk": customer.pk}) + "#portal")
    return _panel(request, customer)


def _done(request, contact, *, form=None, status=200):
    if request.htmx:
        return _panel(request, contact.customer, forms={contact.pk: form} if form else None, status=status)
    return redirect(reverse("crm:customer_detail", kwargs={"pk": contact.customer_id}) + "#portal")


@require_POST
@staff_view(permissions.MANAGE_PORTAL_ACCESS)
def contact_portal_invite(request, pk):
    contact = selectors.contact_get_for_staff(user=request.user, pk=pk)
    form = AccessForm(request.POST, contact=contact, inviting=True)
    if not form.is_valid():
        messages.error(request, _("Choose the email address they sign in with."))
        return _done(request, contact, form=form, status=422)
    try:
        access = services.access_invite(contact=contact, acting_user=request.user, base_url=_base_url(request),
                                        **form.cleaned_data)
    except PortalError as error:
        messages.error(request, str(error))
        return _done(request, contact, form=form, status=409)
    messages.success(request, _("Portal invitation sent to %(email)s.") % {"email": access.email})
    return _done(request, contact)


def _access(contact) -> PortalAccess:
    from django.http import Http404

    access = PortalAccess.objects.filter(contact=contact).select_related("contact").first()
    if access is None:
        raise Http404
    return access


@require_POST
@staff_view(permissions.MANAGE_PORTAL_ACCESS)
def contact_portal_update(request, pk):
    contact = selectors.contact_get_for_staff(user=request.user, pk=pk)
    access = _access(contact)
    form = AccessForm(request.POST, contact=contact, inviting=False)
    if not form.is_valid():
        return _done(request, contact, form=form, status=422)
    try:
        services.access_update(access=access, acting_user=request.user,
                               **{k: v for k, v in form.cleaned_data.items() if k != "email"})
    except PortalError as error:
        messages.error(request, str(error))
        return _done(request, contact, form=form, status=409)
    messages.success(request, _("%(name)s's portal access was saved.") % {"name": contact.full_name})
    return _done(request, contact)


@require_POST
@staff_view(permissions.MANAGE_PORTAL_ACCESS)
def contact_portal_resend(request, pk):
    contact = selectors.contact_get_for_staff(user=request.user, pk=pk)
    try:
        access = services.access_resend(access=_access(contact), acting_user=request.user, base_url=_base_url(request))
    except PortalError as error:
        messages.error(request, str(error))
        return _done(request, contact, status=409)
    messages.success(request, _("A new invitation link was sent to %(email)s.") % {"email": access.email})
    return _done(request, contact)


@require_POST
@staff_view(permissions.MANAGE_PORTAL_ACCESS)
def contact_portal_revoke(request, pk):
    contact = selectors.contact_get_for_staff(user=request.user, pk=pk)
    services.access_revoke(access=_access(contact), acting_user=request.user)
    messages.success(request, _("%(name)s can no longer use the portal; their open sessions have ended.") % {
        "name": contact.full_name})
    return _done(request, contact)


@staff_view("quotes.view_quotes")
def quote_portal_answer(request, pk):
    """The customer's answer given in the portal, with its evidence, for the staff quote page (loaded by htmx, and
    again when the quote changes live)."""
    from django.http import Http404

    from portal.models import QuoteResponse
    from quotes.models import Quote

    quote = Quote.objects.filter(pk=pk).first()
    if quote is None:
        raise Http404
    answer = QuoteResponse.objects.filter(quote=quote).select_related("contact").first()
    return render(request, "portal/staff/quote_answer.html", {"quote": quote, "answer": answer})
