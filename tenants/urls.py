from django.urls import path

from tenants import views

app_name = "tenants"

urlpatterns = [
    path("settings/", views.company_settings, name="settings"),
    path("branding/logo/", views.branding_logo, name="logo"),
]
