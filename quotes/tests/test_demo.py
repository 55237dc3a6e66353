from decimal import Decimal

from quotes.demo import PRODUCTS, quotes_demo_seed
from quotes.models import LabourRate, Product, ProductCategory, ProductPriceChange, Supplier
from quotes.selectors.catalogue import product_search


def test_the_demo_catalogue_is_believable_and_seeded_once(tenant1, admin_user):
    # when
    created = quotes_demo_seed(acting_user=admin_user)
    again = quotes_demo_seed(acting_user=admin_user)
    # then
    assert created == len(PRODUCTS) >= 60 and again == 0
    assert Product.objects.count() == len(PRODUCTS) and Supplier.objects.filter(is_preferred=True).count() == 1
    assert ProductCategory.objects.get(name="Cable").default_markup_percent == Decimal("30.00")
    assert LabourRate.objects.count() >= 5
    assert ProductPriceChange.objects.filter(old_cost_price__isnull=False).count() == 3  # the copper price rise
    assert [p.part_number for p in product_search(search="cat6 patch 2m")] == ["PC6-2M-BL", "PC6A-2M-GN"]
