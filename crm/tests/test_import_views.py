"""The import pages as a user goes through them: upload, match, dry run, import; pinned query counts; valid HTML."""

from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import ImportJob, ImportStatus
from crm.models import Customer
from crm.tests.test_imports import csv_bytes, row
from tests.html_validity import assert_valid_html


def upload(client, content: bytes, name="customers.csv"):
    return client.post("/customers/import/", {"file": SimpleUploadedFile(name, content, content_type="text/csv")})


def test_upload_match_check_and_import_through_the_pages(admin_client1, django_capture_on_commit_callbacks):
    # given an uploaded file
    response = upload(admin_client1, csv_bytes([row("Page Ltd", Town="Leeds", Address="1 Park Row", Postcode="LS1 5AB"),
                                                row("Broken Ltd", Email="broken")]))
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/customers/import/{job.pk}/"
    page = admin_client1.get(response["Location"]).content.decode()
    assert "Match the columns" in page and "Page Ltd" in page  # the mapping form and the preview
    assert '<option value="0" selected>Company</option>' in page
    # when the user checks it with the guessed matching
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client1.post(f"/customers/import/{job.pk}/check/", {
            **{f"map_{name}": str(index) for name, index in job.mapping.items()}, "duplicate_mode": "skip"})
    page = admin_client1.get(response["Location"]).content.decode()
    # then the dry run shows its counts and the bad row, and importing is refused until the bad row is dealt with
    assert 'data-testid="count-create">1<' in page and 'data-testid="count-error">1<' in page
    assert "Main email: Enter a valid email address." in page
    response = admin_client1.post(f"/customers/import/{job.pk}/apply/", follow=True)
    assert "1 rows have errors" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        admin_client1.post(f"/customers/import/{job.pk}/apply/", {"skip_bad_rows": "on"})
    job.refresh_from_db()
    assert job.status == ImportStatus.APPLIED
    assert list(Customer.objects.values_list("name", flat=True)) == ["Page Ltd"]
    page = admin_client1.get(f"/customers/import/{job.pk}/").content.decode()
    assert "Imported: 1 created, 0 updated, 0 skipped, 1 bad rows left out." in page


def test_a_file_that_cannot_be_read_keeps_the_user_on_the_upload_page_with_the_reason(admin_client1):
    response = upload(admin_client1, b"", name="empty.csv")
    assert response.status_code == 400
    assert "The submitted file is empty." in response.content.decode()
    response = upload(admin_client1, b"x", name="legacy.xls")
    assert "Old Excel files (.xls) cannot be read: save it as .xlsx or CSV." in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_required_field_left_unmatched_is_refused_and_the_choices_are_kept(admin_client1):
    upload(admin_client1, csv_bytes([row("Kept Ltd")]))
    job = ImportJob.objects.get()
    response = admin_client1.post(f"/customers/import/{job.pk}/check/", {"map_address_town": "14", "duplicate_mode": "update"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Choose a column for: Company name." in page
    assert '<option value="14" selected>Town</option>' in page
    assert 'value="update" checked' in page


def test_import_pages_have_pinned_query_counts_and_are_valid_html(admin_client1, assert_queries,
                                                                   django_capture_on_commit_callbacks):
    upload(admin_client1, csv_bytes([row(f"Bad {n}", Email="x") for n in range(120)]))
    job = ImportJob.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        admin_client1.post(f"/customers/import/{job.pk}/check/", {"map_name": "0", "map_email": "5",
                                                                  "duplicate_mode": "skip"})
    with assert_queries(6):
        start = admin_client1.get("/customers/import/")
    with assert_queries(5):
        detail = admin_client1.get(f"/customers/import/{job.pk}/")
    for response in (start, detail):
        assert response.status_code == 200
        assert_valid_html(response.content.decode())
    problems = admin_client1.get(f"/customers/import/{job.pk}/", {"problems": 3}, HTTP_HX_REQUEST="true",
                                 HTTP_HX_TARGET="problems")
    fragment = problems.content.decode()
    assert_valid_html(fragment, fragment=True)
    assert fragment.count("<tr>") == 21 and "Page 3 of 3" in fragment  # 20 rows on the last page + the header
    panel = admin_client1.get(f"/customers/import/{job.pk}/panel/")
    assert_valid_html(panel.content.decode(), fragment=True)
    template = admin_client1.get("/customers/import/template.csv")
    assert template.content.decode().splitlines()[0].startswith("Company name,Status,Business sector,Size,")
