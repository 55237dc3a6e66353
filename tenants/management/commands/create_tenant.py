from django.core.management.base import BaseCommand, CommandError

from tenants.errors import TenantError
from tenants.models import Plan
from tenants.services import tenant_provision


class Command(BaseCommand):
    help = "Provision a tenant: schema, host name, roles and its first admin."

    def add_arguments(self, parser):
        parser.add_argument("--slug", required=True)
        parser.add_argument("--name", required=True)
        parser.add_argument("--admin-email", required=True)
        parser.add_argument("--admin-password", help="Omit to email the admin an invitation instead.")
        parser.add_argument("--admin-first-name", default="")
        parser.add_argument("--admin-last-name", default="")
        parser.add_argument("--plan", choices=Plan.values, default=Plan.TRIAL)

    def handle(self, *args, **options):
        try:
            result = tenant_provision(
                slug=options["slug"], name=options["name"], plan=options["plan"],
                admin_email=options["admin_email"], admin_password=options["admin_password"],
                admin_first_name=options["admin_first_name"], admin_last_name=options["admin_last_name"],
            )
        except TenantError as error:
            raise CommandError(str(error)) from None
        domain = result.tenant.get_primary_domain().domain
        self.stdout.write(self.style.SUCCESS(
            f"Tenant {result.tenant.schema_name} provisioned in {result.seconds:.2f} s at http://{domain}/"
        ))
