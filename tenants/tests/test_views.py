from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from accounts.roles import Role
from core.models import Event
from tenants.models import Tenant, TenantStatus
from tests.images import png_bytes

SIGNUP = {
    "company_name": "Brightwire Ltd", "slug": "brightwire", "first_name": "Bea", "last_name": "Wire",
    "email": "Bea@Brightwire.example", "password": "a-Long-passw0rd",
}


def test_signup_creates_a_trial_tenant_and_sends_its_admin_to_sign_in(public_client):
    # when
    response = public_client.post("/signup/", SIGNUP)
    # then
    assert response.status_code == 302
    assert response["Location"] == "http://brightwire.localhost/accounts/sign-in/?email=bea%40brightwire.example&welcome=1"
    connection.set_schema_to_public()
    tenant = Tenant.objects.get(schema_name="brightwire")
    assert (tenant.name, tenant.status) == ("Brightwire Ltd", TenantStatus.TRIAL)


def test_signup_keeps_what_was_typed_and_says_what_is_wrong(public_client):
    response = public_client.post("/signup/", {**SIGNUP, "slug": "admin", "password": "short"})
    html = response.content.decode()
    assert response.status_code == 422
    assert "“admin” is reserved. Please choose another." in html
    assert "This password is too short." in html
    assert 'value="Brightwire Ltd"' in html and 'value="bea@brightwire.example"' in html.lower()


def test_slug_check_answers_live(public_client):
    free = public_client.get("/signup/check-slug/", {"slug": "newco"}).content.decode()
    taken = public_client.get("/signup/check-slug/", {"slug": "test1"}).content.decode()
    assert 'data-testid="slug-free"' in free and "newco is available." in free
    assert 'data-testid="slug-taken"' in taken and "“test1” is already taken." in taken


def test_a_suspended_tenant_shows_the_suspended_page_and_refuses_sign_in(tenant1, make_user, client_for):
    user = make_user(role=Role.ADMIN, email="s@example.com")
    tenant1.status = TenantStatus.SUSPENDED
    tenant1.save(update_fields=["status"])
    anonymous = client_for()
    page = anonymous.get("/accounts/sign-in/")
    assert page.status_code == 403
    assert "This account is suspended" in page.content.decode()
    attempt = anonymous.post("/accounts/sign-in/", {"email": "s@example.com", "password": "correct-horse-battery-staple"})
    assert attempt.status_code == 403 and "_auth_user_id" not in anonymous.session
    assert client_for(user).get("/").status_code == 403
    assert client_for(user).get("/api/v1/me/").json() == {"detail": "This account is suspended."}


def test_company_settings_save_and_tick_the_checklist(admin_client1, tenant1):
    data = {
        "name": "Test company 1", "description": "We install networks.", "products_and_services": "Cabling",
        "unique_selling_points": "", "target_markets": "Schools", "primary_colour": "#112233",
        "timezone": "Europe/London", "currency": "GBP", "default_tax_rate": "20.00",
        "logo_upload": SimpleUploadedFile("logo.png", png_bytes(), content_type="image/png"),
    }
    response = admin_client1.post("/settings/", data)
    assert response.status_code == 302
    tenant = Tenant.objects.get(pk=tenant1.pk)
    assert (tenant.description, tenant.primary_colour) == ("We install networks.", "#112233")
    assert tenant.logo.name.startswith("test1/branding/logo-")
    assert Event.objects.get(kind="tenant.settings_changed").data["fields"] == [
        "description", "primary_colour", "products_and_services", "target_markets", "logo"]
    logo = admin_client1.get("/branding/logo/")
    assert logo.status_code == 200 and logo["Content-Type"] == "image/png"
    assert b"".join(logo.streaming_content) == png_bytes()
    dashboard = admin_client1.get("/").content.decode()
    assert 'data-testid="checklist-profile" data-done="true"' in dashboard
    assert 'data-testid="checklist-branding" data-done="true"' in dashboard
    assert 'data-testid="checklist-team" data-done="false"' in dashboard


def test_a_file_that_is_not_an_image_is_refused_and_nothing_typed_is_lost(admin_client1, tenant1):
    data = {
        "name": "Renamed Co", "description": "Kept text", "products_and_services": "", "unique_selling_points": "",
        "target_markets": "", "primary_colour": "#112233", "timezone": "Europe/London", "currency": "GBP",
        "default_tax_rate": "20.00",
        "logo_upload": SimpleUploadedFile("logo.png", b"<svg onload=alert(1)>", content_type="image/png"),
    }
    response = admin_client1.post("/settings/", data)
    html = response.content.decode()
    assert response.status_code == 422
    assert "This file is not a PNG, JPEG or WebP image." in html
    assert "Kept text" in html and 'value="Renamed Co"' in html
    assert Tenant.objects.get(pk=tenant1.pk).name == "Test company 1"


def test_the_dashboard_query_count_is_pinned(admin_client1, assert_queries):
    with assert_queries(10):  # 9th: MRR/ARR of the support contracts in force; 10th: the portal rating average
        assert admin_client1.get("/").status_code == 200
