"""The price-list import as a user goes through it: the catalogue's button, upload with the supplier option, match,
dry run, import; the same steps through the API; pinned query counts; valid HTML; Managers and Admins only."""

import json
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.roles import Role
from core.models import ImportJob, ImportStatus
from quotes.models import Product, ProductPriceChange, Supplier
from quotes.tests.factories import ProductFactory, SupplierFactory
from quotes.tests.test_imports import csv_bytes, row
from tests.html_validity import assert_valid_html

START = "/catalogue/import/"
API = "/api/v1/price-list-imports/"


def upload(client, content: bytes, name="prices.csv", **extra):
    return client.post(START, {"file": SimpleUploadedFile(name, content, content_type="text/csv"), **extra})


def test_the_catalogue_offers_the_import_to_managers_and_admins_only(admin_client1, make_user, client_for):
    # given
    sales = client_for(make_user(role=Role.SALES, email="s@test1.example.com"))
    manager = client_for(make_user(role=Role.MANAGER, email="m@test1.example.com"))
    # then
    assert 'href="/catalogue/import/"' in admin_client1.get("/catalogue/").content.decode()
    assert 'href="/catalogue/import/"' in manager.get("/catalogue/").content.decode()
    assert 'href="/catalogue/import/"' not in sales.get("/catalogue/").content.decode()
    assert sales.get(START).status_code == 403


def test_upload_match_check_and_import_through_the_pages(admin_client1, django_capture_on_commit_callbacks):
    # given a catalogue product and a file that updates it, adds one for a new supplier and has a bad row
    excel = SupplierFactory(name="Excel")
    ProductFactory(supplier=excel, part_number="UTP-C6", cost_price=Decimal("80.00"))
    page = admin_client1.get(START).content.decode()
    assert "Create suppliers that are not in the catalogue" in page
    response = upload(admin_client1, csv_bytes([row(part="UTP-C6", cost="85.00"),
                                                row(supplier="Nexus", part="NX-1", description="Nexus part"),
                                                row(part="BAD", cost="-1")]))
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/catalogue/import/{job.pk}/"
    assert job.options == {"create_suppliers": False}
    page = admin_client1.get(response["Location"]).content.decode()
    assert "Match the columns" in page and "NX-1" in page
    assert '<option value="1" selected>Part No</option>' in page
    assert 'name="option_create_suppliers" id="option-create_suppliers">' in page  # unticked
    # when the user checks it, choosing to create unknown suppliers after all
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client1.post(f"/catalogue/import/{job.pk}/check/", {
            **{f"map_{name}": str(index) for name, index in job.mapping.items()}, "option_create_suppliers": "on"})
    page = admin_client1.get(response["Location"]).content.decode()
    # then the dry run shows its counts, its notes and the bad row
    assert 'data-testid="count-create">1<' in page and 'data-testid="count-update">1<' in page
    assert 'data-testid="count-error">1<' in page and "Unchanged" in page
    assert "1 suppliers are not in the catalogue and will be created: Nexus." in page
    assert "1 existing products change price (each change goes into the price history)." in page
    assert "Cost price -1 is negative: prices are zero or more." in page
    # when imported leaving the bad row out
    with django_capture_on_commit_callbacks(execute=True):
        admin_client1.post(f"/catalogue/import/{job.pk}/apply/", {"skip_bad_rows": "on"})
    job.refresh_from_db()
    # then
    assert job.status == ImportStatus.APPLIED
    assert sorted(Product.objects.values_list("supplier__name", "part_number", "cost_price")) == [
        ("Excel", "UTP-C6", Decimal("85.00")), ("Nexus", "NX-1", Decimal("10.00"))]
    page = admin_client1.get(f"/catalogue/import/{job.pk}/").content.decode()
    assert "Imported: 1 created, 1 updated, 0 unchanged, 1 bad rows left out." in page


def test_the_supplier_option_chosen_on_upload_is_kept(admin_client1):
    upload(admin_client1, csv_bytes([row(supplier="Nexus")]), option_create_suppliers="on")
    job = ImportJob.objects.get()
    assert job.options == {"create_suppliers": True}
    assert 'name="option_create_suppliers" id="option-create_suppliers" checked>' in admin_client1.get(
        f"/catalogue/import/{job.pk}/").content.decode()


def test_the_template_lists_the_columns(admin_client1):
    response = admin_client1.get("/catalogue/import/template.csv")
    assert response["Content-Disposition"] == 'attachment; filename="price_list-template.csv"'
    assert response.content.decode().splitlines()[0] == (
        "Supplier,Part number,Description,Category,Unit,Cost price,List price,Active,Notes")


def test_import_pages_have_pinned_query_counts_and_are_valid_html(admin_client1, assert_queries,
                                                                   django_capture_on_commit_callbacks):
    SupplierFactory(name="Excel")
    upload(admin_client1, csv_bytes([row(part=f"P{n}", cost="x") for n in range(120)]))
    job = ImportJob.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        admin_client1.post(f"/catalogue/import/{job.pk}/check/", {"map_supplier": "0", "map_part_number": "1",
                                                                  "map_cost_price": "5"})
    with assert_queries(6):
        start = admin_client1.get(START)
    with assert_queries(5):
        detail = admin_client1.get(f"/catalogue/import/{job.pk}/")
    for response in (start, detail):
        assert response.status_code == 200
        assert_valid_html(response.content.decode())


# ---------------------------------------------------------------------------------------------------- the API

def test_the_same_import_through_the_api(admin_client1, admin_user, django_capture_on_commit_callbacks):
    # given
    excel = SupplierFactory(name="Excel")
    product = ProductFactory(supplier=excel, part_number="UTP-C6", list_price=Decimal("100.00"))
    content = csv_bytes([row(part="UTP-C6", price="110.00"), row(supplier="Nexus", part="NX-1"),
                         row(part="BAD", unit="furlong")])
    # when uploaded
    created = admin_client1.post(API, {"file": SimpleUploadedFile("prices.csv", content, content_type="text/csv")})
    # then
    assert created.status_code == 201, created.content
    job = created.json()
    assert job["status"] == "uploaded" and job["row_count"] == 3 and job["options"] == {"create_suppliers": False}
    assert job["mapping"]["part_number"] == 1 and job["importable_fields"][0]["name"] == "supplier"
    # when checked, matching columns by name, with unknown suppliers created
    with django_capture_on_commit_callbacks(execute=True):
        checked = admin_client1.post(f"{API}{job['id']}/check/", json.dumps({
            "mapping": {"supplier": "Supplier", "part_number": "Part No", "description": "2", "unit": "UOM",
                        "list_price": "RRP"}, "create_suppliers": True}), content_type="application/json")
    assert checked.status_code == 202, checked.content
    status = admin_client1.get(f"{API}{job['id']}/").json()
    report = admin_client1.get(f"{API}{job['id']}/report/").json()
    # then
    assert status["status"] == "checked" and status["counts"] == {"update": 1, "create": 1, "error": 1}
    assert status["notes"][0] == "1 suppliers are not in the catalogue and will be created: Nexus."
    assert report["count"] == 1 and report["results"] == [{"row": 4, "errors": [
        "Unit “furlong” is not one of: each, hour, day, metre, box, pack, reel, pair, set, licence, user, month, "
        "year."]}]
    # when applied: refused while a row is bad, then with the bad row left out
    refused = admin_client1.post(f"{API}{job['id']}/apply/", json.dumps({}), content_type="application/json")
    with django_capture_on_commit_callbacks(execute=True):
        applied = admin_client1.post(f"{API}{job['id']}/apply/", json.dumps({"skip_bad_rows": True}),
                                     content_type="application/json")
    # then
    assert refused.status_code == 409 and refused.json() == {
        "detail": "1 rows have errors: fix the file and upload it again, or choose to skip them."}
    assert applied.status_code == 202
    final = admin_client1.get(f"{API}{job['id']}/").json()
    assert final["status"] == "applied" and final["counts"] == {"update": 1, "create": 1, "error": 1}
    product.refresh_from_db()
    assert product.list_price == Decimal("110.00") and Supplier.objects.filter(name="Nexus").exists()
    assert ProductPriceChange.objects.filter(product=product, source="import").count() == 1
    assert [item["id"] for item in admin_client1.get(API).json()["results"]] == [job["id"]]
    again = admin_client1.post(f"{API}{job['id']}/check/", json.dumps({}), content_type="application/json")
    assert again.status_code == 409


def test_api_import_refusals_say_why(admin_client1):
    unreadable = admin_client1.post(API, {"file": SimpleUploadedFile("old.xls", b"x")})
    assert unreadable.status_code == 400
    assert unreadable.json() == {"file": ["Old Excel files (.xls) cannot be read: save it as .xlsx or CSV."]}
    job = admin_client1.post(API, {"file": SimpleUploadedFile("p.csv", b"Supplier,Description\nA,B\n")}).json()
    missing = admin_client1.post(f"{API}{job['id']}/check/", json.dumps({}), content_type="application/json")
    assert missing.status_code == 400 and missing.json() == {"detail": "Choose a column for: Part number."}
    wrong_column = admin_client1.post(f"{API}{job['id']}/check/", json.dumps(
        {"mapping": {"supplier": "0", "part_number": "SKU"}}), content_type="application/json")
    assert wrong_column.json() == {"mapping": ["part_number: there is no column “SKU”."]}
    unknown = admin_client1.post(f"{API}{job['id']}/check/", json.dumps({"mapping": {"colour": "0"}}),
                                 content_type="application/json")
    assert unknown.json() == {"mapping": ["Unknown fields: colour."]}
    early = admin_client1.post(f"{API}{job['id']}/apply/")
    assert early.status_code == 409 and early.json() == {"detail": "Check the file before importing it."}
    cancelled = admin_client1.post(f"{API}{job['id']}/cancel/")
    assert cancelled.json()["status"] == "cancelled"


def test_sales_users_cannot_import_through_the_api(tenant1, make_user, client_for):
    client = client_for(make_user(role=Role.SALES, email="s@test1.example.com"))
    assert client.get(API).status_code == 403
    assert client.post(API, {"file": SimpleUploadedFile("p.csv", b"a,b\n1,2\n")}).status_code == 403
    assert not ImportJob.objects.exists()
