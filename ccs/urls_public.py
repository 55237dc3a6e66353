"""URLs of the system tenant (BASE_DOMAIN itself): landing, self-signup and the operators' admin."""

from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

admin.site.site_header = "CCS system administration"
admin.site.site_title = "CCS system"
admin.site.index_title = "Tenants, plans and operators"

urlpatterns = [
    path("favicon.ico", RedirectView.as_view(url=static("ccs/favicon.svg"), permanent=True), name="favicon"),
    path("", include("tenants.urls_public")),
    path("admin/", admin.site.urls),
]
