"""A manager imports a spreadsheet of customers: matches the columns, reads the dry-run report, leaves out the bad
row and watches the import progress live until it is done, without reloading the page."""

from __future__ import annotations

import csv
import io

from playwright.sync_api import expect

from tests.browser.conftest import IMPORT_PROGRESS_SCRIPT, provision_and_sign_in

SLUG = "importco"
PASSWORD = "Importco-ledger-77"
ROWS = 400


def _spreadsheet() -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Company", "Status", "Website", "Email", "First name", "Last name", "Address", "Town", "Postcode"])
    for number in range(ROWS):
        email = "accounts@" if number != 7 else "broken-at-"
        writer.writerow([f"Imported Company {number:03d} Ltd", "Prospect", f"https://company{number:03d}.example",
                         f"{email}company{number:03d}.example", "Alex", f"Contact{number:03d}", f"{number} High Street",
                         "Leeds", "LS1 4AP"])
    return buffer.getvalue().encode()


def test_a_spreadsheet_is_checked_then_imported_with_live_progress(ccs_server, page, wait_for_live):
    # Given a company whose admin is signed in
    page.add_init_script(IMPORT_PROGRESS_SCRIPT)
    base = provision_and_sign_in(ccs_server, page, slug=SLUG, name="Import Co", email="kim@importco.example", password=PASSWORD)

    # When they upload a CSV from the customer list
    page.goto(f"{base}/customers/")
    page.get_by_test_id("import").click()
    page.get_by_label("CSV or Excel file").set_input_files(
        files=[{"name": "customers.csv", "mimeType": "text/csv", "buffer": _spreadsheet()}])
    page.get_by_role("button", name="Upload and match columns").click()

    # Then the columns are matched for them and the first rows are shown
    expect(page.get_by_role("heading", name="Match the columns")).to_be_visible()
    expect(page.get_by_label("Company name")).to_have_value("0")
    expect(page.get_by_label("Postcode")).to_have_value("8")
    expect(page.get_by_test_id("preview")).to_contain_text("Imported Company 000 Ltd")

    # When they run the dry run, the report arrives in the page by itself
    wait_for_live(page)
    page.get_by_role("button", name="Check the file (dry run)").click()
    expect(page.get_by_test_id("import-check-result")).to_be_visible(timeout=30_000)
    expect(page.get_by_test_id("count-create")).to_have_text(str(ROWS - 1))
    expect(page.get_by_test_id("count-error")).to_have_text("1")
    expect(page.get_by_role("cell", name="Main email: Enter a valid email address.")).to_be_visible()

    # And they leave the bad row out and import: progress shows live, then the result, without a reload
    page.get_by_label("Leave out the 1 row with errors").check()
    wait_for_live(page)
    page.get_by_role("button", name=f"Import {ROWS - 1} rows").click()
    expect(page.get_by_test_id("import-done")).to_contain_text(
        f"Imported: {ROWS - 1} created, 0 updated, 0 skipped, 1 bad rows left out.", timeout=90_000)
    seen = page.evaluate("window.__progress")
    assert len(seen) >= 2, seen  # the bar moved while it ran

    # And the customers are there, with their contact and address
    page.get_by_role("link", name="Go to customers").click()
    expect(page.get_by_text(f"{ROWS - 1} customers")).to_be_visible()
    page.wait_for_load_state("load")  # htmx binds the live search when the page has loaded: type after that
    page.locator("#id_q").fill("company 042")
    page.get_by_role("link", name="Imported Company 042 Ltd").click()
    expect(page.locator("address").filter(has_text="42 High Street")).to_contain_text("LS1 4AP")
    page.get_by_role("tab", name="Contacts").click()
    expect(page.get_by_role("heading", name="Alex Contact042")).to_be_visible()
