"""The business sector reference list: the seeded UK sectors plus the tenant's own."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import staff_view
from crm import permissions
from crm.models import Sector
from crm.services.sectors import sector_create


class SectorForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("New sector"), max_length=120)

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if Sector.objects.filter(name__iexact=name).exists():
            raise forms.ValidationError(_("“%(name)s” is already in the list.") % {"name": name})
        return name


@staff_view(permissions.MANAGE_SECTORS)
def sector_list(request):
    form = SectorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        sector = sector_create(name=form.cleaned_data["name"], acting_user=request.user)
        messages.success(request, _("“%(name)s” was added to the sectors.") % {"name": sector.name})
        return redirect("crm:sector_list")
    sectors = Sector.objects.annotate(customer_count=Count("customers", filter=Q(customers__archived_at__isnull=True)))
    return render(request, "crm/sector_list.html", {"form": form, "sectors": sectors},
                  status=422 if request.method == "POST" else 200)
