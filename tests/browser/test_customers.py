"""A salesperson creates a customer and changes its status; a colleague with the same customer open sees the
timeline update live, without reloading."""

from __future__ import annotations

import re
import subprocess
import sys

from playwright.sync_api import expect

from tests.browser.conftest import ROOT

SLUG = "brightline"
PASSWORD = "Brightline-staple-42"
# Records which live sockets of a page are open (the customer page opens its own, for the timeline).
SOCKETS_SCRIPT = (
    "document.addEventListener('htmx:wsOpen', function (e) {"
    " (window.__ccsSockets = window.__ccsSockets || {})[e.detail.elt.getAttribute('ws-connect')] = true; });"
)


def _provision(ccs_server) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "create_tenant", "--slug", SLUG, "--name", "Brightline Comms",
         "--admin-email", "sam@brightline.example", "--admin-password", PASSWORD, "--admin-first-name", "Sam"],
        cwd=ROOT, env=ccs_server.env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _sign_in(page, base: str) -> None:
    page.goto(f"{base}/accounts/sign-in/")
    page.get_by_label("Email").fill("sam@brightline.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{base}/")


def test_a_customer_is_created_and_its_timeline_updates_live_on_another_page(ccs_server, page, new_context):
    # Given a company with a signed-in user
    _provision(ccs_server)
    base = ccs_server.tenant_url(SLUG)
    _sign_in(page, base)

    # When they create a customer from the list
    page.get_by_role("complementary", name="Sections").get_by_role("link", name="Customers").click()
    expect(page.get_by_text("No customers yet.")).to_be_visible()
    page.get_by_role("link", name="New customer").click()
    page.get_by_label("Company name").fill("Oakfield Primary School")
    page.get_by_label("Website").fill("www.oakfield-primary.sch.uk")
    page.get_by_label("New tags").fill("schools")
    page.get_by_role("button", name="Save").click()

    # Then its page shows it, with its creation on the timeline
    expect(page.get_by_role("heading", name="Oakfield Primary School")).to_be_visible()
    expect(page.get_by_test_id("status-menu")).to_contain_text("Lead")
    expect(page.get_by_test_id("timeline-event")).to_have_count(1)
    expect(page.get_by_test_id("timeline-event").first).to_contain_text("created the customer Oakfield Primary School")
    customer_url = page.url

    # When they add a contact from the Contacts tab, without leaving the page
    page.get_by_role("button", name="Add contact").click()
    contact_form = page.get_by_test_id("contact-form")
    contact_form.get_by_label("First name").fill("Nia")
    contact_form.get_by_label("Last name").fill("Jones")
    contact_form.get_by_label("Job title").fill("School business manager")
    contact_form.get_by_label("Email 1").fill("nia.jones@oakfield-primary.sch.uk")
    contact_form.get_by_role("button", name="Save contact").click()
    # Then the contact card shows, as the primary contact
    card = page.locator('[data-testid=contact-card][data-name="Nia Jones"]')
    expect(card).to_contain_text("School business manager")
    expect(card.get_by_test_id("primary-badge")).to_be_visible()

    # When they add two addresses to the address book
    for label, line1, postcode in (("Main school", "12 Oak Lane", "b15 2tt"), ("Sports hall", "14 Oak Lane", "B152TU")):
        page.get_by_role("button", name="Add address").click()
        address_form = page.get_by_test_id("address-form")
        address_form.get_by_role("combobox", name=re.compile(r"^Type")).select_option(label="Site / installation")
        address_form.get_by_label("Label").fill(label)
        address_form.get_by_label("Address line 1").fill(line1)
        address_form.get_by_label("Town or city").fill("Birmingham")
        address_form.get_by_label("Postcode").fill(postcode)
        address_form.get_by_role("button", name="Save address").click()
        expect(page.locator(f'[data-testid=address-card][data-label="{label}"]')).to_be_visible()
    cards = page.get_by_test_id("address-card")
    expect(cards).to_have_count(2)
    expect(cards.nth(0)).to_contain_text("B15 2TT")

    # And drag the second card before the first (the new order is saved by a request the page makes)
    with page.expect_response(lambda response: "/addresses/order/" in response.url and response.ok):
        page.locator('[data-testid=address-card][data-label="Sports hall"]').drag_to(
            page.locator('[data-testid=address-card][data-label="Main school"]'))
    expect(cards.nth(0)).to_have_attribute("data-label", "Sports hall")
    # Then after a reload the order holds
    page.reload()
    expect(page.get_by_test_id("address-card").nth(0)).to_have_attribute("data-label", "Sports hall")
    expect(page.get_by_test_id("address-card").nth(1)).to_have_attribute("data-label", "Main school")

    # Given a colleague (same account, second browser) with the customer page open
    colleague = new_context().new_page()
    colleague.add_init_script(SOCKETS_SCRIPT)
    _sign_in(colleague, base)
    colleague.goto(customer_url)
    socket = re.sub(r"^.*?(/customers/\d+/)$", r"/ws\1", customer_url)
    colleague.wait_for_function(f"window.__ccsSockets && window.__ccsSockets['{socket}'] === true")
    events_before = colleague.get_by_test_id("timeline-event").count()

    # When the first user changes the status from the menu
    page.get_by_test_id("status-menu").click()
    page.get_by_role("button", name="Prospect").click()

    # Then their header shows it at once, and the colleague's open page gets the event without a reload
    expect(page.get_by_test_id("status-menu")).to_contain_text("Prospect")
    expect(page.locator("#toast-stack")).to_contain_text("Status changed to Prospect.")
    expect(colleague.get_by_test_id("timeline-event").first).to_contain_text("changed the status from Lead to Prospect")
    expect(colleague.get_by_test_id("timeline-event")).to_have_count(events_before + 1)

    # When the first user logs a call from the Activities tab
    page.get_by_role("tab", name="Activities").click()
    activity_form = page.get_by_test_id("activity-form")
    activity_form.get_by_label("Subject").fill("Survey booked for the sports hall")
    activity_form.get_by_role("combobox", name=re.compile(r"^Contact")).select_option(label="Nia Jones")
    activity_form.get_by_role("combobox", name=re.compile(r"^Outcome")).select_option(label="Meeting booked")
    activity_form.get_by_role("button", name="Log it").click()
    expect(page.locator('[data-testid=activity][data-subject="Survey booked for the sports hall"]')).to_be_visible()
    # Then it appears at the top of the colleague's open timeline, without a reload
    expect(colleague.get_by_test_id("timeline-event").first).to_contain_text(
        "logged a call: Survey booked for the sports hall with Nia Jones (meeting booked)")

    # And the list shows the new status
    page.get_by_role("complementary", name="Sections").get_by_role("link", name="Customers").click()
    row = page.locator('tr[data-testid=customer-row][data-name="Oakfield Primary School"]')
    expect(row).to_contain_text("Prospect")
    expect(row).to_contain_text("schools")
