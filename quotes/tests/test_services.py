"""Catalogue writes: price history, part numbers unique per supplier, prices never negative (zero allowed)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.models import Event
from quotes.errors import DuplicatePartNumber, SupplierArchived
from quotes.models import Product, ProductPriceChange
from quotes.services import catalogue as services
from quotes.tests.factories import ProductCategoryFactory, ProductFactory, SupplierFactory

D = Decimal


def _create(user, supplier, part_number="UTP-C6-305", **fields):
    values = {"description": "Cat6 U/UTP LSZH cable, 305 m box, blue", "cost_price": D("89.50"),
              "list_price": D("139.00"), **fields}
    return services.product_create(acting_user=user, supplier=supplier, part_number=part_number, **values)


def test_creating_a_product_writes_its_first_price_row_and_an_event(tenant1, admin_user):
    # given
    supplier = SupplierFactory(name="Excel Networking")
    # when
    product = _create(admin_user, supplier)
    # then
    row = ProductPriceChange.objects.get(product=product)
    assert (row.old_cost_price, row.new_cost_price, row.old_list_price, row.new_list_price) == (None, D("89.50"), None, D("139.00"))
    assert row.changed_by == admin_user
    assert Event.objects.filter(kind="quotes.product_created", data__part_number="UTP-C6-305").count() == 1
    assert product.search_text.startswith("utp-c6-305 utpc6305 utp c6 305 cat6 u/utp")


def test_a_price_change_is_recorded_with_who_and_the_old_and_new_prices(tenant1, admin_user, make_user):
    # given
    product = _create(admin_user, SupplierFactory())
    sales = make_user(role="Sales")
    # when
    services.product_update(product=product, acting_user=sales, changes={"cost_price": D("92.10"), "notes": "Price rise"})
    # then
    latest = ProductPriceChange.objects.filter(product=product).first()
    assert (latest.old_cost_price, latest.new_cost_price) == (D("89.50"), D("92.10"))
    assert (latest.old_list_price, latest.new_list_price) == (D("139.00"), D("139.00"))
    assert latest.changed_by == sales
    assert ProductPriceChange.objects.filter(product=product).count() == 2


def test_editing_other_fields_writes_no_price_row(tenant1, admin_user):
    # given
    product = _create(admin_user, SupplierFactory())
    # when
    services.product_update(product=product, acting_user=admin_user, changes={"description": "Cat6 cable, grey",
                                                                              "list_price": D("139.00")})
    # then
    assert ProductPriceChange.objects.filter(product=product).count() == 1
    assert Product.objects.get(pk=product.pk).search_text.endswith("cat6 cable, grey")


def test_a_part_number_is_unique_per_supplier_whatever_its_case(tenant1, admin_user):
    # given
    supplier, other = SupplierFactory(), SupplierFactory()
    _create(admin_user, supplier)
    # when / then
    with pytest.raises(DuplicatePartNumber):
        _create(admin_user, supplier, part_number="utp-c6-305")
    assert _create(admin_user, other).supplier == other  # another supplier may use the same part number


def test_the_database_refuses_a_duplicate_part_number_that_skips_the_service(tenant1):
    # given
    product = ProductFactory(part_number="ABC-1")
    # when / then
    with pytest.raises(IntegrityError), transaction.atomic():
        Product.objects.bulk_create([Product(supplier=product.supplier, part_number="abc-1", description="x")])


def test_renaming_onto_an_existing_part_number_is_refused(tenant1, admin_user):
    # given
    supplier = SupplierFactory()
    _create(admin_user, supplier, part_number="A-1")
    second = _create(admin_user, supplier, part_number="A-2")
    # when / then
    with pytest.raises(DuplicatePartNumber):
        services.product_update(product=second, acting_user=admin_user, changes={"part_number": "A-1"})


@pytest.mark.parametrize("field", ["cost_price", "list_price"])
def test_negative_prices_are_refused_and_zero_is_allowed(tenant1, admin_user, field):
    # given
    supplier = SupplierFactory()
    # when / then
    with pytest.raises(ValidationError):
        _create(admin_user, supplier, part_number="NEG", **{field: D("-0.01")})
    assert not Product.objects.filter(part_number="NEG").exists()
    free = _create(admin_user, supplier, part_number="FREE", **{field: D("0.00")})
    assert getattr(free, field) == D("0.00")


def test_the_database_refuses_negative_prices(tenant1):
    product = ProductFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Product.objects.filter(pk=product.pk).update(list_price=D("-1.00"))


def test_archived_suppliers_take_no_new_products(tenant1, admin_user):
    # given
    supplier = services.supplier_archive(supplier=SupplierFactory(), acting_user=admin_user)
    # when / then
    with pytest.raises(SupplierArchived):
        _create(admin_user, supplier)
    services.supplier_restore(supplier=supplier, acting_user=admin_user)
    assert _create(admin_user, supplier).pk


def test_deactivating_keeps_the_product(tenant1, admin_user):
    product = _create(admin_user, SupplierFactory())
    services.product_deactivate(product=product, acting_user=admin_user)
    assert Product.objects.get(pk=product.pk).is_active is False


def test_category_and_labour_rate_names_are_unique(tenant1, admin_user):
    # given
    ProductCategoryFactory(name="Cable")
    services.labour_rate_save(acting_user=admin_user, name="Installer", cost_per_hour=D("20"), sell_per_hour=D("42"))
    # when / then
    with pytest.raises(ValidationError):
        services.category_save(acting_user=admin_user, name="cable", default_markup_percent=D("30"))
    with pytest.raises(ValidationError):
        services.labour_rate_save(acting_user=admin_user, name="INSTALLER")
    with pytest.raises(ValidationError):
        services.category_save(acting_user=admin_user, name="Fibre", default_markup_percent=D("-5"))
