from decimal import Decimal

import factory

from quotes.models import LabourRate, Product, ProductCategory, ProductUnit, Supplier


class SupplierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Supplier

    name = factory.Sequence(lambda n: f"Supplier {n} Distribution")


class ProductCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductCategory

    name = factory.Sequence(lambda n: f"Category {n}")
    default_markup_percent = Decimal("25.00")


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    supplier = factory.SubFactory(SupplierFactory)
    part_number = factory.Sequence(lambda n: f"PN-{n:05d}")
    description = factory.Sequence(lambda n: f"Catalogue item {n}")
    unit = ProductUnit.EACH
    cost_price = Decimal("10.00")
    list_price = Decimal("15.00")


class LabourRateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LabourRate

    name = factory.Sequence(lambda n: f"Engineer grade {n}")
    cost_per_hour = Decimal("22.00")
    sell_per_hour = Decimal("45.00")
    cost_per_day = Decimal("176.00")
    sell_per_day = Decimal("360.00")
