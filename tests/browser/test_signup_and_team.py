"""A company signs itself up, invites a colleague, and both see the team change live.

Runs against the real stack started by conftest.py (uvicorn, a Celery worker, PostgreSQL, Redis) in Chromium.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

COMPANY = "Northwind Cabling"
SLUG = "northwind"
ADMIN_EMAIL = "ada@northwind.example"
ADMIN_PASSWORD = "Correct-horse-42-battery"
JANE_EMAIL = "jane@northwind.example"
JANE_PASSWORD = "Jane-staple-97-lantern"


def role_shown_on_dashboard(page):
    return page.locator("dt", has_text=re.compile(r"^\s*Role\s*$")).locator("xpath=following-sibling::dd[1]")


def test_company_signs_up_invites_a_colleague_and_manages_her_role(
    ccs_server, page, new_context, mailbox, wait_for_live, ccs_version
):
    tenant_url = ccs_server.tenant_url(SLUG)
    admin = page

    # Given a visitor on the public sign-up page
    admin.goto(f"{ccs_server.public_url}/signup/")
    expect(admin.get_by_role("heading", name="Create your company account")).to_be_visible()
    admin.get_by_label("Company name").fill(COMPANY)
    address = admin.get_by_label("Your address")

    # When they type a reserved address, Then they are told at once that it cannot be used
    address.fill("admin")
    expect(admin.get_by_test_id("slug-taken")).to_contain_text("“admin” is reserved")
    # When they type a free one, Then they are told it is available
    address.fill(SLUG)
    expect(admin.get_by_test_id("slug-free")).to_have_text(f"{SLUG} is available.")
    expect(admin.get_by_test_id("slug-taken")).to_have_count(0)

    # When they complete the form and create the account
    admin.get_by_label("Your first name").fill("Ada")
    admin.get_by_label("Your last name").fill("Lovelace")
    admin.get_by_label("Work email").fill(ADMIN_EMAIL)
    admin.get_by_label("Password").fill(ADMIN_PASSWORD)
    admin.get_by_role("button", name="Create the account").click()

    # Then they land on their company's own sign-in page, welcomed, with their email filled in
    expect(admin).to_have_url(re.compile(
        rf"^{re.escape(tenant_url)}/accounts/sign-in/\?email=ada%40northwind\.example&welcome=1$"
    ))
    expect(admin.get_by_text("Your company account is ready.")).to_be_visible()
    expect(admin.get_by_label("Email")).to_have_value(ADMIN_EMAIL)

    # When they sign in
    admin.get_by_label("Password").fill(ADMIN_PASSWORD)
    admin.get_by_role("button", name="Sign in").click()

    # Then the dashboard greets them with the getting-started checklist, the team step still to do
    expect(admin).to_have_url(f"{tenant_url}/")
    expect(admin.get_by_role("heading", name="Welcome, Ada")).to_be_visible()
    expect(admin.get_by_role("heading", name="Getting started")).to_be_visible()
    team_step = admin.get_by_test_id("checklist-team")
    expect(team_step).to_contain_text("Invite your team")
    expect(team_step).to_have_attribute("data-done", "false")
    expect(admin.locator("#ccs-version")).to_have_text(ccs_version)  # the VERSION file: 0.1.0 today

    # When they open Users and invite Jane as Sales
    admin.get_by_role("link", name="Users", exact=True).click()
    expect(admin.get_by_role("heading", name="Users", exact=True)).to_be_visible()
    invite_form = admin.locator("form", has=admin.get_by_role("button", name="Send invitation"))
    invite_form.get_by_label("Email").fill(JANE_EMAIL)
    invite_form.get_by_label("First name").fill("Jane")
    invite_form.get_by_label("Last name").fill("Doe")
    role_choice = invite_form.get_by_label("Role")
    role_choice.select_option(value="Sales")
    expect(role_choice.locator("option:checked")).to_contain_text("Sales")
    invite_form.get_by_role("button", name="Send invitation").click()

    # Then a toast confirms it, and the invitation is listed as pending, for Sales
    expect(admin.locator("#toast-stack")).to_contain_text(f"Invitation sent to {JANE_EMAIL}.")
    invitation = admin.locator(f'[data-testid=invitation][data-email="{JANE_EMAIL}"]')
    expect(invitation).to_be_visible()
    expect(invitation).to_contain_text("Sales")

    # Given Jane, in her own browser, opening the link from the email the worker delivered
    invitation_email = mailbox.wait_for(JANE_EMAIL)
    assert "Northwind Cabling" in invitation_email.subject
    link = invitation_email.url(contains="/invitation/")
    assert link.startswith(f"{tenant_url}/invitation/"), link
    jane = new_context().new_page()
    jane.goto(link)
    expect(jane.get_by_role("heading", name=f"Join {COMPANY} on CCS")).to_be_visible()
    expect(jane.get_by_text("You were invited as Sales")).to_be_visible()
    expect(jane.get_by_label("First name")).to_have_value("Jane")

    # When she sets her name and password
    jane.get_by_label("First name").fill("Jane")
    jane.get_by_label("Last name").fill("Doe")
    jane.get_by_label("Choose a password").fill(JANE_PASSWORD)
    jane.get_by_label("Repeat the password").fill(JANE_PASSWORD)
    wait_for_live(admin)  # the admin's open page is on the live channel when Jane acts: the toast arrives there
    jane.get_by_role("button", name="Create my account").click()

    # Then she is signed in on her dashboard, as Sales
    expect(jane).to_have_url(f"{tenant_url}/")
    expect(jane.get_by_role("heading", name="Welcome, Jane")).to_be_visible()
    expect(jane.locator("#toast-stack")).to_contain_text(f"Welcome to {COMPANY}, Jane.")
    expect(role_shown_on_dashboard(jane)).to_have_text("Sales")

    # And the admin's open page (not reloaded) shows a live toast and one unread notification
    expect(admin.get_by_test_id("live-toast")).to_contain_text("Jane Doe accepted your invitation")
    expect(admin.locator("#notification-bell").get_by_test_id("unread-count")).to_have_text("1")

    # When the admin reloads Users and makes Jane a Support agent
    admin.reload()
    jane_role = admin.locator(f'tr[data-testid=user-row][data-email="{JANE_EMAIL}"]').locator("select[name=role]")
    expect(jane_role).to_have_value("Sales")
    jane_role.select_option(label="Support agent")

    # Then a toast confirms it, and the choice is still there after a reload
    expect(admin.locator("#toast-stack")).to_contain_text("is now Support agent.")
    admin.reload()
    expect(jane_role).to_have_value("Support agent")
    expect(jane_role.locator("option:checked")).to_have_text("Support agent")

    # And Jane's dashboard shows her new role once she reloads it
    jane.reload()
    expect(role_shown_on_dashboard(jane)).to_have_text("Support agent")

    # And the admin's checklist now shows the team step done
    admin.get_by_role("link", name="Dashboard", exact=True).click()
    expect(admin).to_have_url(f"{tenant_url}/")
    expect(admin.get_by_test_id("checklist-team")).to_have_attribute("data-done", "true")


def test_unknown_company_host_is_not_found_and_health_reports_the_version(ccs_server, page, browser_guard, ccs_version):
    unknown = f"http://no-such-company.localhost:{ccs_server.port}"
    browser_guard.allow(rf"^{re.escape(unknown)}/", status=404)

    # When someone opens the address of a company that does not exist
    response = page.goto(f"{unknown}/")

    # Then the answer is 404 and the page says so
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name=re.compile("Page not found"))).to_be_visible()

    # When the health check is asked, on the public host (as a monitor would: no page, no favicon)
    response = page.request.get(f"{ccs_server.public_url}/healthz")

    # Then it is healthy and reports the running version
    assert response.status == 200, response.text()
    report = response.json()
    assert report["status"] == "ok", report
    assert report["version"] == ccs_version  # the VERSION file: 0.1.0 today
    assert all(check["ok"] for check in report["checks"].values()), report
