import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client

from accounts.models import User
from core.models import Event
from tenants.models import Tenant, TenantStatus


@pytest.fixture
def operator(db):
    connection.set_schema_to_public()
    user = User.objects.create_superuser(email="ops@ccs.example", password="an-operator-passw0rd")
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    yield client
    connection.set_schema_to_public()


def test_operators_list_and_search_tenants(operator):
    response = operator.get("/admin/tenants/tenant/", {"q": "test2"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Test company 2" in html and "Test company 1" not in html


def test_operators_suspend_and_reactivate(operator):
    tenant = Tenant.objects.get(schema_name="test2")
    operator.post("/admin/tenants/tenant/", {"action": "suspend_selected", "_selected_action": [tenant.pk]})
    assert Tenant.objects.get(pk=tenant.pk).status == TenantStatus.SUSPENDED
    assert Event.objects.filter(kind="tenant.suspended", subject_id=str(tenant.pk)).count() == 1
    operator.post("/admin/tenants/tenant/", {"action": "reactivate_selected", "_selected_action": [tenant.pk]})
    assert Tenant.objects.get(pk=tenant.pk).status == TenantStatus.ACTIVE


def test_operators_create_a_tenant_whose_admin_is_invited(operator, django_capture_on_commit_callbacks):
    from django.core import mail

    with django_capture_on_commit_callbacks(execute=True):
        response = operator.post("/admin/tenants/tenant/add/", {
            "name": "Northwind Comms", "schema_name": "northwind", "plan": "professional",
            "admin_email": "it@northwind.example", "admin_first_name": "Nora", "admin_last_name": "North",
        })
    assert response.status_code == 302, response.content.decode()[:2000]
    tenant = Tenant.objects.get(schema_name="northwind")
    assert (tenant.status, tenant.plan) == (TenantStatus.ACTIVE, "professional")
    assert mail.outbox[-1].to == ["it@northwind.example"]


def test_tenant_users_cannot_reach_the_operator_admin(admin_client1):
    assert admin_client1.get("/admin/").status_code == 404


def test_create_tenant_command(db, capsys):
    connection.set_schema_to_public()
    call_command("create_tenant", slug="cmdco", name="Cmd Co", admin_email="a@cmd.example", admin_password="a-Long-passw0rd")
    assert "Tenant cmdco provisioned in" in capsys.readouterr().out
    assert Tenant.objects.get(schema_name="cmdco").get_primary_domain().domain == "cmdco.localhost"
