import pytest

from core.models import Event
from crm.errors import CrmError
from crm.models import Activity, Address, Contact, Customer, Opportunity
from crm.services.addresses import address_create
from crm.services.contacts import contact_create
from crm.services.merge import customer_merge
from crm.tests.factories import CustomerFactory, TagFactory
from tests.html_validity import assert_valid_html

HQ = {"kind": "primary", "line1": "1 High St", "town": "Dudley", "postcode": "DY1 1AA"}


def test_merging_moves_everything_to_the_survivor_and_archives_the_duplicate(admin_user):
    survivor = CustomerFactory(name="Acme Networks Ltd", email="", known_facts="Two sites.")
    duplicate = CustomerFactory(name="ACME Networks", email="hello@acme.example", known_facts="Prefers email.",
                                lead_score=70)
    duplicate.tags.add(TagFactory(name="fibre"))
    keep = contact_create(customer=survivor, acting_user=admin_user, fields={"first_name": "Keep"})
    contact_create(customer=duplicate, acting_user=admin_user, fields={"first_name": "Move"})
    address_create(customer=survivor, acting_user=admin_user, fields=HQ)
    moved_address = address_create(customer=duplicate, acting_user=admin_user, fields={**HQ, "line1": "9 Low St"})
    Activity.objects.create(customer=duplicate, subject="Call", owner=admin_user)
    Opportunity.objects.create(customer=duplicate, title="Deal")
    # when
    customer_merge(survivor=survivor, duplicate=duplicate, acting_user=admin_user)
    # then
    survivor.refresh_from_db()
    duplicate.refresh_from_db()
    assert set(Contact.objects.filter(customer=survivor).values_list("first_name", "is_primary")) == {("Keep", True), ("Move", False)}
    assert Address.objects.get(pk=moved_address.pk).customer == survivor and not Address.objects.get(pk=moved_address.pk).is_default
    assert (Activity.objects.get().customer, Opportunity.objects.get().customer) == (survivor, survivor)
    assert (survivor.email, survivor.known_facts, survivor.lead_score) == ("hello@acme.example", "Two sites.\n\nPrefers email.", 70)
    assert list(survivor.tags.values_list("name", flat=True)) == ["fibre"]
    assert duplicate.is_archived and duplicate.merged_into == survivor
    merged = Event.objects.get(kind="crm.customer_merged")
    assert merged.customer_id == survivor.pk and merged.data == {
        "from": "ACME Networks", "into": "Acme Networks Ltd", "contacts": 1, "addresses": 1, "activities": 1, "opportunities": 1}
    # the duplicate's history now reads on the survivor's timeline
    assert Event.objects.filter(customer_id=survivor.pk, kind="crm.contact_added", data__name="Move").exists()
    assert keep.pk in Contact.objects.filter(customer=survivor).values_list("pk", flat=True)


def test_a_customer_cannot_be_merged_into_itself_or_twice(admin_user):
    survivor, duplicate = CustomerFactory(), CustomerFactory()
    with pytest.raises(CrmError):
        customer_merge(survivor=survivor, duplicate=survivor, acting_user=admin_user)
    customer_merge(survivor=survivor, duplicate=duplicate, acting_user=admin_user)
    with pytest.raises(CrmError):
        customer_merge(survivor=survivor, duplicate=duplicate, acting_user=admin_user)


def test_the_merge_page_suggests_duplicates_and_merges(admin_client1):
    survivor = CustomerFactory(name="Acme Networks Ltd")
    duplicate = CustomerFactory(name="Acme Networks PLC")
    page = admin_client1.get(f"/customers/{survivor.pk}/merge/")
    html = page.content.decode()
    assert_valid_html(html)
    assert 'data-testid="merge-candidate" data-name="Acme Networks PLC"' in html
    response = admin_client1.post(f"/customers/{survivor.pk}/merge/", {"duplicate": duplicate.pk})
    assert response.status_code == 302 and Customer.objects.get(pk=duplicate.pk).merged_into_id == survivor.pk
    archived_page = admin_client1.get(f"/customers/{duplicate.pk}/").content.decode()
    assert f'Merged into <a href="/customers/{survivor.pk}/">Acme Networks Ltd</a>' in archived_page


def test_only_managers_and_admins_merge(tenant1, make_user, client_for):
    survivor, duplicate = CustomerFactory(), CustomerFactory()
    sales = client_for(make_user(role="Sales"))
    assert sales.post(f"/customers/{survivor.pk}/merge/", {"duplicate": duplicate.pk}).status_code == 403
    assert Customer.objects.get(pk=duplicate.pk).merged_into_id is None
