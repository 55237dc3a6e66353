"""An agent has a ticket open; the Manager sets up the support mailbox (Test connection, then Check now) and the
customer's emailed reply, sent to the ticket's reply address, appears in the same thread live, without reloading.
The mail goes through a real Dovecot started here and is read by the real Celery worker."""

from __future__ import annotations

import subprocess
import sys

import pytest
from playwright.sync_api import expect

from helpdesk.tests.imap_server import dovecot_available, dovecot_start
from tests.browser.conftest import ROOT

SLUG = "harbourit"
PASSWORD = "Harbour-anchor-42"
SETUP = """
from django_tenants.utils import schema_context
from crm.models import Contact, ContactEmail, Customer
from helpdesk.services.tickets import ticket_create
with schema_context("harbourit"):
    customer = Customer.objects.create(name="Harbour Dental", website="harbourdental.co.uk")
    ann = Contact.objects.create(customer=customer, first_name="Ann", last_name="Lee", is_primary=True)
    ContactEmail.objects.create(contact=ann, address="ann.lee@harbourdental.co.uk", is_primary=True)
    ticket = ticket_create(customer=customer, acting_user=None, contact=ann, subject="Printer offline in surgery 2")
    print(ticket.pk, ticket.reply_token)
"""


@pytest.fixture(scope="module")
def imap():
    if not dovecot_available():
        pytest.skip("Dovecot is not installed: apt-get install dovecot-imapd (scripts/setup_env.sh --test does it)")
    server = dovecot_start()
    yield server
    server.stop()


def _run(ccs_server, *args: str) -> str:
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=ccs_server.env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_a_reply_by_email_appears_live_in_the_ticket_thread(ccs_server, imap, page, new_context, wait_for_live):
    # Given a company with a customer, its contact and an open ticket, and the agent looking at that ticket
    _run(ccs_server, "create_tenant", "--slug", SLUG, "--name", "Harbour IT", "--admin-email", "sam@harbourit.example",
         "--admin-password", PASSWORD, "--admin-first-name", "Sam")
    ticket_pk, token = _run(ccs_server, "shell", "-c", SETUP).split()[-2:]
    base = ccs_server.tenant_url(SLUG)
    page.goto(f"{base}/accounts/sign-in/")
    page.get_by_label("Email").fill("sam@harbourit.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{base}/")
    page.goto(f"{base}/tickets/{ticket_pk}/")
    expect(page.get_by_test_id("comment")).to_have_count(0)
    wait_for_live(page)

    # When the Manager (same person, another window) sets up the mailbox, tests it and saves it
    settings = new_context().new_page()
    settings.goto(f"{base}/accounts/sign-in/")
    settings.get_by_label("Email").fill("sam@harbourit.example")
    settings.get_by_label("Password").fill(PASSWORD)
    settings.get_by_role("button", name="Sign in").click()
    settings.goto(f"{base}/helpdesk/mailbox/")
    settings.get_by_label("IMAP server").fill(imap.host)
    settings.get_by_label("Port").fill(str(imap.port))
    settings.get_by_label("Security").select_option("none")
    settings.get_by_label("Username").fill(imap.username)
    settings.get_by_label("Password").fill(imap.password)
    settings.get_by_label("Poll this mailbox").check()
    settings.get_by_test_id("mailbox-test").click()
    expect(settings.get_by_test_id("mailbox-test-result")).to_contain_text("INBOX holds 0 messages.")
    settings.get_by_role("button", name="Save").click()
    expect(settings.get_by_text("Mailbox settings saved.")).to_be_visible()
    expect(settings.get_by_label("Password")).to_have_value("")  # never sent back

    # and the customer answers by email to the ticket's reply address (no threading headers at all)
    imap.append((
        "From: Ann Lee <ann.lee@harbourdental.co.uk>\r\n"
        f"To: support+{token}@{SLUG}.localhost\r\n"
        "Subject: printer\r\nMessage-ID: <e2e-reply-1@mail.harbourdental.co.uk>\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n"
        "Restarted it, works now.\r\n\r\nOn Mon, 23 Nov 2026, Support wrote:\r\n> Please restart it.\r\n").encode())
    settings.get_by_test_id("mailbox-poll-now").click()

    # Then the agent's open ticket page shows the reply in the thread, without a reload
    comment = page.get_by_test_id("comment")
    expect(comment).to_have_count(1, timeout=20_000)
    expect(comment.first).to_contain_text("Restarted it, works now.")
    expect(comment.first).to_contain_text("Ann Lee")
    expect(comment.first.get_by_text("Please restart it.")).to_be_hidden()  # the quoted part, behind "Show"
    comment.first.get_by_text("Show the whole email").click()
    expect(comment.first.get_by_text("Please restart it.")).to_be_visible()
