import io

from quotes.bench import quotes_bench_seed, quotes_search_timing
from quotes.models import Product
from quotes.selectors.catalogue import product_search


def test_the_bench_catalogue_loads_with_copy_and_is_searchable(tenant1):
    # when
    quotes_bench_seed(stdout=io.StringIO(), products=600)
    quotes_bench_seed(stdout=io.StringIO(), products=600)  # idempotent
    # then
    assert Product.objects.count() == 600
    product = Product.objects.order_by("id").first()
    assert product.search_text.startswith(product.part_number.lower())
    assert product_search(search="cat6 patch") and all(p.is_active for p in product_search(search="cat6 patch"))
    timing = quotes_search_timing(tenant1, repeats=2)
    assert set(timing) >= {"cat6 patch 2m", "UTP-C6"} and timing["UTP-C6"][2] > 0


def test_the_price_list_import_timing_runs_and_leaves_the_catalogue_as_it_was(tenant1, admin_user):
    # given
    from quotes.bench import quotes_import_timing
    from quotes.models import ProductPriceChange, Supplier

    quotes_bench_seed(stdout=io.StringIO(), products=200)
    # when
    timing = quotes_import_timing(tenant1, acting_user=admin_user, rows=300)
    xlsx = quotes_import_timing(tenant1, acting_user=admin_user, rows=300, file_format="xlsx")
    # then
    assert timing["rows_update"] == 150 and timing["rows_create"] == 150
    assert timing["total"] == timing["upload"] + timing["check"] + timing["apply"] > 0
    assert xlsx["rows_update"] == 150 and xlsx["rows_create"] == 150
    assert Product.objects.count() == 200 and not ProductPriceChange.objects.filter(source="import").exists()
    assert not Supplier.objects.filter(name="Bench Import Distribution Ltd").exists()
