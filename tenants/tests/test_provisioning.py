import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.db import connection
from django_tenants.utils import schema_context, tenant_context

from accounts.models import User
from accounts.roles import ROLE_PERMISSIONS, Role
from tenants.errors import TenantSlugUnavailable
from tenants.models import Plan, Tenant, TenantStatus
from tenants.services import tenant_provision


@pytest.fixture
def on_public(db):
    connection.set_schema_to_public()
    yield
    connection.set_schema_to_public()


def test_provisioning_creates_schema_domain_roles_and_admin(on_public):
    # when
    result = tenant_provision(slug="acme-net", name="Acme Networks", admin_email="Boss@Acme.example",
                              admin_password="a-Long-passw0rd", admin_first_name="Bo", admin_last_name="Ss")
    # then
    tenant = Tenant.objects.get(schema_name="acme-net")
    assert (tenant.plan, tenant.status, tenant.get_primary_domain().domain) == (Plan.TRIAL, TenantStatus.TRIAL, "acme-net.localhost")
    assert tenant.trial_days_left == 30
    assert result.seconds < 10
    with tenant_context(tenant):
        admin = User.objects.get()
        assert (admin.email, admin.role) == ("boss@acme.example", Role.ADMIN)
        assert Group.objects.count() == len(ROLE_PERMISSIONS)
    # and the new schema holds nobody from elsewhere
    with schema_context("test1"):
        assert not User.objects.filter(email="boss@acme.example").exists()


def test_provisioning_without_a_password_emails_an_invitation(on_public, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = tenant_provision(slug="inviteco", name="Invite Co", admin_email="first@invite.example", plan=Plan.BASIC)
    assert result.admin_user_id is None and result.invitation_id is not None
    assert result.tenant.status == TenantStatus.ACTIVE
    assert mail.outbox[-1].to == ["first@invite.example"]
    assert "http://inviteco.localhost/invitation/" in mail.outbox[-1].body


@pytest.mark.parametrize("slug, message", [
    ("admin", "reserved"), ("www", "reserved"), ("Bad_Slug", "lowercase letters"), ("-x", "lowercase letters"),
    ("test1", "already taken"), ("pg_x", "lowercase letters"), ("a", "lowercase letters"),
])
def test_bad_or_taken_slugs_are_refused(on_public, slug, message):
    with pytest.raises(TenantSlugUnavailable, match=message):
        tenant_provision(slug=slug, name="X", admin_email="x@example.com", admin_password="a-Long-passw0rd")
