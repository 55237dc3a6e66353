"""An estimator emails a quote from the builder: the dialog opens with the contact filled in, the quote is frozen
and sent; the Emails card follows the delivery until the worker has drawn the PDF and sent it; the email carries the
PDF and the customer portal link, and the revision's PDF downloads."""

from __future__ import annotations

import email
import email.policy
import re
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ROOT

SLUG = "sendco"
PASSWORD = "Sendco-beacon-71"
SETUP = """
from decimal import Decimal
from django_tenants.utils import tenant_context
from accounts.models import User
from crm.models import Contact, ContactEmail
from crm.services.customers import customer_create
from quotes.services.quotes import line_add, quote_create
from tenants.models import Tenant

with tenant_context(Tenant.objects.get(schema_name="sendco")):
    user = User.objects.get(email="max@sendco.example")
    customer = customer_create(acting_user=user, name="Harbour Dental")
    contact = Contact.objects.create(customer=customer, first_name="Ann", last_name="Lee", is_primary=True)
    ContactEmail.objects.create(contact=contact, address="ann@harbour.example", is_primary=True)
    quote = quote_create(customer=customer, acting_user=user, title="Surgery Wi-Fi", contact=contact)
    line_add(quote=quote, acting_user=user, fields={"description": "Ceiling access point\\nWi-Fi 7",
                                                    "part_number": "AP-7", "quantity": Decimal(4),
                                                    "unit_price": Decimal("150.00"), "unit_cost": Decimal("95.00")})
    print("QUOTE", quote.pk, quote.reference)
"""


def _run(ccs_server, *args: str) -> str:
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=ccs_server.env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.mark.allow_http_errors((r"/quotes/\d+/send/$", 422))  # the refused address, shown in the dialog
def test_a_quote_is_emailed_from_the_builder_with_its_pdf_and_the_delivery_shows(ccs_server, page, mailbox):
    # Given a company, a customer with a contact, and a draft quote with one line
    _run(ccs_server, "create_tenant", "--slug", SLUG, "--name", "Sendco Networks", "--admin-email",
         "max@sendco.example", "--admin-password", PASSWORD, "--admin-first-name", "Max")
    output = _run(ccs_server, "shell", "-c", SETUP)
    _marker, pk, reference = next(line for line in output.splitlines() if line.startswith("QUOTE ")).split()
    base = ccs_server.tenant_url(SLUG)
    page.goto(f"{base}/accounts/sign-in/")
    page.get_by_label("Email").fill("max@sendco.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{base}/")

    # When the estimator opens the send dialog from the builder
    page.goto(f"{base}/quotes/{pk}/")
    page.wait_for_load_state("load")
    page.get_by_role("link", name="Send…").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("heading", name=f"Email {reference} R1")).to_be_visible()
    # Then it starts with the contact, a subject and a message
    expect(dialog.get_by_label("To")).to_have_value("ann@harbour.example")
    expect(dialog.get_by_label("Subject")).to_have_value(f"Quote {reference} R1: Surgery Wi-Fi")
    expect(dialog.get_by_label("Message")).to_contain_text("Dear Ann,")

    # When a wrong copy address is typed, the dialog says so and keeps everything
    dialog.get_by_label("Cc (optional)").fill("office@harbour")
    dialog.get_by_label("Subject").fill("Your Wi-Fi quote")
    dialog.get_by_role("button", name="Send", exact=True).click()
    expect(dialog.get_by_test_id("send-error")).to_have_text("Cc: “office@harbour” is not an email address.")
    expect(dialog.get_by_label("Subject")).to_have_value("Your Wi-Fi quote")

    # And corrected, it sends: the quote is frozen and the Emails card follows the delivery by itself
    dialog.get_by_label("Cc (optional)").fill("office@harbour.example")
    dialog.get_by_role("button", name="Send", exact=True).click()
    expect(page.get_by_test_id("quote-status")).to_have_text("Sent")
    expect(page.get_by_test_id("quote-email")).to_contain_text("R1 → ann@harbour.example")
    expect(page.get_by_test_id("email-status")).to_have_text("Sent", timeout=30_000)

    # Then the email carries the message, the portal link and the PDF
    sent = mailbox.wait_for("ann@harbour.example")
    assert sent.subject == "Your Wi-Fi quote" and "Dear Ann," in sent.body
    assert sent.url(contains="/portal/quotes/") == f"https://{SLUG}.localhost/portal/quotes/{pk}/"
    message = next(message for message in _messages(sent.path) if message["Subject"] == "Your Wi-Fi quote")
    assert message["Cc"] == "office@harbour.example"
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_filename() == f"{reference}-R1.pdf" and attachment.get_content().startswith(b"%PDF-")

    # And the revision's PDF downloads from the quote, for the signed-in user only
    download = page.evaluate("""async (url) => {
        const response = await fetch(url);
        const bytes = new Uint8Array(await response.arrayBuffer());
        return {status: response.status, type: response.headers.get("content-type"), size: bytes.length,
                head: String.fromCharCode(...bytes.slice(0, 5))};
    }""", f"{base}/quotes/{pk}/revisions/1/pdf/?download=1")
    assert download == {"status": 200, "type": "application/pdf", "size": len(attachment.get_content()),
                        "head": "%PDF-"}


def _messages(path):
    chunks = re.split(rb"^-{79}$", path.read_bytes(), flags=re.MULTILINE)
    return [email.message_from_bytes(chunk.strip(), policy=email.policy.default) for chunk in chunks if chunk.strip()]
