"""Catalogue pages through the test client: what a user sees, keeps and may do, with pinned query counts."""

from decimal import Decimal

import pytest

from quotes.models import PricingSettings, Product, ProductPriceChange, Supplier
from quotes.services import catalogue as services
from quotes.tests.factories import LabourRateFactory, ProductCategoryFactory, ProductFactory, SupplierFactory

D = Decimal


def _product_data(supplier, **overrides):
    return {"supplier": supplier.pk, "part_number": "C6A-PP-24", "description": "Cat6a 24-port shielded patch panel, 1U",
            "unit": "each", "cost_price": "54.20", "list_price": "89.00", "is_active": "on", **overrides}


def test_the_product_list_costs_the_same_queries_for_25_or_60_products(admin_client1, assert_queries):
    # given
    supplier = SupplierFactory()
    category = ProductCategoryFactory()
    ProductFactory.create_batch(60, supplier=supplier, category=category)
    admin_client1.get("/catalogue/")  # warm per-process caches
    # when / then
    with assert_queries(9):  # of which: suppliers and categories menus, count, the page's ids, the page's products
        response = admin_client1.get("/catalogue/")
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="product-row"') == 25
    assert "60 products" in response.content.decode()


def test_the_product_list_filters_sorts_and_answers_htmx_with_the_table_only(admin_client1):
    # given
    excel, other = SupplierFactory(name="Excel"), SupplierFactory(name="Other")
    ProductFactory(supplier=excel, part_number="B-2", list_price=D("5.00"))
    ProductFactory(supplier=excel, part_number="A-1", list_price=D("9.00"))
    ProductFactory(supplier=other, part_number="C-3")
    ProductFactory(supplier=excel, part_number="OLD-1", is_active=False)
    # when
    response = admin_client1.get("/catalogue/", {"supplier": excel.pk, "sort": "-price"}, HTTP_HX_REQUEST="true",
                                 HTTP_HX_TARGET="product-table")
    # then
    html = response.content.decode()
    assert "<html" not in html and 'id="product-table"' in html
    assert html.index('data-part="A-1"') < html.index('data-part="B-2"')
    assert 'data-part="C-3"' not in html and 'data-part="OLD-1"' not in html
    assert 'data-part="OLD-1"' in admin_client1.get("/catalogue/", {"status": "inactive"}).content.decode()


def test_creating_a_product_keeps_what_was_typed_on_error(admin_client1):
    # given
    supplier = SupplierFactory(name="Excel")
    ProductFactory(supplier=supplier, part_number="C6A-PP-24")
    # when a duplicate part number and a negative price are posted
    response = admin_client1.post("/catalogue/products/new/", _product_data(supplier, cost_price="-1"))
    # then
    html = response.content.decode()
    assert response.status_code == 422
    assert "Excel already has a product with this part number." in html
    assert "Ensure this value is greater than or equal to 0" in html
    assert "Cat6a 24-port shielded patch panel, 1U" in html and 'value="89.00"' in html
    assert Product.objects.count() == 1


def test_creating_and_editing_a_product_shows_the_price_history(admin_client1):
    # given
    supplier = SupplierFactory()
    # when
    response = admin_client1.post("/catalogue/products/new/", _product_data(supplier))
    product = Product.objects.get(part_number="C6A-PP-24")
    assert response.status_code == 302 and response["Location"] == f"/catalogue/products/{product.pk}/"
    admin_client1.post(f"/catalogue/products/{product.pk}/edit/", _product_data(supplier, cost_price="56.75"))
    # then
    assert list(ProductPriceChange.objects.filter(product=product).values_list("new_cost_price", flat=True)) == [
        D("56.75"), D("54.20")]
    html = admin_client1.get(f"/catalogue/products/{product.pk}/").content.decode()
    assert html.count('data-testid="price-change"') == 2
    assert "<del>54.20</del> 56.75" in html


def test_the_product_page_suggests_cost_plus_markup_with_the_rounding_rule(admin_client1, assert_queries):
    # given
    PricingSettings.objects.filter(pk=1).update(rounding="0.05")
    product = ProductFactory(cost_price=D("10.00"), category=ProductCategoryFactory(default_markup_percent=D("33.33")))
    for cost in ("10.50", "11.00", "11.25"):
        services.product_update(product=product, acting_user=None, changes={"cost_price": D(cost)})
    services.product_update(product=product, acting_user=None, changes={"cost_price": D("10.00")})
    admin_client1.get(f"/catalogue/products/{product.pk}/")
    # when / then
    with assert_queries(7):
        response = admin_client1.get(f"/catalogue/products/{product.pk}/")
    assert 'data-testid="suggested">GBP 13.35' in response.content.decode()


def test_the_search_page_and_its_fragment(admin_client1, assert_queries):
    # given
    ProductFactory(part_number="UTP-C6-305", description="Cat6 U/UTP cable 305m box")
    ProductFactory(part_number="PC6-2M-BL", description="Cat6 patch cord 2m blue")
    admin_client1.get("/catalogue/search/", {"q": "cat6"}, HTTP_HX_REQUEST="true")
    # when
    with assert_queries(6):  # domain, user, groups; the part-number prefix search, the word search, the products found
        fragment = admin_client1.get("/catalogue/search/", {"q": "cat6 patch 2m"}, HTTP_HX_REQUEST="true")
    # then
    html = fragment.content.decode()
    assert "<html" not in html and html.count('data-testid="search-result"') == 1 and 'data-part="PC6-2M-BL"' in html
    assert admin_client1.get("/catalogue/search/", {"q": "utpc6"}).content.decode().count('data-testid="search-result"') == 1


def test_suppliers_can_be_created_edited_archived_and_restored(admin_client1, assert_queries):
    # when
    response = admin_client1.post("/catalogue/suppliers/new/", {"name": "Comms Express", "account_number": "CX-1001",
                                                                "is_preferred": "on"})
    supplier = Supplier.objects.get(name="Comms Express")
    duplicate = admin_client1.post("/catalogue/suppliers/new/", {"name": "comms express"})
    admin_client1.post(f"/catalogue/suppliers/{supplier.pk}/edit/", {"name": "Comms Express Ltd", "phone": "0121 000 0000"})
    admin_client1.post(f"/catalogue/suppliers/{supplier.pk}/archive/")
    # then
    assert response.status_code == 302 and supplier.is_preferred and supplier.account_number == "CX-1001"
    assert duplicate.status_code == 422 and "is already in the list" in duplicate.content.decode()
    supplier.refresh_from_db()
    assert supplier.name == "Comms Express Ltd" and supplier.is_archived
    SupplierFactory.create_batch(5)
    admin_client1.get("/catalogue/suppliers/")
    with assert_queries(6):
        listing = admin_client1.get("/catalogue/suppliers/")
    assert "Comms Express Ltd" not in listing.content.decode()
    assert "Comms Express Ltd" in admin_client1.get("/catalogue/suppliers/", {"archived": "on"}).content.decode()
    admin_client1.post(f"/catalogue/suppliers/{supplier.pk}/restore/")
    supplier.refresh_from_db()
    assert not supplier.is_archived


def test_categories_and_labour_rates(admin_client1, assert_queries):
    # when
    admin_client1.post("/catalogue/categories/new/", {"name": "Cable", "default_markup_percent": "30"})
    refused = admin_client1.post("/catalogue/categories/new/", {"name": "cable", "default_markup_percent": "-1"})
    admin_client1.post("/catalogue/labour-rates/new/", {"name": "Cabling engineer", "cost_per_hour": "21.50",
                                                        "sell_per_hour": "45", "cost_per_day": "172", "sell_per_day": "340",
                                                        "is_active": "on"})
    # then
    assert refused.status_code == 422
    assert "is already in the list" in refused.content.decode()
    assert 'value="-1"' in refused.content.decode()
    ProductCategoryFactory.create_batch(3)
    LabourRateFactory.create_batch(3)
    admin_client1.get("/catalogue/categories/")
    with assert_queries(6):
        categories = admin_client1.get("/catalogue/categories/")
    with assert_queries(5):
        rates = admin_client1.get("/catalogue/labour-rates/")
    assert categories.content.decode().count('data-testid="category-row"') == 4
    assert "Cabling engineer" in rates.content.decode() and "340.00" in rates.content.decode()


def test_the_pricing_settings_page_saves_and_keeps_input_on_error(admin_client1, assert_queries):
    # given
    admin_client1.get("/settings/pricing/")
    with assert_queries(5):
        page = admin_client1.get("/settings/pricing/")
    assert "Late Payment of Commercial Debts" in page.content.decode()
    data = {"currency": "GBP", "default_tax_rate": "20.00", "quote_validity_days": "45", "rounding": "1.00",
            "margin_floor_percent": "18", "approval_margin_below_percent": "12.5", "approval_total_above": "25000",
            "terms": "Our terms."}
    # when
    wrong = admin_client1.post("/settings/pricing/", {**data, "default_tax_rate": "150", "quote_validity_days": "90"})
    saved = admin_client1.post("/settings/pricing/", data)
    # then
    assert wrong.status_code == 422 and 'value="90"' in wrong.content.decode()
    assert saved.status_code == 302
    settings_row = PricingSettings.objects.get()
    assert (settings_row.quote_validity_days, settings_row.rounding, settings_row.approval_total_above,
            settings_row.approval_discount_above_percent) == (45, "1.00", D("25000.00"), None)


@pytest.mark.parametrize(("role", "can_edit", "can_settings"), [
    ("Read-only", False, False), ("Support agent", False, False), ("Sales", True, False), ("Manager", True, True)])
def test_what_each_role_is_offered_matches_what_it_may_do(tenant1, make_user, client_for, role, can_edit, can_settings):
    # given
    client = client_for(make_user(role=role))
    product = ProductFactory()
    # when
    listing = client.get("/catalogue/").content.decode()
    detail = client.get(f"/catalogue/products/{product.pk}/").content.decode()
    # then
    assert ("New product" in listing) is can_edit
    assert (f"/catalogue/products/{product.pk}/edit/" in detail) is can_edit
    assert ("/settings/pricing/" in listing) is can_settings
    assert client.post("/catalogue/products/new/", {}).status_code == (422 if can_edit else 403)
