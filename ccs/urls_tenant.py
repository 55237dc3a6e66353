"""URLs of every tenant host (<slug>.BASE_DOMAIN). The cross-tenant harness walks all of them."""

from django.urls import include, path

from core.views import favicon
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("favicon.ico", favicon, name="favicon"),
    path("", include("core.urls")),
    path("", include("accounts.urls")),
    path("", include("tenants.urls")),
    path("", include("crm.urls")),
    path("", include("helpdesk.urls")),
    path("", include("quotes.urls")),
    path("", include("portal.urls")),
    path("", include("ai_prompts.urls")),
    path("api/v1/", include("ccs.urls_api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api_schema"), name="api_docs"),
]
