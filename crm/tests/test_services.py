import pytest
from django.utils import timezone

from core.models import Event
from crm.errors import CustomerArchived
from crm.models import Customer, CustomerStatus, Sector
from crm.selectors import customer_duplicates
from crm.services import customers as services
from crm.services.sectors import UK_SECTORS, sectors_seed
from crm.tests.factories import CustomerFactory, TagFactory


def test_creating_a_customer_records_the_event_on_its_timeline(admin_user):
    tag = TagFactory(name="schools")
    customer = services.customer_create(acting_user=admin_user, name="  Acme Networks Ltd ", website="www.acme.co.uk",
                                        registration_number="1234567", owner=admin_user, tags=[tag])
    assert (customer.name, customer.normalised_name, customer.website_domain, customer.normalised_registration) == (
        "Acme Networks Ltd", "acme networks", "acme.co.uk", "01234567")
    assert list(customer.tags.all()) == [tag]
    event = Event.objects.get(customer_id=customer.pk)
    assert (event.kind, event.actor, event.data) == ("crm.customer_created", admin_user,
                                                     {"name": "Acme Networks Ltd", "status": "Lead"})


@pytest.mark.parametrize("name, website, registration, reasons", [
    ("ACME NETWORKS LIMITED", "", "", ("name",)),
    ("Something Else", "https://acme.co.uk/contact", "", ("website",)),
    ("Something Else", "", "01234567", ("registration number",)),
    ("The Acme Networks PLC", "acme.co.uk", "1234567", ("name", "website", "registration number")),
])
def test_duplicates_are_found_by_name_domain_or_number(tenant1, name, website, registration, reasons):
    existing = CustomerFactory(name="Acme Networks Ltd", website="www.acme.co.uk", registration_number="01234567")
    CustomerFactory(name="Acme Networking Ltd")  # close, but a different company
    found = customer_duplicates(name=name, website=website, registration_number=registration)
    assert [(d.customer, d.reasons) for d in found] == [(existing, reasons)]


def test_a_customer_is_not_its_own_duplicate_and_archived_ones_count(tenant1):
    existing = CustomerFactory(name="Acme Ltd", archived_at=timezone.now())
    assert customer_duplicates(name="Acme", exclude_pk=existing.pk) == []
    assert [d.customer for d in customer_duplicates(name="Acme PLC")] == [existing]


def test_editing_records_which_fields_changed(admin_user):
    customer = CustomerFactory(name="Old Name Ltd", phone="01")
    services.customer_update(customer=customer, acting_user=admin_user,
                             changes={"name": "New Name Ltd", "phone": "01", "lead_score": 40})
    customer.refresh_from_db()
    assert (customer.name, customer.normalised_name, customer.lead_score) == ("New Name Ltd", "new name", 40)
    assert Event.objects.get(kind="crm.customer_changed").data == {"fields": ["company name", "lead score"]}
    # nothing changed: no event
    services.customer_update(customer=customer, acting_user=admin_user, changes={"name": "New Name Ltd"})
    assert Event.objects.filter(kind="crm.customer_changed").count() == 1


def test_status_changes_say_who_or_why(admin_user):
    customer = CustomerFactory()
    services.customer_status_change(customer=customer, status=CustomerStatus.PROSPECT, acting_user=admin_user)
    services.customer_status_change(customer=customer, status=CustomerStatus.INACTIVE,
                                    reason="No contact for 90 days and no open opportunity.")
    events = list(Event.objects.filter(kind="crm.customer_status_changed").order_by("id"))
    assert [(e.actor, e.data["from"], e.data["to"], e.data["reason"]) for e in events] == [
        (admin_user, "Lead", "Prospect", ""), (None, "Prospect", "Inactive", "No contact for 90 days and no open opportunity.")]
    assert Customer.objects.get(pk=customer.pk).status == CustomerStatus.INACTIVE


def test_archived_customers_cannot_be_changed_until_restored(admin_user):
    customer = CustomerFactory()
    services.customer_archive(customer=customer, acting_user=admin_user)
    with pytest.raises(CustomerArchived):
        services.customer_status_change(customer=customer, status=CustomerStatus.LOST, acting_user=admin_user)
    services.customer_restore(customer=customer, acting_user=admin_user)
    services.customer_status_change(customer=customer, status=CustomerStatus.LOST, acting_user=admin_user)
    assert [e.kind for e in Event.objects.filter(customer_id=customer.pk).order_by("id")] == [
        "crm.customer_archived", "crm.customer_restored", "crm.customer_status_changed"]


def test_bulk_changes_skip_archived_and_unchanged(admin_user, make_user):
    new_owner = make_user(role="Sales", first_name="Sam", last_name="Seller")
    live, already, archived = CustomerFactory(), CustomerFactory(owner=new_owner), CustomerFactory(archived_at=timezone.now())
    assert services.customer_bulk_owner(customers=[live, already, archived], owner=new_owner, acting_user=admin_user) == 1
    assert Event.objects.get(kind="crm.customer_owner_changed").data == {"from": "—", "to": "Sam Seller"}


def test_the_sector_list_is_seeded_once_and_keeps_the_tenants_own(tenant1):
    Sector.objects.create(name="Marinas")
    assert sectors_seed() == 0  # test1 was seeded at set-up
    assert Sector.objects.filter(is_seeded=True).count() == len(UK_SECTORS)
    assert Sector.objects.filter(name="Marinas").exists()


def test_bulk_inserted_customers_are_found_as_duplicates_after_refresh_normalised(tenant1):
    # given customers inserted in bulk (no save()), as the bench and imports do
    customer = Customer(name="The Bulk Networks Ltd", website="https://www.bulk.example/x", registration_number="765")
    customer.refresh_normalised()
    Customer.objects.bulk_create([customer])
    # then duplicate detection sees them exactly as saved ones
    found = customer_duplicates(name="BULK NETWORKS PLC", website="bulk.example", registration_number="00000765")
    assert [d.reasons for d in found] == [("name", "website", "registration number")]
