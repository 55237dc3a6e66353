from django.core.management import call_command
from django.db import connection

from accounts.models import User
from tenants.models import Domain, Tenant


def test_bootstrap_is_idempotent_and_takes_the_admin_from_the_environment(db, settings, tmp_path, capsys):
    # given operator credentials in the environment
    settings.SYSTEM_ADMIN_EMAIL, settings.SYSTEM_ADMIN_PASSWORD = "ops@ccs.example", "an-operator-passw0rd"
    settings.LOCAL_DIR = tmp_path
    connection.set_schema_to_public()
    # when bootstrap runs twice
    call_command("bootstrap", verbosity=0)
    call_command("bootstrap", verbosity=0)
    # then one system tenant on BASE_DOMAIN, one administrator who can sign in, no password written to disk
    connection.set_schema_to_public()
    assert Domain.objects.get(domain="localhost").tenant.schema_name == "public"
    admin = User.objects.get(email="ops@ccs.example")
    assert admin.is_superuser and admin.check_password("an-operator-passw0rd")
    assert not (tmp_path / "system-admin-credentials.txt").exists()
    assert capsys.readouterr().out.count("bootstrap: system tenant at localhost, 2 tenant(s) up to date") == 2
    assert Tenant.objects.count() == 3
