"""Price-list import through the engine: every bad-row reason, the upsert by supplier + part number, price history,
unknown suppliers (reported or created), and the all-or-nothing apply."""

import csv
import io
from decimal import Decimal

import pytest

from core.imports import services
from core.imports.registry import mapping_guess
from core.models import Event, ImportStatus
from quotes.imports import parse_money, price_list_importer
from quotes.models import Product, ProductPriceChange, Supplier
from quotes.tests.factories import ProductCategoryFactory, ProductFactory, SupplierFactory

HEADER = ["Supplier", "Part No", "Description", "Category", "UOM", "Cost", "RRP", "Active", "Notes"]


def csv_bytes(rows, header=HEADER) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode()


def row(supplier="Excel", part="UTP-C6", description="Cat6 cable", category="", unit="", cost="10.00", price="15.00",
        active="", notes=""):
    return [supplier, part, description, category, unit, cost, price, active, notes]


@pytest.fixture
def run(admin_user, django_capture_on_commit_callbacks):
    """Upload → dry run → optionally apply, with the Celery tasks running eagerly on commit."""

    def go(content: bytes, *, apply=False, skip_bad_rows=False, options=None, mapping=None, file_name="prices.csv"):
        job = services.import_job_create(kind="price_list", acting_user=admin_user, file_name=file_name,
                                         content=content, options=options)
        with django_capture_on_commit_callbacks(execute=True):
            services.import_job_check(job=job, mapping=mapping or job.mapping, duplicate_mode="skip")
        job.refresh_from_db()
        if apply and job.status == ImportStatus.CHECKED:
            with django_capture_on_commit_callbacks(execute=True):
                services.import_job_apply(job=job, skip_bad_rows=skip_bad_rows)
            job.refresh_from_db()
        return job

    return go


def problems(job) -> dict[int, list[str]]:
    return {problem["row"]: problem["errors"] for problem in job.problems}


def test_the_columns_of_a_distributor_price_list_are_matched_automatically(tenant1):
    assert mapping_guess(importer=price_list_importer, headers=HEADER) == {
        "supplier": 0, "part_number": 1, "description": 2, "category": 3, "unit": 4, "cost_price": 5,
        "list_price": 6, "is_active": 7, "notes": 8}


@pytest.mark.parametrize("text, value", [
    ("12.5", Decimal("12.50")), ("£1,234.50", Decimal("1234.50")), ("0", Decimal("0.00")), (" 3 ", Decimal("3.00")),
    ("0.345", Decimal("0.35")), ("0.344", Decimal("0.34")), ("$1,000,000", Decimal("1000000.00")),
])
def test_prices_are_read_as_typed_in_a_spreadsheet_and_rounded_half_up_to_the_penny(text, value):
    assert parse_money(text, "cost_price") == (value, "")


@pytest.mark.parametrize("text, error", [
    ("-1.00", "Cost price -1.00 is negative: prices are zero or more."),
    ("ten", "Cost price “ten” is not a number."),
    ("12,50", "Cost price “12,50” is not a number (use a dot for pence, e.g. 12.50)."),
    ("NaN", "Cost price “NaN” is not a number."),
    ("99999999999", "Cost price 99999999999 is too large."),
])
def test_prices_that_cannot_be_right_are_refused_with_the_reason(text, error):
    assert parse_money(text, "cost_price") == (None, error)


def test_every_bad_row_is_reported_with_its_reason_and_good_rows_are_counted(run):
    # given
    excel = SupplierFactory(name="Excel")
    SupplierFactory(name="Old Co", archived_at="2026-01-01T00:00:00Z")
    ProductCategoryFactory(name="Cable")
    content = csv_bytes([
        row(part="GOOD-1", category="cable", unit="ea"),                 # 2: good
        row(cost="-5.00"),                                                # 3: negative cost
        row(part="P3", price="abc"),                                      # 4: not a number
        row(part=""),                                                     # 5: no part number
        row(part="P6", unit="furlong"),                                   # 6: unknown unit
        row(part="P7", category="Cabling"),                               # 7: unknown category
        row(supplier="Nobody Ltd", part="P8"),                            # 8: unknown supplier
        row(part="GOOD-1", description="again"),                          # 9: duplicate of row 2
        row(part="X" * 41),                                               # 10: too long
        row(part="P11", description=""),                                  # 11: new product without description
        row(supplier="Old Co", part="P12"),                               # 12: archived supplier
        row(supplier="", part="P13"),                                     # 13: no supplier
        row(part="P14", active="maybe"),                                  # 14: active neither yes nor no
        row(part="GOOD-2", unit="hrs", cost="£1,200.00", price="", active="discontinued"),  # 15: good
    ])
    # when
    job = run(content)
    # then
    assert job.status == ImportStatus.CHECKED
    assert job.counts == {"create": 2, "error": 12}
    assert problems(job) == {
        3: ["Cost price -5.00 is negative: prices are zero or more."],
        4: ["List price “abc” is not a number."],
        5: ["Part number is empty."],
        6: ["Unit “furlong” is not one of: each, hour, day, metre, box, pack, reel, pair, set, licence, user, month, year."],
        7: ["Category “Cabling” is not in the list: add it under Catalogue › Categories, or correct the spelling."],
        8: ["Supplier “Nobody Ltd” is not in the catalogue: add it under Catalogue › Suppliers, correct the spelling, "
            "or choose to create unknown suppliers."],
        9: ["Part number GOOD-1 of Excel is also on row 2: keep one of the two."],
        10: [f"Part number “{'X' * 41}” is longer than 40 characters."],
        11: ["Description is empty: a new product needs one."],
        12: ["Supplier Old Co is archived: restore it under Catalogue › Suppliers first."],
        13: ["Supplier is empty."],
        14: ["Active “maybe” should be yes or no."],
    }
    assert not Product.objects.exists()  # a dry run writes nothing
    # when the user leaves the bad rows out
    with_skips = run(content, apply=True, skip_bad_rows=True)
    # then
    assert with_skips.status == ImportStatus.APPLIED and with_skips.counts == {"create": 2, "error": 12}
    products = {p.part_number: p for p in Product.objects.select_related("category")}
    assert sorted(products) == ["GOOD-1", "GOOD-2"]
    assert products["GOOD-1"].category.name == "Cable" and products["GOOD-1"].unit == "each"
    assert products["GOOD-2"].unit == "hour" and products["GOOD-2"].cost_price == Decimal("1200.00")
    assert products["GOOD-2"].list_price == Decimal("0.00") and products["GOOD-2"].is_active is False
    assert products["GOOD-1"].supplier == excel
    assert products["GOOD-1"].search_text == "good-1 good1 good 1 cat6 cable"  # found by search like any product


def test_upsert_updates_only_the_matched_columns_and_records_price_history(run, admin_user):
    # given a catalogue with two products of one supplier
    excel = SupplierFactory(name="Excel")
    cable = ProductCategoryFactory(name="Cable")
    changed = ProductFactory(supplier=excel, part_number="UTP-C6-305", description="Old description", category=cable,
                             cost_price=Decimal("80.00"), list_price=Decimal("120.00"), notes="keep me")
    same = ProductFactory(supplier=excel, part_number="PC6-2M", description="Patch lead", cost_price=Decimal("1.10"),
                          list_price=Decimal("2.95"))
    header = ["Supplier", "Part number", "Description", "Cost price", "List price"]
    content = csv_bytes([
        ["EXCEL", "utp-c6-305", "Cat6 cable 305m box", "89.50", ""],  # any case matches; empty list price: unchanged
        ["Excel", "PC6-2M", "Patch lead", "1.10", "2.95"],            # nothing changes
        ["Excel", "NEW-1", "New part", "5", "7.5"],
    ], header=header)
    # when
    job = run(content, apply=True)
    # then
    assert job.status == ImportStatus.APPLIED, job.failure
    assert job.counts == {"update": 1, "skip": 1, "create": 1}
    changed.refresh_from_db()
    assert (changed.part_number, changed.description, changed.cost_price, changed.list_price, changed.notes,
            changed.category) == ("UTP-C6-305", "Cat6 cable 305m box", Decimal("89.50"), Decimal("120.00"), "keep me",
                                  cable)
    assert "305m" in changed.search_text  # search sees the new description
    history = list(ProductPriceChange.objects.filter(source="import").order_by("product__part_number").values_list(
        "product__part_number", "old_cost_price", "new_cost_price", "old_list_price", "new_list_price", "changed_by"))
    assert history == [
        ("NEW-1", None, Decimal("5.00"), None, Decimal("7.50"), admin_user.pk),
        ("UTP-C6-305", Decimal("80.00"), Decimal("89.50"), Decimal("120.00"), Decimal("120.00"), admin_user.pk),
    ]
    same.refresh_from_db()
    assert same.updated_at < changed.updated_at
    event = Event.objects.get(kind="quotes.price_list_imported")
    assert event.data == {"file": "prices.csv", "created": 1, "updated": 1, "price_changes": 2, "new_suppliers": 0,
                          "suppliers": []}


def test_a_new_description_without_a_price_change_writes_no_price_history(run):
    # given
    product = ProductFactory(supplier=SupplierFactory(name="Excel"), part_number="A-1")
    # when
    job = run(csv_bytes([["Excel", "A-1", "Renamed"]], header=["Supplier", "Part number", "Description"]), apply=True)
    # then
    assert job.counts == {"update": 1}
    product.refresh_from_db()
    assert product.description == "Renamed" and product.cost_price == Decimal("10.00")
    assert not ProductPriceChange.objects.filter(source="import").exists()


def test_unknown_suppliers_are_created_when_the_user_chooses_so(run, admin_user):
    # given
    content = csv_bytes([row(supplier="Comms Express", part="A"), row(supplier="comms express", part="B"),
                         row(supplier="Nexus", part="A")])
    # when
    job = run(content, options={"create_suppliers": True})
    # then the dry run says which suppliers it would create
    assert job.options == {"create_suppliers": True} and job.counts == {"create": 3}
    assert job.notes == ["2 suppliers are not in the catalogue and will be created: Comms Express, Nexus."]
    assert not Supplier.objects.exists()
    # when applied
    with_apply = run(content, apply=True, options={"create_suppliers": True})
    # then
    assert with_apply.status == ImportStatus.APPLIED, with_apply.failure
    assert sorted(Supplier.objects.values_list("name", flat=True)) == ["Comms Express", "Nexus"]
    assert sorted(Product.objects.values_list("supplier__name", "part_number")) == [
        ("Comms Express", "A"), ("Comms Express", "B"), ("Nexus", "A")]
    assert Event.objects.filter(kind="quotes.supplier_created", actor=admin_user).count() == 2


def test_the_same_part_number_twice_for_a_new_supplier_is_caught_too(run):
    job = run(csv_bytes([row(supplier="Nexus", part="A"), row(supplier="NEXUS", part="a")]),
              options={"create_suppliers": True})
    assert problems(job) == {3: ["Part number a of NEXUS is also on row 2: keep one of the two."]}


def test_a_row_that_fails_at_apply_time_rolls_everything_back(run, admin_user, django_capture_on_commit_callbacks):
    # given a file whose dry run was clean
    excel = SupplierFactory(name="Excel")
    other = SupplierFactory(name="Other")
    existing = ProductFactory(supplier=excel, part_number="KEEP", cost_price=Decimal("1.00"))
    content = csv_bytes([row(part="KEEP", cost="2.00"), row(part="NEW-1"), row(supplier="Other", part="NEW-2"),
                         row(part="NEW-3")])
    job = run(content)
    assert job.counts == {"update": 1, "create": 3}
    # when the supplier of row 4 is archived before the import is applied
    other.archived_at = "2026-01-01T00:00:00Z"
    other.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.import_job_apply(job=job, skip_bad_rows=False)
    job.refresh_from_db()
    # then nothing at all was written, and the user is told which row and why
    assert job.status == ImportStatus.FAILED
    assert job.failure == ("Row 4: Supplier Other is archived: restore it under Catalogue › Suppliers first. "
                           "Nothing was imported.")
    assert list(Product.objects.values_list("part_number", flat=True)) == ["KEEP"]
    existing.refresh_from_db()
    assert existing.cost_price == Decimal("1.00")
    assert not ProductPriceChange.objects.filter(source="import").exists()
    assert not Event.objects.filter(kind="quotes.price_list_imported").exists()


def test_a_write_refused_by_the_database_rolls_back_what_was_already_written(run):
    # given a clean dry run, and a database that refuses the price history, written after the products
    # (a trigger stands for what no check can foresee: a lost connection, a disk full, a constraint added later)
    from django.db import connection

    SupplierFactory(name="Excel")
    updated = ProductFactory(supplier=Supplier.objects.get(name="Excel"), part_number="OLD", cost_price=Decimal("1.00"))
    rows = [row(part=f"P-{n}") for n in range(5)] + [row(part="OLD", cost="2.00")]
    with connection.cursor() as cursor:
        cursor.execute("""
            CREATE FUNCTION refuse_history() RETURNS trigger AS $$
            BEGIN RAISE EXCEPTION 'disk full'; END $$ LANGUAGE plpgsql;
            CREATE TRIGGER refuse_history BEFORE INSERT ON quotes_productpricechange
            FOR EACH ROW EXECUTE FUNCTION refuse_history();""")
    # when
    job = run(csv_bytes(rows), apply=True)
    # then the products written before it are gone too
    assert job.status == ImportStatus.FAILED
    assert job.failure.startswith("The import stopped: disk full") and job.failure.endswith("Nothing was imported.")
    assert list(Product.objects.values_list("part_number", flat=True)) == ["OLD"]
    updated.refresh_from_db()
    assert updated.cost_price == Decimal("1.00")
    assert not Event.objects.filter(kind="quotes.price_list_imported").exists()


def test_the_progress_of_a_bulk_apply_reaches_all_rows(run):
    from django.core.cache import cache

    SupplierFactory(name="Excel")
    job = run(csv_bytes([row(part=f"P-{n}") for n in range(90)]), apply=True)
    assert cache.get(services.progress_key(job.pk)) == {"done": 90, "percent": 100, "phase": "apply"}


def test_an_xlsx_price_list_imports_like_a_csv(run):
    from openpyxl import Workbook

    SupplierFactory(name="Excel")
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(["Excel", "XL-1", "From Excel", None, "m", 0.5, 1.25, "yes", None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    job = run(buffer.getvalue(), apply=True, file_name="prices.xlsx")
    assert job.status == ImportStatus.APPLIED, job.failure
    product = Product.objects.get()
    assert (product.part_number, product.unit, product.cost_price, product.list_price) == (
        "XL-1", "metre", Decimal("0.50"), Decimal("1.25"))
