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
