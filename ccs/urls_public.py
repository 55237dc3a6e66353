"""URLs of the system tenant (BASE_DOMAIN itself): landing, self-signup and the operators' admin."""

from django.contrib import admin
from django.urls import include, path

from core.views import favicon

admin.site.site_header = "CCS system administration"
admin.site.site_title = "CCS system"
admin.site.index_title = "Tenants, plans and operators"

urlpatterns = [
    path("favicon.ico", favicon, name="favicon"),
    path("", include("tenants.urls_public")),
    path("admin/", admin.site.urls),
]
