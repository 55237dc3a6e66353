"""Idempotent start-up: migrate every schema, ensure the system tenant and administrator, run registered seeding."""

from __future__ import annotations

import os
import secrets

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_tenants.utils import get_public_schema_name, schema_context, tenant_context

from core.seeding import run_public_seeders, run_tenant_seeders
from tenants.models import Domain, Plan, Tenant, TenantStatus


class Command(BaseCommand):
    help = "Migrate all schemas, ensure the system tenant and the system administrator, and run seeding."

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        call_command("migrate_schemas", shared=True, interactive=False, verbosity=max(verbosity - 1, 0))
        with schema_context(get_public_schema_name()):
            system = self._system_tenant()
            self._system_admin()
            run_public_seeders()
        call_command("migrate_schemas", tenant=True, interactive=False, verbosity=max(verbosity - 1, 0))
        tenants = Tenant.objects.exclude(schema_name=get_public_schema_name())
        for tenant in tenants:
            with tenant_context(tenant):
                run_tenant_seeders()
        self.stdout.write(self.style.SUCCESS(
            f"bootstrap: system tenant at {system.get_primary_domain().domain}, {tenants.count()} tenant(s) up to date"
        ))

    @transaction.atomic
    def _system_tenant(self) -> Tenant:
        system, _created = Tenant.objects.get_or_create(
            schema_name=get_public_schema_name(),
            defaults={"name": "CCS system", "plan": Plan.ENTERPRISE, "status": TenantStatus.ACTIVE, "timezone": "UTC"},
        )
        Domain.objects.filter(tenant=system, is_primary=True).exclude(domain=settings.BASE_DOMAIN).update(is_primary=False)
        Domain.objects.update_or_create(domain=settings.BASE_DOMAIN, defaults={"tenant": system, "is_primary": True})
        return system

    def _system_admin(self) -> None:
        from accounts.models import User

        email = settings.SYSTEM_ADMIN_EMAIL or ("admin@example.com" if settings.DEBUG else "")
        password = settings.SYSTEM_ADMIN_PASSWORD
        if not email:
            raise CommandError("Set SYSTEM_ADMIN_EMAIL and SYSTEM_ADMIN_PASSWORD (no credentials live in code).")
        existing = User.objects.filter(email__iexact=email).first()
        if existing:
            if password and not existing.check_password(password):
                existing.set_password(password)
                existing.save(update_fields=["password"])
                self.stdout.write("bootstrap: system administrator password updated from SYSTEM_ADMIN_PASSWORD")
            return
        generated = not password
        if generated:
            if not settings.DEBUG:
                raise CommandError("SYSTEM_ADMIN_PASSWORD is required outside DEBUG to create the system administrator.")
            password = self._generated_password()
        User.objects.create_superuser(email=email, password=password, first_name="System", last_name="Administrator")
        if generated:  # only a password we made up is written down; one from the environment stays there
            port = f":{settings.PUBLIC_PORT}" if settings.PUBLIC_PORT else ""
            self._write_private(settings.LOCAL_DIR / "system-admin-credentials.txt",
                                f"System admin (http://{settings.BASE_DOMAIN}{port}/admin/): {email} / {password}\n")
        self.stdout.write(f"bootstrap: system administrator {email} created")

    def _generated_password(self) -> str:
        store = settings.LOCAL_DIR / "system-admin-password"
        if store.exists():
            return store.read_text().strip()
        password = secrets.token_urlsafe(18)
        self._write_private(store, password + "\n")
        self.stdout.write(f"bootstrap: generated the system administrator password (stored 0600 in {store})")
        return password

    @staticmethod
    def _write_private(path, text: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(text)
        os.chmod(path, 0o600)
