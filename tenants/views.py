"""Public pages of the system tenant (landing, self-signup) and the tenant's own settings pages."""

from __future__ import annotations

from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.access import staff_view
from tenants import permissions
from tenants.branding import logo_content_type
from tenants.errors import TenantError
from tenants.forms import CompanySettingsForm, SignupForm
from tenants.models import Tenant
from tenants.selectors import tenant_slug_problem
from tenants.services import tenant_base_url, tenant_provision, tenant_settings_update


def landing(request):
    return render(request, "tenants/landing.html")


@never_cache
def signup(request):
    from django.conf import settings

    form = SignupForm(request.POST or None, base_domain=settings.BASE_DOMAIN)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = tenant_provision(
                slug=data["slug"], name=data["company_name"], admin_email=data["email"],
                admin_password=data["password"], admin_first_name=data["first_name"], admin_last_name=data["last_name"],
            )
        except TenantError as error:
            form.add_error("slug", str(error))
        else:
            port = request.get_port()
            base = tenant_base_url(result.tenant)
            if port not in ("80", "443") and f":{port}" not in base:
                base = f"{request.scheme}://{result.tenant.get_primary_domain().domain}:{port}"
            from urllib.parse import urlencode

            return HttpResponseRedirect(f"{base}/accounts/sign-in/?{urlencode({'email': data['email'], 'welcome': 1})}")
    return render(request, "tenants/signup.html", {"form": form, "base_domain": settings.BASE_DOMAIN},
                  status=422 if request.method == "POST" else 200)


@require_GET
def signup_slug_check(request):
    """htmx: live availability of the slug typed so far."""
    slug = request.GET.get("slug", "").strip().lower()
    problem = tenant_slug_problem(slug) if slug else None
    return render(request, "tenants/signup.html#slug-status", {"slug": slug, "problem": problem})


@staff_view(permissions.CHANGE_SETTINGS)
def company_settings(request):
    tenant = request.tenant
    editable = Tenant.objects.get(pk=tenant.pk)  # the form works on a copy; the service compares with the original
    form = CompanySettingsForm(request.POST or None, request.FILES or None, instance=editable)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        tenant_settings_update(
            tenant=tenant, acting_user=request.user,
            changes={field: data[field] for field in CompanySettingsForm.Meta.fields},
            logo=data.get("logo_upload"), remove_logo=data.get("remove_logo", False),
        )
        messages.success(request, _("Company settings saved."))
        return HttpResponseRedirect(request.path)
    return render(request, "tenants/company_settings.html", {"form": form},
                  status=422 if request.method == "POST" else 200)


@staff_view()
def branding_logo(request):
    """The tenant's logo, served from inside its own host only (never a shared public media URL)."""
    logo = request.tenant.logo
    if not logo or not logo.name.startswith(f"{request.tenant.schema_name}/") or not default_storage.exists(logo.name):
        raise Http404
    response = FileResponse(default_storage.open(logo.name, "rb"), content_type=logo_content_type(logo.name))
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Security-Policy"] = "default-src 'none'"
    return response
