from crm.services import customers as services
from crm.tests.factories import CustomerFactory, TagFactory
from tests.html_validity import assert_valid_html


def test_customer_pages_and_fragments_are_valid_html(admin_client1, admin_user):
    customer = CustomerFactory(name="Valid Co", known_facts="Line one\nLine two", website="valid.example")
    customer.tags.add(TagFactory())
    for score in range(30):
        services.customer_update(customer=customer, acting_user=admin_user, changes={"lead_score": score + 1})
    pages = {
        "list": admin_client1.get("/customers/"),
        "list filtered": admin_client1.get("/customers/", {"status": "lead", "sort": "-name"}),
        "detail": admin_client1.get(f"/customers/{customer.pk}/"),
        "new": admin_client1.get("/customers/new/"),
        "edit": admin_client1.get(f"/customers/{customer.pk}/edit/"),
        "invalid form": admin_client1.post("/customers/new/", {"name": "", "status": "lead", "lead_score": "x"}),
    }
    for name, response in pages.items():
        assert response.status_code in (200, 422), name
        assert_valid_html(response.content.decode())
    fragments = [
        admin_client1.get("/customers/", {"q": "valid"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="customer-table"),
        admin_client1.get(f"/customers/{customer.pk}/timeline/", {"before": 10**9}),
        admin_client1.post(f"/customers/{customer.pk}/status/", {"status": "prospect"}, HTTP_HX_REQUEST="true"),
    ]
    for response in fragments:
        assert_valid_html(response.content.decode(), fragment=True)


def test_the_shell_pages_are_valid_html(admin_client1, anon_client1, public_client):
    for response in (admin_client1.get("/"), admin_client1.get("/users/"), admin_client1.get("/settings/"),
                     admin_client1.get("/accounts/profile/"), anon_client1.get("/accounts/sign-in/"),
                     public_client.get("/"), public_client.get("/signup/")):
        assert response.status_code == 200
        assert_valid_html(response.content.decode())
