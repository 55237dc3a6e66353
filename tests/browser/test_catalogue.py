"""A manager builds a small catalogue: a supplier, two products; the live search narrows the list as they type;
a price change shows in the product's price history."""

from __future__ import annotations

import re
import subprocess
import sys

from playwright.sync_api import expect

from tests.browser.conftest import ROOT

SLUG = "copperline"
PASSWORD = "Copperline-reel-305"


def _provision(ccs_server) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "create_tenant", "--slug", SLUG, "--name", "Copperline Cabling",
         "--admin-email", "kim@copperline.example", "--admin-password", PASSWORD, "--admin-first-name", "Kim"],
        cwd=ROOT, env=ccs_server.env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _open_catalogue(page) -> None:
    page.get_by_role("complementary", name="Sections").get_by_role("link", name="Catalogue").click()


def _add_product(page, part: str, description: str, cost: str, price: str) -> None:
    _open_catalogue(page)
    page.get_by_role("link", name="New product").click()
    page.get_by_label("Supplier").select_option(label="Midland Cable Distribution")
    page.get_by_label("Part number").fill(part)
    page.get_by_label("Description").fill(description)
    page.get_by_label("Unit").select_option("each")
    page.get_by_label("Cost price").fill(cost)
    page.get_by_label("List price").fill(price)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name=part)).to_be_visible()


def test_a_catalogue_is_built_searched_live_and_keeps_its_price_history(ccs_server, page):
    # Given a company with a signed-in admin
    _provision(ccs_server)
    base = ccs_server.tenant_url(SLUG)
    page.goto(f"{base}/accounts/sign-in/")
    page.get_by_label("Email").fill("kim@copperline.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{base}/")

    # When they add a supplier and two products from the Catalogue section
    _open_catalogue(page)
    expect(page.get_by_text("No products yet.")).to_be_visible()
    page.get_by_role("link", name="Suppliers").click()
    page.get_by_role("link", name="New supplier").click()
    page.get_by_label(re.compile(r"^Name")).fill("Midland Cable Distribution")
    page.get_by_label("Our account number").fill("MCD-40217")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("supplier-row")).to_have_count(1)
    _add_product(page, "PC6-2M-BL", "Cat6 U/UTP patch lead, LSZH, snagless, 2 m, blue", "1.35", "2.90")
    _add_product(page, "UTP-C6-305-BL", "Cat6 U/UTP LSZH cable, 305 m box, blue", "92.40", "139.00")

    # Then typing in the search narrows the list without a page load, and the address follows
    _open_catalogue(page)
    expect(page.get_by_test_id("product-row")).to_have_count(2)
    page.wait_for_load_state("networkidle")  # htmx has bound the live search before anything is typed
    page.evaluate("window.__samePage = true")
    page.get_by_label("Search").fill("cat6 patch 2m")
    expect(page.get_by_test_id("product-row")).to_have_count(1)
    expect(page.get_by_test_id("product-row")).to_contain_text("PC6-2M-BL")
    expect(page).to_have_url(re.compile(r"q=cat6(\+|%20)patch(\+|%20)2m"))
    assert page.evaluate("window.__samePage") is True
    page.get_by_label("Search").fill("utpc6")
    expect(page.get_by_test_id("product-row")).to_have_count(1)
    expect(page.get_by_test_id("product-row")).to_contain_text("UTP-C6-305-BL")

    # And a new cost price is added to the product's price history
    page.get_by_role("link", name="UTP-C6-305-BL").click()
    page.get_by_role("link", name="Edit", exact=True).click()
    page.get_by_label("Cost price").fill("97.00")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("price-change")).to_have_count(2)
    expect(page.get_by_test_id("price-change").first).to_contain_text("97.00")
    expect(page.get_by_test_id("cost")).to_contain_text("97.00")
