from django.urls import path

from accounts import api as accounts_api
from crm import api as crm_api

app_name = "api"

urlpatterns = [
    path("auth/token/", accounts_api.TokenObtainView.as_view(), name="token_obtain"),
    path("auth/token/refresh/", accounts_api.TokenRefreshView.as_view(), name="token_refresh"),
    path("me/", accounts_api.MeView.as_view(), name="me"),
    path("customers/", crm_api.CustomerListCreate.as_view(), name="customer_list"),
    path("customers/<int:pk>/", crm_api.CustomerDetail.as_view(), name="customer_detail"),
    path("customers/<int:pk>/archive/", crm_api.CustomerArchive.as_view(), name="customer_archive"),
]
