"""An estimator builds a quote with the keyboard only: a typed line, a line from the catalogue, one line made
optional while the totals follow; long descriptions, 40-character part numbers and 60-character supplier names are
fully visible at 1366 px with no horizontal scrollbar; then they send it, revise it and compare R1 with R2."""

from __future__ import annotations

import subprocess
import sys

from playwright.sync_api import expect

from tests.browser.conftest import ROOT

SLUG = "quoteco"
PASSWORD = "Quoteco-estimate-2026"
PART_40 = "C6A-PP-24-SHIELDED-1U-ANGLED-BLACK-00042"  # 40 characters
SUPPLIER_60 = "Excel Networking Solutions Distribution Partners (Midlands)"[:60]
DESCRIPTION_260 = ("Supply and install Cat6a U/FTP LSZH cabling from the comms room to each classroom, terminated on "
                   "shielded keystone jacks in dual faceplates, labelled at both ends to the school's scheme, tested "
                   "with a Fluke DSX-8000 and certified, with the test results handed over as PDF on completion.")

SEED = f"""
import django
django.setup()
from decimal import Decimal
from django_tenants.utils import schema_context
from crm.services.customers import customer_create
from quotes.services.catalogue import product_create, supplier_create
with schema_context({SLUG!r}):
    customer_create(acting_user=None, name="Oakfield Primary School")
    supplier = supplier_create(acting_user=None, name={SUPPLIER_60!r})
    product_create(acting_user=None, supplier=supplier, part_number={PART_40!r},
                   description="Cat6a 24-port shielded patch panel, 1U, angled, black", unit="each",
                   cost_price=Decimal("54.20"), list_price=Decimal("89.00"))
"""


def _provision(ccs_server) -> None:
    for command in (
        [sys.executable, "manage.py", "create_tenant", "--slug", SLUG, "--name", "Quoteco Cabling",
         "--admin-email", "eve@quoteco.example", "--admin-password", PASSWORD, "--admin-first-name", "Eve"],
        [sys.executable, "-c", SEED],
    ):
        result = subprocess.run(command, cwd=ROOT, env=ccs_server.env, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stdout + result.stderr


def _press(page, locator, key: str = "Enter") -> None:
    """Reach a control as Tab would (focus) and press a key on it: no mouse anywhere in this test."""
    locator.focus()
    page.keyboard.press(key)


def _fully_visible(locator) -> bool:
    return locator.evaluate("el => el.scrollWidth <= el.clientWidth + 1 && el.scrollHeight <= el.clientHeight + 1")


def test_a_quote_is_built_with_the_keyboard_sent_revised_and_compared(ccs_server, new_context):
    # Given a company with a customer and a catalogue product, and an estimator at 1366 px
    _provision(ccs_server)
    base = ccs_server.tenant_url(SLUG)
    page = new_context(viewport={"width": 1366, "height": 800}).new_page()
    page.goto(f"{base}/accounts/sign-in/")
    page.get_by_label("Email").type("eve@quoteco.example")
    page.get_by_label("Password").type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{base}/")

    # When they start a quote for the customer from the keyboard
    page.goto(f"{base}/quotes/new/")
    page.wait_for_load_state("networkidle")
    page.get_by_label("Which customer is it for?").type("oakfield")
    match = page.get_by_test_id("customer-matches").get_by_role("link", name="Oakfield Primary School")
    expect(match).to_be_visible()
    _press(page, match)
    page.get_by_label("Title").type("Classroom cabling")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Classroom cabling")).to_be_visible()
    page.wait_for_load_state("networkidle")

    # And type a line: long description, quantity 3, cost 100, price 150, moving with Tab
    _press(page, page.get_by_role("button", name="Add a line"))
    expect(page.get_by_test_id("line-row")).to_have_count(1)
    page.get_by_test_id("line-row").get_by_label("Description").focus()
    page.keyboard.insert_text(DESCRIPTION_260)
    page.keyboard.press("Tab")  # -> optional
    page.keyboard.press("Tab")  # -> recurring
    page.keyboard.press("Tab")  # -> option group
    page.keyboard.press("Tab")  # -> quantity
    page.keyboard.press("Control+A")
    page.keyboard.type("3")
    page.keyboard.press("Tab")  # -> unit
    page.keyboard.press("Tab")  # -> unit cost
    page.keyboard.press("Control+A")
    page.keyboard.type("100")
    page.keyboard.press("Tab")  # -> markup
    page.keyboard.press("Tab")  # -> unit price
    page.keyboard.press("Control+A")
    page.keyboard.type("150")
    page.keyboard.press("Tab")
    # Then the totals follow: 3 x 150.00 = 450.00, VAT 90.00, margin 150.00 (33.33 %)
    expect(page.get_by_test_id("total-net")).to_have_text("450.00")
    expect(page.get_by_test_id("total-total")).to_have_text("GBP 540.00")
    expect(page.get_by_test_id("total-margin")).to_have_text("150.00 (33.33 %)")

    # When they add the patch panel from the catalogue: type, arrow down, Enter
    page.get_by_label("Part number or words of the description").type("patch panel")
    pick = page.get_by_test_id("catalogue-pick")
    expect(pick).to_have_count(1)
    page.keyboard.press("ArrowDown")
    expect(pick).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("line-row")).to_have_count(2)
    expect(page.get_by_test_id("total-net")).to_have_text("539.00")
    expect(page.get_by_label("Part number or words of the description")).to_be_focused()

    # Then the long description wraps in full, and the 40-character part number and 60-character supplier show whole
    rows = page.get_by_test_id("line-row")
    assert _fully_visible(rows.nth(0).get_by_label("Description"))
    assert rows.nth(0).get_by_label("Description").evaluate("el => el.value.length") == len(DESCRIPTION_260)
    assert rows.nth(0).get_by_label("Description").evaluate("el => el.clientHeight") > 60  # it grew
    assert rows.nth(1).get_by_label("Part number").input_value() == PART_40
    assert rows.nth(1).get_by_label("Supplier").input_value() == SUPPLIER_60
    assert _fully_visible(rows.nth(1).get_by_label("Part number"))
    assert _fully_visible(rows.nth(1).get_by_label("Supplier"))
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")

    # When the patch panel is made optional with the space bar
    _press(page, rows.nth(1).get_by_label("optional"), "Space")
    # Then it leaves the totals and shows apart
    expect(page.get_by_test_id("total-net")).to_have_text("450.00")
    expect(page.get_by_test_id("total-optional")).to_have_text("89.00")

    # When they mark it sent, revise it and change the quantity of the first line to 5
    _press(page, page.get_by_role("button", name="Mark as sent"))  # (the email dialog has its own browser test)
    expect(page.get_by_test_id("quote-status")).to_have_text("Sent")
    _press(page, page.get_by_role("button", name="Revise"))
    expect(page.get_by_test_id("quote-status")).to_have_text("Draft")
    expect(page.get_by_role("heading", name="Classroom cabling")).to_contain_text("R2")
    page.wait_for_load_state("networkidle")
    quantity = page.get_by_test_id("line-row").nth(0).get_by_label("Quantity")
    quantity.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("5")
    page.keyboard.press("Enter")  # Enter saves and moves to the next line's quantity, as in a spreadsheet
    expect(page.get_by_test_id("line-row").nth(1).get_by_label("Quantity")).to_be_focused()
    expect(page.get_by_test_id("total-net")).to_have_text("750.00")

    # Then the comparison shows R1 against the R2 draft: one line changed, totals up by 300.00
    _press(page, page.get_by_test_id("compare-link"))
    expect(page.get_by_test_id("diff-summary")).to_contain_text("0 added, 0 removed, 1 changed, 0 moved, 1 unchanged.")
    changed = page.get_by_test_id("diff-changed")
    expect(changed).to_contain_text("Quantity")
    expect(changed.locator("del").first).to_have_text("3")
    expect(changed.locator("ins").first).to_have_text("5")
    expect(page.get_by_test_id("diff-totals").get_by_role("row", name="Net (one-off)")).to_contain_text("+300.00")
