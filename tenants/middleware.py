from django.shortcuts import render
from django.utils.translation import gettext as _

ALWAYS_ALLOWED_PREFIXES = ("/static/",)


class TenantStatusMiddleware:
    """A suspended tenant keeps its data, but its staff see only the "account suspended" page (and cannot sign in)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        tenant = getattr(request, "tenant", None)
        if tenant is not None and tenant.is_suspended and not request.path.startswith(ALWAYS_ALLOWED_PREFIXES):
            if request.path.startswith("/api/"):
                from django.http import JsonResponse

                return JsonResponse({"detail": _("This account is suspended.")}, status=403)
            return render(request, "tenants/suspended.html", {"tenant": tenant}, status=403)
        return self.get_response(request)
