from quotes.permissions import CHANGE_CATALOGUE, CHANGE_PRICING_SETTINGS, MANAGE_PRICING, VIEW_CATALOGUE
from quotes.tests.factories import LabourRateFactory, ProductCategoryFactory, ProductFactory, SupplierFactory
from tests.harness.registry import UrlSpec


def a_product():
    return {"pk": ProductFactory().pk}


def a_supplier():
    return {"pk": SupplierFactory().pk}


def an_archived_supplier():
    from django.utils import timezone

    return {"pk": SupplierFactory(archived_at=timezone.now()).pk}


def a_category():
    return {"pk": ProductCategoryFactory().pk}


def a_labour_rate():
    return {"pk": LabourRateFactory().pk}


def product_data():
    return {"supplier": SupplierFactory().pk, "part_number": "HARNESS-1", "description": "Harness product",
            "unit": "each", "cost_price": "1.00", "list_price": "2.00", "is_active": "on"}


SUPPLIER_DATA = {"name": "Harness Supplies Ltd", "email": "sales@harness.example"}
PRICING_DATA = {"currency": "GBP", "default_tax_rate": "20.00", "quote_validity_days": "30", "rounding": "0.01",
                "margin_floor_percent": "15.00", "terms": "Harness terms."}

SPECS = [
    UrlSpec("quotes:product_list", permission=VIEW_CATALOGUE),
    UrlSpec("quotes:product_search", permission=VIEW_CATALOGUE),
    UrlSpec("quotes:product_create", method="post", permission=CHANGE_CATALOGUE, data=product_data),
    UrlSpec("quotes:product_detail", permission=VIEW_CATALOGUE, kwargs=a_product),
    UrlSpec("quotes:product_edit", method="post", permission=CHANGE_CATALOGUE, kwargs=a_product, data=product_data),
    UrlSpec("quotes:product_deactivate", method="post", permission=CHANGE_CATALOGUE, kwargs=a_product),
    UrlSpec("quotes:supplier_list", permission=VIEW_CATALOGUE),
    UrlSpec("quotes:supplier_create", method="post", permission=CHANGE_CATALOGUE, data=lambda: SUPPLIER_DATA),
    UrlSpec("quotes:supplier_edit", method="post", permission=CHANGE_CATALOGUE, kwargs=a_supplier,
            data=lambda: SUPPLIER_DATA),
    UrlSpec("quotes:supplier_archive", method="post", permission=CHANGE_CATALOGUE, kwargs=a_supplier),
    UrlSpec("quotes:supplier_restore", method="post", permission=CHANGE_CATALOGUE, kwargs=an_archived_supplier),
    UrlSpec("quotes:category_list", permission=VIEW_CATALOGUE),
    UrlSpec("quotes:category_create", method="post", permission=MANAGE_PRICING,
            data=lambda: {"name": "Harness category", "default_markup_percent": "30"}),
    UrlSpec("quotes:category_edit", method="post", permission=MANAGE_PRICING, kwargs=a_category,
            data=lambda: {"name": "Harness category", "default_markup_percent": "30"}),
    UrlSpec("quotes:labour_rate_list", permission=VIEW_CATALOGUE),
    UrlSpec("quotes:labour_rate_create", method="post", permission=MANAGE_PRICING,
            data=lambda: {"name": "Harness engineer", "cost_per_hour": "20", "sell_per_hour": "40", "cost_per_day": "160",
                          "sell_per_day": "320", "is_active": "on"}),
    UrlSpec("quotes:labour_rate_edit", method="post", permission=MANAGE_PRICING, kwargs=a_labour_rate,
            data=lambda: {"name": "Harness engineer", "cost_per_hour": "20", "sell_per_hour": "40", "cost_per_day": "160",
                          "sell_per_day": "320"}),
    UrlSpec("api:product_list", api=True, permission=VIEW_CATALOGUE),
    UrlSpec("api:product_detail", api=True, permission=VIEW_CATALOGUE, kwargs=a_product),
    UrlSpec("api:product_deactivate", method="post", api=True, permission=CHANGE_CATALOGUE, kwargs=a_product),
    UrlSpec("api:supplier_list", api=True, permission=VIEW_CATALOGUE),
    UrlSpec("api:supplier_detail", api=True, permission=VIEW_CATALOGUE, kwargs=a_supplier),
    UrlSpec("api:supplier_archive", method="post", api=True, permission=CHANGE_CATALOGUE, kwargs=a_supplier),
    UrlSpec("quotes:pricing_settings", method="post", permission=CHANGE_PRICING_SETTINGS, data=lambda: PRICING_DATA),
]
