"""The catalogue API: same services (price history, part-number rule, no negative prices) and permissions as the pages."""

import json
from decimal import Decimal

from core.models import Event
from quotes.models import Product, ProductPriceChange
from quotes.tests.factories import ProductCategoryFactory, ProductFactory, SupplierFactory

PRODUCTS = "/api/v1/products/"
SUPPLIERS = "/api/v1/suppliers/"


def _json(client, method, url, body):
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


def test_products_list_searches_filters_and_paginates(admin_client1, assert_queries):
    # given
    excel = SupplierFactory(name="Excel")
    for index in range(55):
        ProductFactory(supplier=excel, part_number=f"C6-PL-{index:02d}", description=f"Cat6 patch lead {index} m")
    ProductFactory(part_number="SW-24", description="24 port switch")
    admin_client1.get(PRODUCTS)
    # when
    with assert_queries(8):  # supplier filter validated; count, the page's ids, the page's products
        body = admin_client1.get(PRODUCTS, {"q": "cat6 patch", "supplier": excel.pk, "sort": "-part_number"}).json()
    # then
    assert body["count"] == 55 and len(body["results"]) == 50
    assert body["results"][0]["part_number"] == "C6-PL-54" and body["results"][0]["supplier_name"] == "Excel"
    assert admin_client1.get(PRODUCTS, {"q": "switch"}).json()["results"][0]["part_number"] == "SW-24"


def test_create_update_and_deactivate_a_product_through_the_services(admin_client1, admin_user):
    # given
    supplier = SupplierFactory()
    category = ProductCategoryFactory(name="Cable")
    # when
    created = _json(admin_client1, "post", PRODUCTS, {
        "supplier": supplier.pk, "part_number": "UTP-C6-305", "description": "Cat6 cable 305m", "category": category.pk,
        "unit": "box", "cost_price": "89.50", "list_price": "139.00"})
    assert created.status_code == 201, created.content
    detail = f"{PRODUCTS}{created.json()['id']}/"
    updated = _json(admin_client1, "patch", detail, {"list_price": "145.00"})
    deactivated = admin_client1.post(f"{detail}deactivate/")
    # then
    assert updated.json()["list_price"] == "145.00" and updated.json()["category_name"] == "Cable"
    assert deactivated.json()["is_active"] is False
    product = Product.objects.get(part_number="UTP-C6-305")
    changes = list(ProductPriceChange.objects.filter(product=product).values_list("old_list_price", "new_list_price", "source"))
    assert changes == [(Decimal("139.00"), Decimal("145.00"), "api"), (None, Decimal("139.00"), "api")]
    assert Event.objects.filter(kind="quotes.product_deactivated", actor=admin_user).count() == 1


def test_the_api_refuses_duplicates_negative_prices_and_archived_suppliers(admin_client1):
    # given
    supplier = SupplierFactory()
    archived = SupplierFactory(archived_at="2026-01-01T00:00:00Z")
    ProductFactory(supplier=supplier, part_number="ABC-1")
    base = {"supplier": supplier.pk, "description": "x", "cost_price": "1.00", "list_price": "2.00"}
    # when
    duplicate = _json(admin_client1, "post", PRODUCTS, {**base, "part_number": "abc-1"})
    negative = _json(admin_client1, "post", PRODUCTS, {**base, "part_number": "NEG", "cost_price": "-0.01"})
    on_archived = _json(admin_client1, "post", PRODUCTS, {**base, "supplier": archived.pk, "part_number": "ARC"})
    zero = _json(admin_client1, "post", PRODUCTS, {**base, "part_number": "ZERO", "cost_price": "0", "list_price": "0"})
    # then
    assert duplicate.status_code == 400 and "already has a product" in duplicate.json()["detail"]
    assert negative.status_code == 400 and "cost_price" in negative.json()
    assert on_archived.status_code == 400 and "supplier" in on_archived.json()
    assert zero.status_code == 201
    assert sorted(Product.objects.values_list("part_number", flat=True)) == ["ABC-1", "ZERO"]


def test_suppliers_through_the_api(admin_client1):
    # when
    created = _json(admin_client1, "post", SUPPLIERS, {"name": "Comms Express", "is_preferred": True})
    clash = _json(admin_client1, "post", SUPPLIERS, {"name": "comms EXPRESS"})
    detail = f"{SUPPLIERS}{created.json()['id']}/"
    patched = _json(admin_client1, "patch", detail, {"account_number": "CX-9"})
    archived = admin_client1.post(f"{detail}archive/")
    # then
    assert created.status_code == 201 and clash.status_code == 400
    assert patched.json()["account_number"] == "CX-9"
    assert archived.json()["archived"] is True
    assert admin_client1.get(SUPPLIERS).json()["count"] == 0
    assert admin_client1.get(SUPPLIERS, {"archived": "true"}).json()["count"] == 1
    assert admin_client1.delete(f"{detail}archive/").json()["archived"] is False


def test_read_only_users_can_read_but_not_write(tenant1, make_user, client_for):
    # given
    client = client_for(make_user(role="Read-only"))
    product = ProductFactory()
    # then
    assert client.get(f"{PRODUCTS}{product.pk}/").json()["part_number"] == product.part_number
    assert _json(client, "patch", f"{PRODUCTS}{product.pk}/", {"list_price": "1.00"}).status_code == 403
    assert _json(client, "post", SUPPLIERS, {"name": "Nope"}).status_code == 403


def test_the_catalogue_is_in_the_openapi_schema(admin_client1):
    schema = admin_client1.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    for path in ("/api/v1/products/", "/api/v1/products/{id}/deactivate/", "/api/v1/suppliers/{id}/archive/"):
        assert path in schema
