import json

from core.models import Event
from crm.models import Customer
from crm.tests.factories import CustomerFactory, SectorFactory

URL = "/api/v1/customers/"


def _json(client, method, url, body):
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


def test_list_filters_and_paginates(admin_client1):
    for index in range(55):
        CustomerFactory(name=f"Company {index:02d}", status="prospect" if index % 5 == 0 else "lead")
    body = admin_client1.get(URL, {"status": "prospect", "sort": "-name"}).json()
    assert body["count"] == 11 and [row["name"] for row in body["results"][:2]] == ["Company 50", "Company 45"]
    page_two = admin_client1.get(URL, {"page": 2}).json()
    assert page_two["count"] == 55 and len(page_two["results"]) == 5


def test_create_update_and_archive_through_the_services(admin_client1, admin_user):
    sector = SectorFactory(name="Telecoms test")
    CustomerFactory(name="Acme Ltd")
    created = _json(admin_client1, "post", URL, {"name": "ACME Limited", "sector": sector.pk, "tags": [],
                                                  "owner": admin_user.pk, "lead_score": 30})
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["name"], body["sector_name"], body["owner_name"], body["status"]) == ("ACME Limited", "Telecoms test", "Ada Admin", "lead")
    assert [d["same"] for d in body["possible_duplicates"]] == [["name"]]
    detail = f"{URL}{body['id']}/"
    updated = _json(admin_client1, "patch", detail, {"status": "prospect", "phone": "0121 000"}).json()
    assert (updated["status"], updated["phone"]) == ("prospect", "0121 000")
    archived = admin_client1.post(f"{detail}archive/").json()
    assert archived["archived"] is True
    assert admin_client1.delete(f"{detail}archive/").json()["archived"] is False
    kinds = list(Event.objects.filter(customer_id=body["id"]).order_by("id").values_list("kind", flat=True))
    assert kinds == ["crm.customer_created", "crm.customer_status_changed", "crm.customer_changed",
                     "crm.customer_archived", "crm.customer_restored"]


def test_bad_input_is_a_400_with_the_reasons(admin_client1):
    response = _json(admin_client1, "post", URL, {"name": "", "lead_score": 101, "status": "nonsense"})
    assert response.status_code == 400
    assert set(response.json()) == {"name", "lead_score", "status"}
    assert Customer.objects.count() == 0


def test_write_methods_follow_the_role_table(tenant1, make_user, client_for):
    customer = CustomerFactory()
    viewer, sales, manager = (client_for(make_user(role=r)) for r in ("Read-only", "Sales", "Manager"))
    assert _json(viewer, "patch", f"{URL}{customer.pk}/", {"phone": "1"}).status_code == 403
    assert _json(viewer, "post", URL, {"name": "X"}).status_code == 403
    assert _json(sales, "patch", f"{URL}{customer.pk}/", {"phone": "1"}).status_code == 200
    assert sales.post(f"{URL}{customer.pk}/archive/").status_code == 403
    assert manager.post(f"{URL}{customer.pk}/archive/").status_code == 200


def test_an_archived_customer_cannot_be_edited_until_restored(admin_client1, admin_user):
    customer = CustomerFactory(name="Old")
    admin_client1.post(f"{URL}{customer.pk}/archive/")
    response = _json(admin_client1, "patch", f"{URL}{customer.pk}/", {"phone": "2"})
    assert response.status_code == 400 and "archived" in response.json()["detail"]
