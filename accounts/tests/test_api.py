from accounts.roles import Role

TOKEN = "/api/v1/auth/token/"
REFRESH = "/api/v1/auth/token/refresh/"
ME = "/api/v1/me/"
PASSWORD = "correct-horse-battery-staple"


def _pair(client, email):
    response = client.post(TOKEN, {"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.content
    return response.json()


def test_token_pair_gives_access_to_me(anon_client1, make_user):
    make_user(role=Role.SALES, email="api@example.com", first_name="Api", last_name="User")
    pair = _pair(anon_client1, "api@example.com")
    response = anon_client1.get(ME, HTTP_AUTHORIZATION=f"Bearer {pair['access']}")
    body = response.json()
    assert response.status_code == 200
    assert (body["email"], body["role"], body["tenant"]) == ("api@example.com", "Sales", {"slug": "test1", "name": "Test company 1"})
    assert body["permissions"] == ["ai_prompts.use_ai", "core.view_dashboard", "crm.change_customers", "crm.export_customers", "crm.view_customers",
                                   "helpdesk.view_contracts", "helpdesk.view_tickets", "helpdesk.work_tickets",
                                   "portal.manage_portal_access", "quotes.change_catalogue", "quotes.change_quotes", "quotes.view_catalogue",
                                   "quotes.view_quotes"]


def test_wrong_password_is_401_and_repeated_failures_are_throttled(anon_client1, make_user, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    make_user(role=Role.SALES, email="api2@example.com")
    assert anon_client1.post(TOKEN, {"email": "api2@example.com", "password": "nope"}).status_code == 401
    assert anon_client1.post(TOKEN, {"email": "api2@example.com", "password": "nope"}).status_code == 401
    response = anon_client1.post(TOKEN, {"email": "api2@example.com", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.json()["detail"]


def test_refresh_rotates_and_a_reused_refresh_token_revokes_the_family(anon_client1, make_user):
    make_user(role=Role.SALES, email="rot@example.com")
    first = _pair(anon_client1, "rot@example.com")
    # when the refresh token is used once
    second = anon_client1.post(REFRESH, {"refresh": first["refresh"]}).json()
    assert set(second) == {"access", "refresh"} and second["refresh"] != first["refresh"]
    # then using the old one again is refused ...
    reuse = anon_client1.post(REFRESH, {"refresh": first["refresh"]})
    assert reuse.status_code == 401
    # ... and the token issued from it is revoked too: whoever replayed it gets nothing
    assert anon_client1.post(REFRESH, {"refresh": second["refresh"]}).status_code == 401


def test_a_token_from_another_tenant_is_refused(anon_client1, tenant2, in_tenant, make_user, client_for):
    # given a user and token in test2 whose id may exist in test1 too
    with in_tenant(tenant2):
        make_user(role=Role.ADMIN, email="other@example.com")
        pair = _pair(client_for(host="test2.localhost"), "other@example.com")
    # when presented on test1
    me = anon_client1.get(ME, HTTP_AUTHORIZATION=f"Bearer {pair['access']}")
    refresh = anon_client1.post(REFRESH, {"refresh": pair["refresh"]})
    # then
    assert me.status_code == 401
    assert refresh.status_code == 401


def test_browser_session_works_for_the_api(admin_client1):
    assert admin_client1.get(ME).json()["email"] == "admin@test1.example.com"


def test_openapi_schema_lists_the_endpoints(anon_client1):
    response = anon_client1.get("/api/schema/", HTTP_ACCEPT="application/json")
    paths = response.json()["paths"] if response["Content-Type"].startswith("application/json") else None
    if paths is None:
        import yaml

        paths = yaml.safe_load(response.content)["paths"]
    assert {"/api/v1/auth/token/", "/api/v1/auth/token/refresh/", "/api/v1/me/"} <= set(paths)


def test_swagger_docs_are_served_without_a_cdn(anon_client1):
    html = anon_client1.get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    assert "cdn" not in html.lower()


def test_the_openapi_schema_is_valid_and_warning_free(db):
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")
