"""The demo tenant `demo` with one user per role, for `make run`. Idempotent; prints the credentials."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django_tenants.utils import tenant_context

from accounts.roles import Role
from tenants.management.commands.bootstrap import Command as BootstrapCommand
from tenants.models import Plan, Tenant

DEMO_SLUG = "demo"
DEMO_USERS = [
    ("admin@demo.example.com", "Alex", "Admin", Role.ADMIN),
    ("manager@demo.example.com", "Morgan", "Manager", Role.MANAGER),
    ("sales@demo.example.com", "Sam", "Sales", Role.SALES),
    ("support@demo.example.com", "Jordan", "Support", Role.SUPPORT),
    ("viewer@demo.example.com", "Riley", "Viewer", Role.READ_ONLY),
]


class Command(BaseCommand):
    help = "Create (or complete) the demo tenant with one user per role."

    def handle(self, *args, **options):
        from accounts.models import User
        from accounts.services import user_create
        from tenants.services import tenant_provision

        password = self._password()
        tenant = Tenant.objects.filter(schema_name=DEMO_SLUG).first()
        if tenant is None:
            admin_email, first, last, _role = DEMO_USERS[0]
            result = tenant_provision(slug=DEMO_SLUG, name="Demo Cabling Ltd", plan=Plan.PROFESSIONAL,
                                      admin_email=admin_email, admin_password=password,
                                      admin_first_name=first, admin_last_name=last)
            tenant = result.tenant
            if options["verbosity"]:
                self.stdout.write(f"seed_demo: demo tenant provisioned in {result.seconds:.2f} s")
        with tenant_context(tenant), transaction.atomic():
            for email, first, last, role in DEMO_USERS:
                if not User.objects.filter(email__iexact=email).exists():
                    user_create(email=email, password=password, first_name=first, last_name=last, role=role)
            from crm.demo import crm_demo_seed

            crm_demo_seed(users=list(User.objects.filter(email__in=[DEMO_USERS[i][0] for i in (0, 1, 2)])))
            from quotes.demo import quotes_demo_seed

            quotes_demo_seed(acting_user=User.objects.get(email=DEMO_USERS[1][0]))  # the manager keeps the catalogue
            from helpdesk.demo import contracts_demo_seed, helpdesk_demo_seed

            contracts_demo_seed(owner=User.objects.get(email=DEMO_USERS[1][0]))  # first: new tickets go under them
            helpdesk_demo_seed(users=list(User.objects.filter(email__in=[DEMO_USERS[i][0] for i in (3, 1)])))
            from portal.demo import portal_demo_seed

            portal_email = portal_demo_seed(password=password, owner=User.objects.get(email=DEMO_USERS[2][0]))
            if not tenant.description:
                tenant.description = "Structured cabling, networks and telecoms for offices and schools in the Midlands."
                tenant.products_and_services = "Cat6A and fibre installation, Wi-Fi surveys, phone systems, support contracts."
                tenant.save(update_fields=["description", "products_and_services", "updated_at"])
        port = settings.PUBLIC_PORT or "8000"
        lines = [f"Demo tenant: http://{DEMO_SLUG}.{settings.BASE_DOMAIN}:{port}/  (password for every demo user: {password})"]
        lines += [f"  {role.label:<14} {email}" for email, _f, _l, role in DEMO_USERS]
        if portal_email:
            lines.append(f"Customer portal: http://{DEMO_SLUG}.{settings.BASE_DOMAIN}:{port}/portal/  "
                         f"(a customer's contact: {portal_email}, same password)")
        text = "\n".join(lines) + "\n"
        BootstrapCommand._write_private(settings.LOCAL_DIR / "demo-credentials.txt", text)
        if options["verbosity"]:
            self.stdout.write(text)

    @staticmethod
    def _password() -> str:
        store = settings.LOCAL_DIR / "demo-password"
        if store.exists():
            return store.read_text().strip()
        password = "demo-" + secrets.token_urlsafe(9)
        BootstrapCommand._write_private(store, password + "\n")
        return password
