"""An agent opens a ticket for a customer, a colleague with the unassigned queue open sees it arrive live; the
agent takes it, answers with a canned response and an internal note, and the queue empties by itself."""

from __future__ import annotations

import subprocess
import sys

from playwright.sync_api import expect

from tests.browser.conftest import ROOT

SLUG = "helpco"
PASSWORD = "Helpco-lantern-93"


def _sign_in(page, base: str) -> None:
    page.goto(f"{base}/accounts/sign-in/")
    page.get_by_label("Email").fill("lee@helpco.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{base}/")


def test_a_ticket_is_opened_taken_and_answered_while_the_queue_updates_live(ccs_server, page, new_context,
                                                                           wait_for_live):
    # Given a company with a customer, and a colleague watching the unassigned queue
    result = subprocess.run(
        [sys.executable, "manage.py", "create_tenant", "--slug", SLUG, "--name", "Helpco Networks",
         "--admin-email", "lee@helpco.example", "--admin-password", PASSWORD, "--admin-first-name", "Lee"],
        cwd=ROOT, env=ccs_server.env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    base = ccs_server.tenant_url(SLUG)
    _sign_in(page, base)
    page.goto(f"{base}/customers/new/")
    page.get_by_label("Company name").fill("Riverside Surgery")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Riverside Surgery")).to_be_visible()

    colleague = new_context().new_page()
    _sign_in(colleague, base)
    colleague.goto(f"{base}/tickets/?view=unassigned")
    expect(colleague.get_by_text("No tickets here.")).to_be_visible()
    wait_for_live(colleague)

    # When the agent opens a ticket for the customer (customer first, then the details)
    page.goto(f"{base}/tickets/")
    page.get_by_role("link", name="New ticket").click()
    page.wait_for_load_state("load")  # htmx binds the live search when the page has loaded: type after that
    page.get_by_label("Which customer is it for?").fill("riverside")
    page.get_by_role("link", name="Riverside Surgery").click()
    page.get_by_label("Subject").fill("Reception PC cannot print")
    page.get_by_label("Priority").select_option("high")
    page.get_by_role("button", name="Open the ticket").click()
    expect(page.get_by_role("heading", name="T-000001 Reception PC cannot print")).to_be_visible()
    expect(page.get_by_test_id("sla-panel")).to_contain_text("On track")

    # Then it appears in the colleague's unassigned queue without a reload
    expect(colleague.get_by_test_id("ticket-row")).to_have_count(1)
    expect(colleague.get_by_test_id("ticket-row")).to_contain_text("Reception PC cannot print")

    # When the agent takes it and answers with a canned response, then adds an internal note
    wait_for_live(page)
    page.get_by_role("button", name="Take it").click()
    expect(page.get_by_label("Status")).to_have_value("open")
    page.get_by_label("Canned response").select_option(label="Acknowledge")
    expect(page.get_by_label("Message")).to_have_value(
        "Hello there,\n\nThanks for getting in touch. We have logged this as T-000001 and an engineer is looking at it "
        "now. We will update you as soon as we know more.\n\nLee")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_test_id("comment")).to_have_count(1)
    expect(page.get_by_label("Message")).to_have_value("")
    page.get_by_label("Message").fill("Driver looks corrupted; remote session booked for 2pm.")
    page.get_by_label("Internal note (not sent to the customer)").check()
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_test_id("comment")).to_have_count(2)
    expect(page.get_by_test_id("comment").nth(1)).to_contain_text("Internal note")

    # Then the colleague's unassigned queue empties by itself, and the history tells the story
    expect(colleague.get_by_text("No tickets here.")).to_be_visible()
    history = page.get_by_test_id("ticket-history")
    expect(history).to_contain_text("assigned T-000001 to Lee")
    expect(history).to_contain_text("replied on T-000001")
    expect(history).to_contain_text("added an internal note on T-000001")
