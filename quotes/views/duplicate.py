"""Duplicating a quote: a new draft with a copy of the lines, for the same customer or another one."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.access import staff_view
from crm.selectors import customer_get_for_user, customer_pick
from quotes import permissions
from quotes.errors import QuotesError
from quotes.services import quotes as services
from quotes.views.documents import quote_get


@staff_view(permissions.CHANGE_QUOTES)
def quote_duplicate(request, pk):
    source = quote_get(pk=pk)
    customer_id = request.GET.get("customer") or request.POST.get("customer")
    if not customer_id or not str(customer_id).isdigit():
        search = request.GET.get("q", "").strip()
        matches = customer_pick(search=search)
        if request.htmx:
            return render(request, "crm/partials/customer_picker.html#customer-matches",
                          {"matches": matches, "q": search, "pick_url": request.path})
        return render(request, "quotes/quote_duplicate.html", {"source": source, "matches": matches, "q": search})
    customer = customer_get_for_user(user=request.user, pk=int(customer_id))
    same_customer = customer.pk == source.customer_id
    if request.method == "POST":
        values = {name: request.POST.get(name, "").strip() for name in ("title", "contact", "site")}
        values["introduction"] = request.POST.get("introduction", "")
    else:
        values = {"title": source.title, "introduction": source.introduction,
                  "contact": str(source.contact_id or "") if same_customer else "",
                  "site": str(source.site_id or "") if same_customer else ""}
        if not values["contact"]:
            primary = customer.contacts.filter(is_primary=True).values_list("pk", flat=True).first()
            values["contact"] = str(primary or "")
    errors = []
    if request.method == "POST":
        if not values["title"]:
            errors.append(_("Give the quote a title."))
        else:
            try:
                copy = services.quote_duplicate(
                    quote=source, acting_user=request.user, customer=customer, title=values["title"],
                    contact=customer.contacts.filter(pk=values["contact"] or 0).first(),
                    site=customer.addresses.filter(pk=values["site"] or 0).first(),
                    introduction=values["introduction"])
            except QuotesError as error:
                errors.append(str(error))
            else:
                messages.success(request, _("%(ref)s is a copy of %(source)s.") % {
                    "ref": copy.reference, "source": source.reference})
                return redirect("quotes:quote_builder", pk=copy.pk)
    return render(request, "quotes/quote_form.html", {
        "customer": customer, "source": source, "contacts": customer.contacts.order_by("-is_primary", "first_name"),
        "sites": customer.addresses.order_by("position"), "errors": errors, "values": values},
        status=422 if errors else 200)
