"""The tenant's pricing settings page (Managers and Admins)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.access import staff_view
from quotes import permissions
from quotes.forms import PricingSettingsForm
from quotes.services.pricing import SETTINGS_FIELDS, TENANT_FIELDS, pricing_settings_ensure, pricing_settings_update


@staff_view(permissions.CHANGE_PRICING_SETTINGS)
def pricing_settings(request):
    current = pricing_settings_ensure()
    form = PricingSettingsForm(request.POST or None, instance=current,
                               tenant=request.tenant)
    if request.method == "POST" and form.is_valid():
        changes = {field: value for field, value in form.cleaned_data.items()
                   if field in SETTINGS_FIELDS or field in TENANT_FIELDS}
        try:
            pricing_settings_update(acting_user=request.user, changes=changes, tenant=request.tenant)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Pricing settings saved. New quotes use them from now on."))
            return redirect("quotes:pricing_settings")
    return render(request, "quotes/pricing_settings.html", {"form": form},
                  status=422 if request.method == "POST" else 200)
