"""The customer portal end to end: staff invite a contact from the customer page; the contact sets a password from
the emailed link, opens the quote, includes an optional line, picks an option and accepts, while the quote owner's
open quote page shows the acceptance live; then the contact raises a ticket with a file and the agent's public reply
appears in the portal (the internal note does not)."""

from __future__ import annotations

import re
import subprocess
import sys

from playwright.sync_api import expect

from tests.browser.conftest import ROOT

SLUG = "portalco"
PASSWORD = "Portalco-harbour-58"
CONTACT_EMAIL = "jane.doe@harbourdental.example"
CONTACT_PASSWORD = "Jane-chooses-a-long-one-9"
SETUP = """
from django_tenants.utils import tenant_context
from tenants.models import Tenant
from accounts.models import User
from crm.models import Address, Contact, ContactEmail, Customer
from portal.tests.factories import make_sent_quote
with tenant_context(Tenant.objects.get(schema_name="portalco")):
    owner = User.objects.get(email="lee@portalco.example")
    customer = Customer.objects.create(name="Harbour Dental")
    jane = Contact.objects.create(customer=customer, first_name="Jane", last_name="Doe", is_primary=True)
    ContactEmail.objects.create(contact=jane, address="jane.doe@harbourdental.example", is_primary=True)
    Address.objects.create(customer=customer, kind="site", label="Surgery 2", line1="2 Quay Street", town="Hull")
    quote = make_sent_quote(customer=customer, contact=jane, owner=owner)
    lines = {line.description: line.pk for line in quote.lines.all()}
    print(customer.pk, jane.pk, quote.pk, lines["Spare PSU"], lines["Firewall pro"])
"""


def _run(ccs_server, *args: str) -> str:
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=ccs_server.env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_a_contact_accepts_a_quote_and_raises_a_ticket_in_the_portal(ccs_server, page, new_context, mailbox,
                                                                      wait_for_live):
    # Given a company, its customer Harbour Dental with Jane as contact, and a quote sent to her (R1)
    _run(ccs_server, "create_tenant", "--slug", SLUG, "--name", "Portal Co", "--admin-email", "lee@portalco.example",
         "--admin-password", PASSWORD, "--admin-first-name", "Lee")
    customer_pk, contact_pk, quote_pk, psu_pk, pro_pk = _run(ccs_server, "shell", "-c", SETUP).split()[-5:]
    base = ccs_server.tenant_url(SLUG)
    page.goto(f"{base}/accounts/sign-in/")
    page.get_by_label("Email").fill("lee@portalco.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{base}/")

    # When Lee invites Jane from the customer page's Portal access tab
    page.goto(f"{base}/customers/{customer_pk}/")
    page.get_by_role("tab", name="Portal access").click()
    panel = page.get_by_test_id("portal-panel")
    expect(panel).to_contain_text("No portal access")
    panel.get_by_text("Invite to the portal").click()
    page.get_by_test_id(f"portal-submit-{contact_pk}").click()
    expect(page.get_by_test_id(f"portal-contact-{contact_pk}")).to_contain_text("Invited")

    # Then Jane gets a one-time link and sets her password
    link = mailbox.wait_for(CONTACT_EMAIL).url(contains="/portal/invitation/")
    jane = new_context().new_page()
    jane.goto(link)
    jane.get_by_label("Choose a password").fill(CONTACT_PASSWORD)
    jane.get_by_label("Repeat the password").fill(CONTACT_PASSWORD)
    jane.get_by_role("button", name="Save and sign in").click()
    expect(jane).to_have_url(f"{base}/portal/")
    expect(jane.get_by_test_id("home-quotes")).to_have_text("1 quote waiting for your answer")

    # Lee has the quote open
    page.goto(f"{base}/quotes/{quote_pk}/")
    expect(page.get_by_test_id("quote-status")).to_have_text("Sent")
    wait_for_live(page)

    # When Jane opens the quote, it becomes viewed on Lee's page without a reload
    jane.goto(f"{base}/portal/quotes/{quote_pk}/")
    expect(jane.get_by_test_id("portal-total")).to_have_text("GBP 600.00")
    expect(page.get_by_test_id("quote-status")).to_have_text("Viewed")

    # When she includes the optional line and picks the pro firewall, the totals follow (computed by the server)
    jane.locator(f"#optional-{psu_pk}").check()
    expect(jane.get_by_test_id("portal-total")).to_have_text("GBP 660.00")
    jane.locator(f"#alt-{pro_pk}").check()
    expect(jane.get_by_test_id("portal-total")).to_have_text("GBP 840.00")

    # And accepts with her name, position and the tick
    jane.get_by_label("Your full name").fill("Jane Doe")
    jane.get_by_label("Your position").fill("Practice manager")
    jane.get_by_label(re.compile("I accept this quote")).check()
    jane.get_by_test_id("accept").click()
    expect(jane.get_by_test_id("quote-answer")).to_contain_text("R1 accepted by Jane Doe (Practice manager)")
    expect(jane.get_by_test_id("accept")).to_have_count(0)

    # Then Lee's open page shows it live: the status, the evidence and a toast
    expect(page.get_by_test_id("quote-status")).to_have_text("Accepted")
    expect(page.get_by_test_id("portal-answer")).to_contain_text(
        "R1 accepted in the customer portal by Jane Doe (Practice manager)")
    expect(page.get_by_test_id("portal-answer")).to_contain_text("GBP 700.00 + VAT 140.00 = GBP 840.00")
    expect(page.locator("#toast-stack")).to_contain_text("Jane Doe accepted")
    expect(page.locator("#toast-stack")).to_contain_text("(GBP 840.00)")

    # When Jane raises a ticket with a screenshot
    jane.goto(f"{base}/portal/tickets/new/")
    jane.get_by_label("Subject").fill("X-ray PC will not boot")
    jane.get_by_label("What happened?").fill("Blue screen since this morning.")
    jane.get_by_label("Priority").select_option("high")
    jane.get_by_label("Site").select_option(label="Surgery 2, 2 Quay Street, Hull")
    jane.get_by_label("Attachments").set_input_files(
        files=[{"name": "bluescreen.png", "mimeType": "image/png", "buffer": b"\x89PNG\r\n\x1a\n fake"}])
    jane.get_by_role("button", name="Raise the ticket").click()
    expect(jane.get_by_role("heading", name="T-000001 X-ray PC will not boot")).to_be_visible()
    expect(jane.get_by_role("link", name="bluescreen.png")).to_be_visible()
    ticket_pk = re.search(r"/portal/tickets/(\d+)/", jane.url).group(1)

    # And the agent answers publicly, and adds an internal note
    page.goto(f"{base}/tickets/{ticket_pk}/")
    expect(page.get_by_role("link", name="bluescreen.png")).to_be_visible()
    page.get_by_label("Message").fill("An engineer will call you at 2pm.")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_test_id("comment")).to_have_count(1)
    page.get_by_label("Message").fill("Probably the disk; bring a spare.")
    page.get_by_label("Internal note (not sent to the customer)").check()
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_test_id("comment")).to_have_count(2)

    # Then Jane sees the public reply in the portal, and never the note
    jane.reload()
    expect(jane.get_by_test_id("portal-comment")).to_have_count(1)
    expect(jane.get_by_test_id("portal-comment")).to_contain_text("An engineer will call you at 2pm.")
    expect(jane.get_by_test_id("portal-conversation")).not_to_contain_text("spare")
