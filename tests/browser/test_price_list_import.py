"""A manager imports a distributor's price list from the catalogue: ticks "create unknown suppliers", reads the
dry-run report, leaves out the bad row and watches the bulk import progress live until it is done."""

from __future__ import annotations

import csv
import io

from playwright.sync_api import expect

from tests.browser.conftest import IMPORT_PROGRESS_SCRIPT, provision_and_sign_in

SLUG = "priceco"
PASSWORD = "Priceco-ledger-77"
ROWS = 20_000  # enough for the apply to take a few seconds, so the live bar is seen moving


def _price_list() -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Vendor", "SKU", "Product description", "UOM", "Trade price", "RRP"])
    for number in range(ROWS):
        writer.writerow(["Nexus Distribution", f"NX-{number:05d}", f"Cat6 patch lead {number} blue", "ea",
                         "-1.00" if number == 7 else f"{1 + number % 50}.25", f"{2 + number % 50}.95"])
    return buffer.getvalue().encode()


def test_a_price_list_is_checked_then_imported_with_live_progress(ccs_server, page, wait_for_live):
    # Given a company whose admin is signed in
    page.add_init_script(IMPORT_PROGRESS_SCRIPT)
    base = provision_and_sign_in(ccs_server, page, slug=SLUG, name="Price Co", email="lee@priceco.example", password=PASSWORD)

    # When they upload a price list from the catalogue, choosing to create the supplier it names
    page.goto(f"{base}/catalogue/")
    page.get_by_test_id("import").click()
    page.get_by_label("CSV or Excel file").set_input_files(
        files=[{"name": "nexus.csv", "mimeType": "text/csv", "buffer": _price_list()}])
    page.get_by_label("Create suppliers that are not in the catalogue").check()
    page.get_by_role("button", name="Upload and match columns").click()

    # Then the columns are matched for them
    expect(page.get_by_role("heading", name="Match the columns")).to_be_visible()
    expect(page.locator("#map-supplier")).to_have_value("0")
    expect(page.locator("#map-part_number")).to_have_value("1")
    expect(page.locator("#map-cost_price")).to_have_value("4")
    expect(page.get_by_label("Create suppliers that are not in the catalogue")).to_be_checked()

    # When they run the dry run, the report arrives by itself
    wait_for_live(page)
    page.get_by_role("button", name="Check the file (dry run)").click()
    expect(page.get_by_test_id("import-check-result")).to_be_visible(timeout=60_000)
    expect(page.get_by_test_id("count-create")).to_have_text(str(ROWS - 1))
    expect(page.get_by_test_id("count-error")).to_have_text("1")
    expect(page.get_by_test_id("import-note")).to_have_text(
        "1 suppliers are not in the catalogue and will be created: Nexus Distribution.")
    expect(page.get_by_role("cell", name="Cost price -1.00 is negative: prices are zero or more.")).to_be_visible()

    # And they leave the bad row out and import: progress shows live, then the result, without a reload
    page.get_by_label("Leave out the 1 row with errors").check()
    wait_for_live(page)
    page.get_by_role("button", name=f"Import {ROWS - 1:,} rows".replace(",", "")).click()
    expect(page.get_by_test_id("import-done")).to_contain_text(
        f"Imported: {ROWS - 1} created, 0 updated, 0 unchanged, 1 bad rows left out.", timeout=120_000)
    seen = page.evaluate("window.__progress")
    assert len(seen) >= 2, seen

    # And the products are in the catalogue, found by search
    page.get_by_role("link", name="Go to price list").click()
    expect(page).to_have_url(f"{base}/catalogue/")
    page.goto(f"{base}/catalogue/?q=NX-01234")
    expect(page.get_by_role("link", name="NX-01234", exact=True)).to_be_visible()
