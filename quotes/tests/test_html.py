from decimal import Decimal

from quotes.services import catalogue as services
from quotes.tests.factories import LabourRateFactory, ProductCategoryFactory, ProductFactory, SupplierFactory
from tests.html_validity import assert_valid_html


def test_catalogue_pages_and_fragments_are_valid_html(admin_client1, admin_user):
    supplier = SupplierFactory(name="Excel <Networking>", website="excel-networks.example", email="s@excel.example",
                               is_preferred=True)
    product = ProductFactory(supplier=supplier, category=ProductCategoryFactory(), description="Line one\nLine two & more")
    services.product_update(product=product, acting_user=admin_user, changes={"list_price": Decimal("99.99")})
    ProductFactory.create_batch(30, supplier=supplier)
    LabourRateFactory()
    pages = {
        "list": admin_client1.get("/catalogue/"),
        "list sorted": admin_client1.get("/catalogue/", {"q": "item", "sort": "-supplier", "page": "2"}),
        "search page": admin_client1.get("/catalogue/search/", {"q": "line"}),
        "detail": admin_client1.get(f"/catalogue/products/{product.pk}/"),
        "new": admin_client1.get("/catalogue/products/new/"),
        "edit": admin_client1.get(f"/catalogue/products/{product.pk}/edit/"),
        "invalid": admin_client1.post("/catalogue/products/new/", {"part_number": "", "cost_price": "x"}),
        "suppliers": admin_client1.get("/catalogue/suppliers/"),
        "supplier new": admin_client1.get("/catalogue/suppliers/new/"),
        "supplier edit": admin_client1.get(f"/catalogue/suppliers/{supplier.pk}/edit/"),
        "categories": admin_client1.get("/catalogue/categories/"),
        "category invalid": admin_client1.post("/catalogue/categories/new/", {"name": ""}),
        "category edit": admin_client1.get(f"/catalogue/categories/{product.category_id}/edit/"),
        "labour rates": admin_client1.get("/catalogue/labour-rates/"),
        "pricing settings": admin_client1.get("/settings/pricing/"),
        "pricing invalid": admin_client1.post("/settings/pricing/", {"default_tax_rate": "x"}),
    }
    for name, response in pages.items():
        assert response.status_code in (200, 422), name
        assert_valid_html(response.content.decode())
    fragments = [
        admin_client1.get("/catalogue/", {"q": "item"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="product-table"),
        admin_client1.get("/catalogue/search/", {"q": "line two"}, HTTP_HX_REQUEST="true"),
        admin_client1.get("/catalogue/search/", {"q": "nothing-matches"}, HTTP_HX_REQUEST="true"),
    ]
    for response in fragments:
        assert_valid_html(response.content.decode(), fragment=True)
