"""Customer import end to end through the engine: dry-run reports, duplicate handling, atomic apply, live progress."""

import csv
import io

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from accounts.roles import Role
from core.imports import services
from core.models import Event, ImportStatus, Notification
from core.notifications import user_group_name
from crm.models import Address, Contact, Customer, CustomerStatus
from crm.tests.factories import CustomerFactory

HEADER = ["Company", "Status", "Sector", "Size", "Website", "Email", "Reg no", "Owner", "Lead score", "Tags",
          "First name", "Last name", "Contact email", "Address", "Town", "Postcode", "Country"]


def csv_bytes(rows, header=HEADER) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode()


def row(name, **values):
    cells = dict.fromkeys(HEADER, "")
    cells["Company"] = name
    cells.update({key.replace("_", " "): value for key, value in values.items()})
    return [cells[column] for column in HEADER]


@pytest.fixture
def run(admin_user, django_capture_on_commit_callbacks):
    """Upload → check (dry run) → optionally apply, with the Celery tasks running eagerly on commit."""

    def go(content: bytes, *, mode="skip", apply=False, skip_bad_rows=False, file_name="customers.csv"):
        job = services.import_job_create(kind="customers", acting_user=admin_user, file_name=file_name, content=content)
        with django_capture_on_commit_callbacks(execute=True):
            services.import_job_check(job=job, mapping=job.mapping, duplicate_mode=mode)
        job.refresh_from_db()
        if apply and job.status == ImportStatus.CHECKED:
            with django_capture_on_commit_callbacks(execute=True):
                services.import_job_apply(job=job, skip_bad_rows=skip_bad_rows)
            job.refresh_from_db()
        return job

    return go


def test_the_columns_of_a_typical_export_are_matched_automatically(admin_user):
    job = services.import_job_create(kind="customers", acting_user=admin_user, file_name="c.csv",
                                     content=csv_bytes([row("A Ltd")]))
    assert job.mapping == {
        "name": 0, "status": 1, "sector": 2, "size_band": 3, "website": 4, "email": 5, "registration_number": 6,
        "owner": 7, "lead_score": 8, "tags": 9, "contact_first_name": 10, "contact_last_name": 11,
        "contact_email": 12, "address_line1": 13, "address_town": 14, "address_postcode": 15, "address_country": 16,
    }
    assert (job.status, job.row_count, job.sample_rows[0][0]) == (ImportStatus.UPLOADED, 1, "A Ltd")


def test_the_dry_run_reports_every_bad_row_with_its_reasons_and_imports_nothing(run, admin_user):
    # given a file with good rows and one of each mistake
    content = csv_bytes([
        row("Good One Ltd", Status="Prospect", Sector="Education: schools", Size="35", Owner=admin_user.email),
        row("", Town="Leeds"),
        row("Bad Email Ltd", Email="not-an-email"),
        row("Bad Status Ltd", Status="Hot"),
        row("Bad Sector Ltd", Sector="Space tourism"),
        row("Bad Score Ltd", **{"Lead score": "150"}),
        row("Bad Owner Ltd", Owner="nobody@example.com"),
        row("Bad Postcode Ltd", Address="1 High St", Town="Leeds", Postcode="LS1", Country="UK"),
        row("Nameless Contact Ltd", **{"Contact email": "x@example.com"}),
        row("Good Two Ltd", Postcode="ls1 4ap", Address="2 Park Row", Town="Leeds"),
    ])
    # when
    job = run(content)
    # then
    assert job.status == ImportStatus.CHECKED
    assert job.counts == {"create": 2, "error": 8}
    assert job.problems == [
        {"row": 3, "errors": ["Company name is empty.", "Address line 1: This field is required.",
                              "Postcode: A UK address needs a postcode."]},
        {"row": 4, "errors": ["Main email: Enter a valid email address."]},
        {"row": 5, "errors": ["Status “Hot” is not one of: Lead, Prospect, Customer, Cold lead, Inactive, Lost."]},
        {"row": 6, "errors": ["Business sector “Space tourism” is not in your list: add it under Customers › Sectors, "
                              "or correct the spelling."]},
        {"row": 7, "errors": ["Lead score “150” should be a whole number from 0 to 100."]},
        {"row": 8, "errors": ["Account owner “nobody@example.com” is not an active user (use their email address)."]},
        {"row": 9, "errors": ["Postcode: “LS1” is not a valid UK postcode (for example B15 2TT)."]},
        {"row": 10, "errors": ["The contact has no name (give a first or last name, or leave the contact columns empty)."]},
    ]
    assert Customer.objects.count() == 0


def test_duplicates_of_existing_customers_and_of_earlier_rows_are_found_and_skipped(run):
    # given customers already in the book
    acme = CustomerFactory(name="Acme Cabling Limited")
    web = CustomerFactory(name="Webby", website="https://www.webby.co.uk/about")
    registered = CustomerFactory(name="Registered Co", registration_number="SC123456")
    content = csv_bytes([
        row("ACME CABLING LTD."),                       # same normalised name
        row("Webby Trading", Website="webby.co.uk"),    # same website domain
        row("Other Name", **{"Reg no": "sc 123456"}),   # same registration number
        row("Brand New Ltd"),
        row("Brand New Limited"),                       # same as the row above
    ])
    # when
    job = run(content, mode="skip")
    # then
    assert job.counts == {"skip": 4, "create": 1}
    assert [(d["row"], [m["id"] for m in d["matches"]], d["action"], d["note"]) for d in job.duplicates] == [
        (2, [acme.pk], "skip", ""), (3, [web.pk], "skip", ""), (4, [registered.pk], "skip", ""),
        (6, [], "skip", "Same company as row 5 of this file."),
    ]
    assert job.duplicates[1]["matches"][0]["reasons"] == ["website"]


def test_apply_creates_customers_with_their_contact_address_tags_and_history(run, admin_user):
    content = csv_bytes([
        row("Northgate Academy", Status="Prospect", Sector="Education: schools", Size="medium", Owner=admin_user.email,
            Tags="schools; WiFi", **{"First name": "Priya", "Last name": "Shah", "Contact email": "p@northgate.example",
                                     "Lead score": "60"},
            Address="1 School Lane", Town="Birmingham", Postcode="b15 2tt", Country="UK"),
        row("Second Site Ltd"),
    ])
    job = run(content, apply=True)
    assert job.status == ImportStatus.APPLIED
    assert job.counts == {"create": 2}
    assert bytes(job.content) == b""  # the file is not kept once imported
    customer = Customer.objects.get(name="Northgate Academy")
    assert (customer.status, customer.sector.name, customer.size_band, customer.owner, customer.lead_score) == (
        CustomerStatus.PROSPECT, "Education: schools", "medium", admin_user, 60)
    assert sorted(tag.name for tag in customer.tags.all()) == ["WiFi", "schools"]
    contact = Contact.objects.get(customer=customer)
    assert (contact.full_name, contact.is_primary, contact.emails.get().address) == (
        "Priya Shah", True, "p@northgate.example")
    address = Address.objects.get(customer=customer)
    assert (address.line1, address.postcode, address.country, address.is_default) == (
        "1 School Lane", "B15 2TT", "United Kingdom", True)
    assert list(Event.objects.filter(customer_id=customer.pk).order_by("id").values_list("kind", flat=True)) == [
        "crm.customer_created", "crm.contact_added", "crm.address_added"]
    notification = Notification.objects.get(recipient=admin_user)
    assert notification.message == "customers.csv imported: 2 created, 0 updated, 0 skipped."


def test_update_mode_fills_in_the_existing_customer_and_records_each_change(run, admin_user):
    existing = CustomerFactory(name="Acme Cabling Ltd", status=CustomerStatus.LEAD, website="")
    content = csv_bytes([row("Acme Cabling Limited", Status="Customer", Website="https://acme.example",
                             **{"First name": "Jo", "Last name": "Bloggs"})])
    job = run(content, mode="update", apply=True)
    assert job.counts == {"update": 1}
    existing.refresh_from_db()
    assert (existing.name, existing.status, existing.website) == ("Acme Cabling Ltd", CustomerStatus.CUSTOMER,
                                                                  "https://acme.example")
    assert list(Event.objects.filter(customer_id=existing.pk).order_by("id").values_list("kind", flat=True)) == [
        "crm.customer_changed", "crm.customer_status_changed", "crm.contact_added"]
    assert Customer.objects.count() == 1


def test_update_mode_refuses_a_row_that_matches_two_customers(run):
    CustomerFactory(name="Twin Ltd")
    CustomerFactory(name="Other", registration_number="01234567")
    job = run(csv_bytes([row("Twin Limited", **{"Reg no": "01234567"})]), mode="update")
    assert job.counts == {"error": 1}
    assert job.problems[0]["errors"] == [
        "It matches 2 records (Twin Ltd, Other): merge them first, or choose to skip or create duplicates."]


def test_create_mode_creates_duplicates_on_purpose(run):
    CustomerFactory(name="Acme Ltd")
    job = run(csv_bytes([row("Acme Limited")]), mode="create", apply=True)
    assert job.counts == {"create": 1}
    assert Customer.objects.filter(normalised_name="acme").count() == 2


def test_apply_is_refused_while_bad_rows_remain_unless_the_user_leaves_them_out(run):
    job = run(csv_bytes([row("Good Ltd"), row("Bad Ltd", Email="nope")]))
    with pytest.raises(services.ImportRefused) as refused:
        services.import_job_apply(job=job, skip_bad_rows=False)
    assert str(refused.value) == "1 rows have errors: fix the file and upload it again, or choose to skip them."
    job = run(csv_bytes([row("Good Ltd"), row("Bad Ltd", Email="nope")]), apply=True, skip_bad_rows=True)
    assert job.counts == {"create": 1, "error": 1}
    assert list(Customer.objects.values_list("name", flat=True)) == ["Good Ltd"]


def test_a_row_that_fails_during_the_apply_rolls_back_every_row_before_it(run, admin_user, django_capture_on_commit_callbacks):
    # given a dry run that passed: row 3 would update a customer...
    target = CustomerFactory(name="Target Ltd")
    content = csv_bytes([row("First New Ltd"), row("Target Limited", Website="https://target.example"), row("Last Ltd")])
    job = run(content, mode="update")
    assert job.counts == {"create": 2, "update": 1}
    # ...which someone archives before the import runs
    from django.utils import timezone
    Customer.objects.filter(pk=target.pk).update(archived_at=timezone.now())
    # when
    with django_capture_on_commit_callbacks(execute=True):
        services.import_job_apply(job=job, skip_bad_rows=False)
    job.refresh_from_db()
    # then nothing at all was imported, and the job says which row and why
    assert job.status == ImportStatus.FAILED
    assert job.failure == ("Row 3: It matches Target Ltd, which is archived: restore it first, or choose to skip or "
                           "create duplicates. Nothing was imported.")
    assert list(Customer.objects.values_list("name", flat=True)) == ["Target Ltd"]
    assert not Event.objects.filter(kind="crm.customer_created").exists()


def test_an_xlsx_file_imports_like_a_csv(run):
    from core.tests.test_import_readers import xlsx

    job = run(xlsx([["Customer name", "Postcode", "Town", "Address"], ["Excel Ltd", "dy1 1aa", "Dudley", "1 High St"]]),
              file_name="book.xlsx", apply=True)
    assert job.counts == {"create": 1}
    assert Address.objects.get(customer__name="Excel Ltd").postcode == "DY1 1AA"


def test_progress_is_pushed_live_to_the_user_who_started_the_import(run, admin_user):
    # given a socket listening on the user's live group
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(user_group_name(schema="test1", user_id=admin_user.pk), channel)
    # when a 100-row file is checked
    run(csv_bytes([row(f"Company {n:03d} Ltd") for n in range(100)]))
    # then progress bars arrive (one every 1/40 of the file at most), ending at 100 %, then the panel refresh
    messages = []
    while True:
        try:
            messages.append(async_to_sync(_receive)(layer, channel))
        except TimeoutError:
            break
    bars = [m["html"] for m in messages if 'id="import-progress-' in m["html"]]
    assert 2 <= len(bars) <= 51
    assert 'aria-valuenow="100"' in bars[-1] and "100 of 100 rows" in bars[-1]
    assert 'id="import-refresh-' in messages[-1]["html"]


async def _receive(layer, channel):
    import asyncio

    return await asyncio.wait_for(layer.receive(channel), timeout=0.5)


def test_only_importers_may_import(tenant1, make_user, client_for):
    sales = make_user(role=Role.SALES)
    assert client_for(sales).get("/customers/import/").status_code == 403
