import json

from core.models import Event
from crm.models import Activity, Address, Contact, Customer, CustomerStatus, Opportunity
from crm.tests.factories import CustomerFactory


def _json(client, method, url, body):
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


def test_contacts_through_the_api_keep_the_invariants(admin_client1):
    customer = CustomerFactory()
    base = f"/api/v1/customers/{customer.pk}/contacts/"
    first = _json(admin_client1, "post", base, {"first_name": "Nia", "role": "technical",
                                                 "emails": [{"address": "nia@x.example", "kind": "work"}]}).json()
    second = _json(admin_client1, "post", base, {"first_name": "Tom", "make_primary": True}).json()
    assert (first["is_primary"], second["is_primary"]) == (True, True)
    assert Contact.objects.get(pk=first["id"]).is_primary is False
    assert first["emails"] == [{"address": "nia@x.example", "kind": "work", "is_primary": True}]
    patched = _json(admin_client1, "patch", f"{base}{first['id']}/", {"job_title": "IT lead"}).json()
    assert patched["job_title"] == "IT lead" and patched["emails"][0]["address"] == "nia@x.example"
    assert admin_client1.delete(f"{base}{second['id']}/").status_code == 204
    assert Contact.objects.get(pk=first["id"]).is_primary is True


def test_addresses_validate_uk_postcodes(admin_client1):
    customer = CustomerFactory()
    base = f"/api/v1/customers/{customer.pk}/addresses/"
    bad = _json(admin_client1, "post", base, {"line1": "1 High St", "town": "Dudley", "postcode": "nope"})
    assert bad.status_code == 400 and "postcode" in bad.json()
    good = _json(admin_client1, "post", base, {"line1": "1 High St", "town": "Dudley", "postcode": "dy11aa"}).json()
    assert (good["postcode"], good["is_default"]) == ("DY1 1AA", True)
    assert admin_client1.get(base).json()[0]["id"] == good["id"]


def test_activities_and_opportunities_drive_the_lifecycle(admin_client1):
    customer = CustomerFactory()
    activity = _json(admin_client1, "post", f"/api/v1/customers/{customer.pk}/activities/",
                     {"kind": "task", "subject": "Send report", "follow_up_on": "2026-12-01"}).json()
    assert admin_client1.post(f"/api/v1/activities/{activity['id']}/complete/").json()["completed_at"]
    deal = _json(admin_client1, "post", f"/api/v1/customers/{customer.pk}/opportunities/",
                 {"title": "Fibre", "value": "9000.00"}).json()
    assert Customer.objects.get(pk=customer.pk).status == CustomerStatus.PROSPECT
    won = _json(admin_client1, "patch", f"/api/v1/opportunities/{deal['id']}/", {"stage": "won", "notes": "Signed"}).json()
    assert (won["stage"], won["probability"], won["notes"]) == ("won", 100, "Signed")
    assert Customer.objects.get(pk=customer.pk).status == CustomerStatus.CUSTOMER
    listed = admin_client1.get("/api/v1/opportunities/", {"stage": "won"}).json()
    assert [row["title"] for row in listed["results"]] == ["Fibre"]
    assert Event.objects.filter(customer_id=customer.pk, kind="crm.activity_completed").count() == 1
    assert (Activity.objects.count(), Opportunity.objects.count(), Address.objects.count()) == (1, 1, 0)


def test_read_only_users_cannot_write_through_the_api(tenant1, make_user, client_for):
    customer = CustomerFactory()
    viewer = client_for(make_user(role="Read-only"))
    assert viewer.get(f"/api/v1/customers/{customer.pk}/contacts/").status_code == 200
    assert _json(viewer, "post", f"/api/v1/customers/{customer.pk}/contacts/", {"first_name": "X"}).status_code == 403
    assert _json(viewer, "post", f"/api/v1/customers/{customer.pk}/opportunities/", {"title": "X"}).status_code == 403
