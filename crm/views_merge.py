"""Merging a duplicate into the customer whose page this is (Managers and Admins)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.access import staff_view
from crm import permissions, selectors
from crm.errors import CrmError
from crm.services.merge import customer_merge


@staff_view(permissions.MERGE_CUSTOMERS)
def customer_merge_view(request, pk):
    survivor = selectors.customer_get_for_user(user=request.user, pk=pk)
    if request.method == "POST":
        duplicate = selectors.customer_get_for_user(user=request.user, pk=request.POST.get("duplicate"))
        try:
            customer_merge(survivor=survivor, duplicate=duplicate, acting_user=request.user)
        except CrmError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("%(duplicate)s was merged into %(survivor)s.")
                             % {"duplicate": duplicate.name, "survivor": survivor.name})
            return redirect("crm:customer_detail", pk=survivor.pk)
    query = request.GET.get("q", "").strip()
    candidates = []
    if query:
        candidates = [customer for customer in selectors.customer_list(filters=selectors.CustomerFilters(search=query))[:11]
                      if customer.pk != survivor.pk][:10]
    suggested = [found.customer for found in selectors.customer_duplicates(
        name=survivor.name, website=survivor.website, registration_number=survivor.registration_number,
        exclude_pk=survivor.pk) if not found.customer.is_archived]
    return render(request, "crm/customer_merge.html",
                  {"customer": survivor, "query": query, "candidates": candidates, "suggested": suggested})
