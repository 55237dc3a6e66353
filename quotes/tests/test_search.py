"""Product search: words of the description and part numbers, partial and punctuation-tolerant, on the trigram index."""

import pytest
from django.db import connection

from quotes.models import Product
from quotes.selectors.catalogue import ProductFilters, product_list, product_search
from quotes.services import catalogue as services
from quotes.tests.factories import ProductFactory, SupplierFactory


@pytest.fixture
def catalogue(tenant1):
    excel = SupplierFactory(name="Excel Networking")
    other = SupplierFactory(name="Connectix")
    return {
        "cable": ProductFactory(supplier=excel, part_number="UTP-C6-305-BL", description="Cat6 U/UTP LSZH cable, 305m box, blue"),
        "cable6a": ProductFactory(supplier=excel, part_number="UTP-C6A-500", description="Cat6a U/FTP LSZH cable, 500m reel"),
        "patch2": ProductFactory(supplier=excel, part_number="PC6-2M-BL", description="Cat6 patch lead 2m blue, snagless"),
        "patch1": ProductFactory(supplier=other, part_number="PC6-1M-GR", description="Cat6 patch lead 1m grey"),
        "panel": ProductFactory(supplier=other, part_number="PP-24-C6", description="24 port Cat6 patch panel, 1U"),
        "switch": ProductFactory(supplier=other, part_number="SG350-28P", description="Cisco 28-port PoE+ managed switch"),
        "old": ProductFactory(supplier=other, part_number="PC6-2M-OLD", description="Cat6 patch lead 2m (discontinued)",
                              is_active=False),
    }


def _parts(products):
    return [product.part_number for product in products]


@pytest.mark.parametrize(("query", "expected"), [
    ("cat6 patch 2m", ["PC6-2M-BL"]),                   # words of the description, any order, inactive left out
    ("2m PATCH cat6", ["PC6-2M-BL"]),
    ("UTP-C6", ["UTP-C6-305-BL", "UTP-C6A-500"]),        # part-number prefix
    ("utpc6a", ["UTP-C6A-500"]),                         # typed without the punctuation
    ("c6a", ["UTP-C6A-500"]),                            # fragment of a word
    ("sg350", ["SG350-28P"]),
    ("patch panel", ["PP-24-C6"]),
    ("lszh", ["UTP-C6-305-BL", "UTP-C6A-500"]),
    ("fibre", []),
    ("%%%", []),                                         # LIKE wildcards are searched for, not obeyed
    ("p_6", []),
])
def test_search_finds_what_an_estimator_means(catalogue, query, expected):
    assert sorted(_parts(product_search(search=query))) == sorted(expected)


def test_an_exact_part_number_comes_first_then_part_number_prefixes(catalogue):
    # given a description that mentions the part number of another product
    ProductFactory(part_number="ZZ-ADAPTER", description="Adapter for PC6-2M-BL leads")
    # when
    found = _parts(product_search(search="pc6-2m-bl"))
    # then
    assert found == ["PC6-2M-BL", "ZZ-ADAPTER"]


def test_archived_suppliers_products_are_not_offered_to_the_builder_but_stay_listed(catalogue, admin_user):
    # given
    services.supplier_archive(supplier=catalogue["switch"].supplier, acting_user=admin_user)
    # then
    assert product_search(search="sg350") == []
    assert _parts(product_list(filters=ProductFilters(search="sg350"))) == ["SG350-28P"]


def test_search_text_follows_edits(catalogue, admin_user):
    services.product_update(product=catalogue["switch"], acting_user=admin_user,
                            changes={"description": "Cisco CBS350 28-port PoE switch"})
    assert _parts(product_search(search="cbs350")) == ["SG350-28P"]
    assert product_search(search="managed") == []


def test_search_uses_the_trigram_index(catalogue):
    # given the planner is told plain scans are expensive (the test table is tiny; the bench measures 100,000 rows)
    queryset = product_list(filters=ProductFilters(search="cat6 patch")).order_by()
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    # then
    assert "quotes_product_search_trgm" in plan, plan


@pytest.mark.parametrize(("query", "expected"), [
    ("patch 2m", ["PC6-2M-BL"]),            # "2m" starts a word of the description and of the part number
    ("c6 305", ["UTP-C6-305-BL"]),          # short words match the parts of a part number
    ("24 port", ["PP-24-C6"]),
    ("6a", []),                             # but not the middle of a word
])
def test_short_words_match_the_start_of_a_word(catalogue, query, expected):
    assert sorted(_parts(product_search(search=query))) == sorted(expected)


def test_the_search_text_from_the_model_and_from_the_migration_agree(catalogue):
    # given the SQL that migration 0003 ran over existing rows
    import importlib

    refresh = importlib.import_module("quotes.migrations.0003_search_text_word_parts").REFRESH
    before = dict(Product.objects.values_list("pk", "search_text"))
    # when
    with connection.cursor() as cursor:
        cursor.execute(refresh)
    # then
    assert dict(Product.objects.values_list("pk", "search_text")) == before
