"""Test fixtures shared by every app: one test database with tenants `test1` and `test2`, built once.

The database is created and migrated only when the migration files changed (their fingerprint is stored in
`COMMENT ON DATABASE`); otherwise the existing one is reused, which saves the ~10 s of schema migrations per run.
Each test runs inside pytest-django's rollback transaction with the connection switched to a tenant schema.
Sequences of `test2` start at 1,000,000 so an id created there never exists in `test1`: a 404 in the
cross-tenant harness then proves isolation rather than a missing row.
"""

from __future__ import annotations

import hashlib
import itertools
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent
SETUP_VERSION = "4"  # bump to force a rebuild when the fixture data below changes
TEST_TENANTS = ("test1", "test2")


def _fingerprint() -> str:
    digest = hashlib.sha256(SETUP_VERSION.encode())
    for path in sorted(ROOT.glob("*/migrations/*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    # ... and the shipped AI prompts, which the build seeds into the public schema
    for path in sorted(ROOT.glob("*/permissions.py")) + [ROOT / "accounts" / "roles.py"] + sorted(
            ROOT.glob("ai_prompts/defaults/*.toml")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _stored_fingerprint(connection_params: dict, test_name: str) -> str | None:
    import psycopg

    params = {k: v for k, v in connection_params.items() if v}
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", (test_name,)
        ).fetchone()
    return row[0] if row else None


@pytest.fixture(scope="session")
def django_db_setup(django_test_environment, django_db_blocker):
    from django.conf import settings
    from django.db import connection

    database = settings.DATABASES["default"]
    test_name = database["TEST"]["NAME"] or f"test_{database['NAME']}"
    params = {"host": database["HOST"], "port": database["PORT"], "user": database["USER"], "password": database["PASSWORD"]}
    fingerprint = _fingerprint()
    with django_db_blocker.unblock():
        if _stored_fingerprint(params, test_name) == fingerprint:
            connection.close()
            settings.DATABASES["default"]["NAME"] = test_name
            connection.settings_dict["NAME"] = test_name
        else:
            _build_test_database(test_name, fingerprint)
    yield


def _build_test_database(test_name: str, fingerprint: str) -> None:
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_databases
    from django_tenants.utils import tenant_context

    from core.seeding import run_public_seeders, run_tenant_seeders
    from tenants.models import Domain, Plan, Tenant, TenantStatus

    settings.DATABASES["default"]["TEST"]["NAME"] = test_name
    setup_databases(verbosity=0, interactive=False, keepdb=False)
    connection.set_schema_to_public()
    public = Tenant.objects.create(schema_name="public", name="CCS system", plan=Plan.ENTERPRISE, status=TenantStatus.ACTIVE)
    Domain.objects.create(domain=settings.BASE_DOMAIN, tenant=public, is_primary=True)
    run_public_seeders()
    for slug in TEST_TENANTS:
        tenant = Tenant(schema_name=slug, name=f"Test company {slug[-1]}", plan=Plan.PROFESSIONAL, status=TenantStatus.ACTIVE)
        tenant.save(verbosity=0)
        Domain.objects.create(domain=f"{slug}.{settings.BASE_DOMAIN}", tenant=tenant, is_primary=True)
        with tenant_context(tenant):
            run_tenant_seeders()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT format('%%I.%%I', sequence_schema, sequence_name) FROM information_schema.sequences "
            "WHERE sequence_schema = 'test2'"
        )
        for (sequence,) in cursor.fetchall():
            cursor.execute("SELECT setval(%s, 1000000)", [sequence])
        cursor.execute(f'COMMENT ON DATABASE "{test_name}" IS %s', [fingerprint])
    connection.set_schema_to_public()


@pytest.fixture(autouse=True)
def _fresh_permission_cache():
    """A fresh key space for cached permission sets in every test: a test's transaction is rolled back, so the
    on-commit deletes that keep the cache true in production never run, and a set cached from a test's own changes
    must not reach the next test."""
    from accounts import permission_cache

    previous = permission_cache.namespace
    permission_cache.namespace = f"perms-t{next(_permission_cache_tests)}"
    yield
    permission_cache.namespace = previous


_permission_cache_tests = itertools.count()


@pytest.fixture(autouse=True)
def _fresh_prompt_cache():
    """Resolved AI prompts are cached in Redis and a test's edits are rolled back: a fresh key space per test."""
    from ai_prompts.services import prompts

    previous = prompts.namespace
    prompts.namespace = f"ai-prompt-t{next(_permission_cache_tests)}"
    yield
    prompts.namespace = previous


@pytest.fixture
def fake_openai():
    """A local OpenAI-compatible server (ai_prompts/fake_openai.py): script answers, read the recorded requests."""
    from ai_prompts.fake_openai import FakeOpenAI

    server = FakeOpenAI().start()
    yield server
    server.stop()


# Tenants --------------------------------------------------------------------------------------------------------

def _activate(schema: str):
    from django.db import connection

    from tenants.models import Tenant

    connection.set_schema_to_public()
    tenant = Tenant.objects.get(schema_name=schema)
    connection.set_tenant(tenant)
    return tenant


@pytest.fixture
def tenant1(db):
    """The connection is on schema `test1` for the whole test (requests to test1.localhost keep it there)."""
    from django.db import connection

    tenant = _activate("test1")
    yield tenant
    connection.set_schema_to_public()


@pytest.fixture
def tenant2(db):
    from tenants.models import Tenant

    return Tenant.objects.get(schema_name="test2")


@pytest.fixture
def in_tenant():
    """Switch the connection to a tenant for the block: `with in_tenant(tenant2): ...` (back to the caller's after)."""
    from contextlib import contextmanager

    from django.db import connection

    @contextmanager
    def switch(tenant):
        previous = connection.tenant
        connection.set_tenant(tenant)
        try:
            yield tenant
        finally:
            connection.set_tenant(previous)

    return switch


# Users and clients ----------------------------------------------------------------------------------------------

@pytest.fixture
def make_user(db):
    from accounts.roles import Role
    from tests.factories import UserFactory

    def make(role: str = Role.ADMIN, **fields):
        return UserFactory(role=role, **fields)

    return make


@pytest.fixture
def admin_user(tenant1, make_user):
    return make_user(email="admin@test1.example.com", first_name="Ada", last_name="Admin")


def _client_for(host: str, user=None):
    from django.test import Client

    client = Client(HTTP_HOST=host)
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def client_for():
    """`client_for(user)` -> a test client signed in as `user` on test1.localhost (or `host=`)."""

    def make(user=None, host: str = "test1.localhost"):
        return _client_for(host, user)

    return make


@pytest.fixture
def admin_client1(admin_user):
    return _client_for("test1.localhost", admin_user)


@pytest.fixture
def anon_client1(tenant1):
    return _client_for("test1.localhost")


@pytest.fixture
def public_client(db):
    return _client_for("localhost")


# Query counts ---------------------------------------------------------------------------------------------------

@pytest.fixture
def assert_queries():
    """`with assert_queries(7): client.get(...)` — the exact number of SQL statements, not counting the
    `SET search_path` that django-tenants issues before each one (it doubles every figure and says nothing)."""
    from contextlib import contextmanager

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    @contextmanager
    def check(expected: int):
        with CaptureQueriesContext(connection) as context:
            yield context
        statements = [q["sql"] for q in context.captured_queries if not q["sql"].startswith("SET search_path")]
        assert len(statements) == expected, f"expected {expected} queries, got {len(statements)}:\n" + "\n".join(statements)

    return check
