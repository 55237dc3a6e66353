from django.core.management import call_command
from django.db import connection
from django_tenants.utils import tenant_context

from accounts.models import User
from core.models import Event
from crm.models import Customer
from quotes.models import Product
from tenants.models import Tenant


def test_seed_demo_builds_the_demo_company_once(db, settings, tmp_path):
    settings.LOCAL_DIR = tmp_path
    connection.set_schema_to_public()
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)
    connection.set_schema_to_public()
    tenant = Tenant.objects.get(schema_name="demo")
    with tenant_context(tenant):
        assert sorted(user.role for user in User.objects.all()) == sorted(
            ["Admin", "Manager", "Sales", "Support agent", "Read-only"])
        assert Customer.objects.count() == 50
        assert Event.objects.filter(customer_id__isnull=False).count() > 100
        assert Product.objects.count() >= 60
        from helpdesk.models import Ticket

        assert Ticket.objects.count() == 24
        states = set(Ticket.objects.values_list("sla_state", flat=True))
        assert {"met", "paused"} <= states and states & {"on_track", "at_risk", "breached"}
        from helpdesk.models import ContractStatus, SupportContract

        assert sorted(SupportContract.objects.values_list("status", flat=True)) == sorted(
            [ContractStatus.PENDING_RENEWAL, ContractStatus.ACTIVE, ContractStatus.ACTIVE,
             ContractStatus.PENDING_RENEWAL, ContractStatus.DRAFT])
        from portal.demo import DEMO_QUOTE_TITLE
        from portal.models import PortalAccess
        from quotes.models import Quote

        access = PortalAccess.objects.get()  # once, although seeded twice
        assert access.activated_at is not None and access.sections == ["quotes", "tickets", "contracts"]
        quote = Quote.objects.get(title=DEMO_QUOTE_TITLE)
        assert (quote.status, quote.customer_id, quote.contact_id) == ("sent", access.contact.customer_id,
                                                                        access.contact_id)
    credentials = (tmp_path / "demo-credentials.txt").read_text()
    assert f"(a customer's contact: {access.email}, same password)" in credentials
    assert "admin@demo.example.com" in credentials and oct((tmp_path / "demo-credentials.txt").stat().st_mode)[-3:] == "600"
