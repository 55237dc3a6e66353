"""Large-catalogue data and the catalogue pages that `make bench` measures.

100,000 products from 20 suppliers, loaded with COPY (a few seconds, not minutes), with descriptions made of the
words estimators search for (cable grades, lengths, colours, port counts), so the search's selectivity is realistic.
"""

from __future__ import annotations

import random
import statistics
import time
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from quotes.models import Product, ProductCategory, Supplier

BENCH_PRODUCTS = 100_000
SUPPLIERS = 20
SEARCHES = ["cat6 patch 2m", "UTP-C6", "utpc6a", "24 port poe switch", "lszh 305m blue", "sfp", "ap-wifi"]

FAMILIES = [
    # part prefix, description template, category, unit, cost range (pence)
    ("UTP-C6", "Cat6 U/UTP LSZH cable {length} {colour}", "Cable", "box", (6000, 12000)),
    ("UTP-C6A", "Cat6A U/FTP LSZH cable {length} {colour}", "Cable", "reel", (18000, 32000)),
    ("PC6", "Cat6 patch lead snagless {short} {colour}", "Connectivity", "each", (60, 400)),
    ("PC6A", "Cat6A S/FTP patch lead {short} {colour}", "Connectivity", "each", (200, 900)),
    ("PP", "{ports} port Cat6 patch panel {units}U loaded", "Connectivity", "each", (2500, 9000)),
    ("KJ", "Cat6 keystone jack toolless {colour}", "Connectivity", "each", (150, 700)),
    ("CAB", "{units}U data cabinet {depth} mm glass door {colour}", "Cabinets and racks", "each", (8000, 60000)),
    ("SW", "{ports} port gigabit PoE+ managed switch {uplinks}", "Active equipment", "each", (7000, 150000)),
    ("AP-WIFI", "Wi-Fi {wifi} access point {mount} PoE", "Active equipment", "each", (9000, 40000)),
    ("SFP", "{speed} SFP transceiver {mode} LC", "Active equipment", "each", (900, 9000)),
    ("FO", "{cores} core {grade} fibre cable per metre", "Fibre", "metre", (100, 600)),
    ("LIC", "Cloud management licence {term}", "Licences and subscriptions", "year", (1500, 40000)),
]
WORDS = {
    "length": ["305m box", "500m reel", "100m", "50m"], "colour": ["blue", "grey", "white", "green", "yellow", "black"],
    "short": ["0.5m", "1m", "2m", "3m", "5m", "10m"], "ports": ["8", "16", "24", "48"], "units": ["1", "2", "9", "12", "27", "42"],
    "depth": ["450", "600", "800", "1000"], "uplinks": ["2 x SFP", "4 x SFP+", "4 x 10G SFP+"],
    "wifi": ["6", "6E", "7"], "mount": ["ceiling", "wall", "outdoor IP67"], "speed": ["1G", "10G", "25G"],
    "mode": ["multimode SR", "single-mode LX", "single-mode ER"], "cores": ["4", "8", "12", "24"],
    "grade": ["OM3", "OM4", "OS2"], "term": ["1 year", "3 years", "5 years"],
}


def quotes_bench_seed(*, stdout, products: int = BENCH_PRODUCTS) -> None:
    """Idempotent: tops the catalogue up to `products` rows."""
    existing = Product.objects.count()
    if existing >= products:
        return
    stdout.write(f"seeding {products - existing} products (COPY) ...")
    started = time.perf_counter()
    with transaction.atomic():
        suppliers = list(Supplier.objects.filter(name__startswith="Bench Supplier"))
        if not suppliers:
            suppliers = Supplier.objects.bulk_create(
                [Supplier(name=f"Bench Supplier {index:02d} Ltd", is_preferred=index == 0) for index in range(SUPPLIERS)])
        categories = {name: ProductCategory.objects.get_or_create(name=name)[0]
                      for name in {family[2] for family in FAMILIES}}
        rng = random.Random(42)
        now = timezone.now()
        columns = ("supplier_id", "part_number", "description", "category_id", "unit", "cost_price", "list_price",
                   "is_active", "notes", "search_text", "part_number_key", "created_at", "updated_at")
        with connection.cursor() as cursor, cursor.cursor.copy(
                f"COPY quotes_product ({', '.join(columns)}) FROM STDIN") as copy:
            for index in range(existing, products):
                prefix, template, category, unit, (low, high) = FAMILIES[index % len(FAMILIES)]
                description = template.format(**{key: rng.choice(values) for key, values in WORDS.items()})
                product = Product(part_number=f"{prefix}-{index:06d}-{rng.choice('ABCDEFGH')}", description=description)
                product.refresh_search_text()
                cost = Decimal(rng.randint(low, high)) / 100
                copy.write_row((suppliers[index % len(suppliers)].pk, product.part_number, description,
                                categories[category].pk, unit, cost, (cost * Decimal("1.3")).quantize(Decimal("0.01")),
                                index % 50 != 0, "", product.search_text, product.part_number_key, now, now))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE quotes_product, quotes_supplier, quotes_productcategory")
    stdout.write(f"  {products - existing} products in {time.perf_counter() - started:.1f} s")


def quotes_bench_pages(tenant) -> list[tuple[str, str]]:
    return [
        ("Products, page 1 (100,000 products)", "/catalogue/"),
        ("Products, search by words", "/catalogue/?q=cat6+patch+2m"),
        ("Products, search by part number", "/catalogue/?q=UTP-C6"),
        ("Find a product (builder's add from catalogue)", "/catalogue/search/?q=cat6+patch+2m"),
        ("API: products search", "/api/v1/products/?q=24+port+poe+switch"),
    ]


def quotes_search_timing(tenant, *, repeats: int = 30) -> dict[str, tuple[float, float, int]]:
    """Server-side time of the product search itself (SQL on 100,000 products, in-process, no HTTP), per query:
    (p50 ms, p95 ms, matches). What the builder's search costs, separate from page rendering and load."""
    from django_tenants.utils import tenant_context

    from quotes.selectors.catalogue import ProductFilters, product_list, product_search

    results = {}
    with tenant_context(tenant):
        for query in SEARCHES:
            timings = []
            for _ in range(repeats):
                started = time.perf_counter()
                found = product_search(search=query, limit=20)
                timings.append((time.perf_counter() - started) * 1000)
            timings.sort()
            matches = product_list(filters=ProductFilters(search=query)).count()
            results[query] = (statistics.median(timings), timings[max(int(len(timings) * 0.95) - 1, 0)], matches,
                              len(found))
    return results


IMPORT_ROWS = 100_000


class _RollBack(Exception):
    pass


def price_list_rows(*, rows: int, existing: list[tuple[str, str]]):
    """A distributor's price list: half of it updates products already in the catalogue (new prices), the rest are
    new parts from a supplier the import creates."""
    rng = random.Random(7)
    yield ["Supplier", "Part No", "Description", "Category", "UOM", "Cost", "RRP", "Active"]
    updates = min(len(existing), rows // 2)
    for supplier, part_number in existing[:updates]:
        cost = Decimal(rng.randint(100, 90000)) / 100
        yield [supplier, part_number, "", "", "", f"{cost}", f"{(cost * Decimal('1.3')):.2f}", "yes"]
    for index in range(rows - updates):
        prefix, template, category, unit, (low, high) = FAMILIES[index % len(FAMILIES)]
        cost = Decimal(rng.randint(low, high)) / 100
        yield ["Bench Import Distribution Ltd", f"IMP-{prefix}-{index:06d}",
               template.format(**{key: rng.choice(values) for key, values in WORDS.items()}),
               category, {"each": "ea", "metre": "m", "year": "yr"}.get(unit, unit), f"{cost}",
               f"{(cost * Decimal('1.35')):.2f}", "yes"]


def price_list_file(*, rows: int, existing: list[tuple[str, str]], file_format: str = "csv") -> bytes:
    import io

    if file_format == "xlsx":  # prices as numbers, as a spreadsheet holds them
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet()
        for number, row in enumerate(price_list_rows(rows=rows, existing=existing)):
            sheet.append(row if number == 0 else [*row[:5], float(row[5]), float(row[6]), row[7]])
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()
    import csv

    buffer = io.StringIO()
    csv.writer(buffer).writerows(price_list_rows(rows=rows, existing=existing))
    return buffer.getvalue().encode()


def quotes_import_timing(tenant, *, acting_user, rows: int = IMPORT_ROWS, file_format: str = "csv") -> dict[str, float]:
    """Seconds to import a `rows`-row price list through the engine as the worker runs it (upload, dry run, apply),
    inside a transaction rolled back at the end so the bench tenant is left as it was."""
    from django_tenants.utils import tenant_context

    from core.imports import services
    from core.models import ImportStatus

    timings: dict[str, float] = {}
    with tenant_context(tenant):
        existing = list(Product.objects.order_by("id").values_list("supplier__name", "part_number")[: rows // 2])
        content = price_list_file(rows=rows, existing=existing, file_format=file_format)
        try:
            with transaction.atomic():
                started = time.perf_counter()
                job = services.import_job_create(kind="price_list", acting_user=acting_user,
                                                 file_name=f"bench.{file_format}",
                                                 content=content, options={"create_suppliers": True})
                timings["upload"] = time.perf_counter() - started
                job.status = ImportStatus.CHECKING
                job.save(update_fields=["status"])
                started = time.perf_counter()
                services.import_job_check_run(job_id=job.pk)
                timings["check"] = time.perf_counter() - started
                job.refresh_from_db()
                assert job.status == ImportStatus.CHECKED and not job.counts.get("error"), (job.failure, job.counts)
                job.status = ImportStatus.APPLYING
                job.save(update_fields=["status"])
                started = time.perf_counter()
                services.import_job_apply_run(job_id=job.pk)
                timings["apply"] = time.perf_counter() - started
                job.refresh_from_db()
                assert job.status == ImportStatus.APPLIED, job.failure
                timings.update({f"rows_{action}": float(count) for action, count in job.counts.items()})
                raise _RollBack
        except _RollBack:
            pass
    timings["total"] = timings["upload"] + timings["check"] + timings["apply"]
    return timings
