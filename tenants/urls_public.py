from django.urls import path

from tenants import views

app_name = "public"

urlpatterns = [
    path("", views.landing, name="landing"),
    path("signup/", views.signup, name="signup"),
    path("signup/check-slug/", views.signup_slug_check, name="signup_slug_check"),
]
