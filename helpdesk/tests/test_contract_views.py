"""Contract pages as managers and agents use them: pinned query counts, valid HTML, forms that keep input, roles."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.roles import Role
from crm.tests.factories import CustomerFactory
from helpdesk.models import ContractStatus, SupportContract
from helpdesk.services.conversation import time_entry_add
from helpdesk.tests.factories import make_contract, make_ticket
from tests.html_validity import assert_valid_html

TODAY = timezone.localdate()


def current(**fields):
    """A contract in force today (started 30 days ago)."""
    fields.setdefault("start_date", TODAY - timedelta(days=30))
    return make_contract(**fields)


def test_the_contract_list_has_a_fixed_query_count_filters_sorts_and_paginates(admin_client1, admin_user,
                                                                                 assert_queries):
    for number in range(30):
        current(acting_user=admin_user, name=f"Contract {number:02d}", monthly_value=Decimal(100 + number),
                type="saas" if number % 3 == 0 else "maintenance")
    with assert_queries(8):
        response = admin_client1.get("/contracts/")
    html = response.content.decode()
    assert response.status_code == 200 and html.count('data-testid="contract-row"') == 25 and "30 contracts" in html
    assert "MRR 3435.00 GBP · ARR 41220.00 GBP" in html
    assert_valid_html(html)
    saas = admin_client1.get("/contracts/", {"type": "saas", "sort": "-value"}, HTTP_HX_REQUEST="true",
                             HTTP_HX_TARGET="contract-table").content.decode()
    assert "10 contracts" in saas and "<html" not in saas
    assert saas.index("Contract 27") < saas.index("Contract 24")  # dearest first
    assert_valid_html(saas, fragment=True)
    page_two = admin_client1.get("/contracts/", {"page": 2}).content.decode()
    assert page_two.count('data-testid="contract-row"') == 5


def test_renewing_within_and_status_filters(admin_client1, admin_user):
    soon = current(acting_user=admin_user, name="Renews soon", renewal_date=TODAY + timedelta(days=20))
    current(acting_user=admin_user, name="Renews later")  # renewal at its end, ~11 months away
    make_contract(acting_user=admin_user, name="Still a draft", activate=False, start_date=TODAY)
    html = admin_client1.get("/contracts/", {"renewing": 30}).content.decode()
    assert html.count('data-testid="contract-row"') == 1 and soon.name in html
    drafts = admin_client1.get("/contracts/", {"status": "draft"}).content.decode()
    assert drafts.count('data-testid="contract-row"') == 1 and "Still a draft" in drafts


def test_creating_a_contract_keeps_input_on_error_and_derives_the_annual_value(admin_client1):
    customer = CustomerFactory(name="Harbour Dental")
    form = admin_client1.get("/contracts/new/", {"customer": customer.pk})
    assert form.status_code == 200
    assert_valid_html(form.content.decode())
    data = {"customer": customer.pk, "name": "Managed desktops", "type": "managed_service", "start_date": "2026-03-01",
            "term_months": "12", "end_date": "2026-02-01", "monthly_value": "250.00", "hours_included": "10",
            "hours_period": "month", "notes": "Keep me"}
    bad = admin_client1.post("/contracts/new/", data)
    html = bad.content.decode()
    assert bad.status_code == 422 and "The end date must be after the start date." in html and "Keep me" in html
    assert_valid_html(html)
    data["end_date"] = ""
    response = admin_client1.post("/contracts/new/", {**data, "activate": "1"})
    contract = SupportContract.objects.get()
    assert response["Location"] == f"/contracts/{contract.pk}/"
    assert (contract.status, contract.annual_value, contract.end_date, contract.hours_included) == (
        ContractStatus.ACTIVE, Decimal("3000.00"), date(2027, 2, 28), Decimal("10.00"))


def test_the_contract_page_shows_hours_and_tickets_with_a_fixed_query_count(admin_client1, admin_user,
                                                                            assert_queries):
    contract = current(acting_user=admin_user, hours_included=Decimal("2"), hours_period="month")
    for number in range(5):
        ticket = make_ticket(customer=contract.customer, acting_user=admin_user, subject=f"Issue {number}")
        time_entry_add(ticket=ticket, acting_user=admin_user, minutes=30, spent_on=TODAY)
    with assert_queries(11):
        response = admin_client1.get(f"/contracts/{contract.pk}/")
    html = response.content.decode()
    assert html.count('data-testid="contract-ticket"') == 5 and "5 tickets" in html
    assert "2.50 of 2.00 h used · 0.00 h remaining" in html and "0.50 h over" in html
    assert 'data-testid="renew-form"' in html and 'data-testid="cancel-form"' in html
    assert_valid_html(html)


def test_the_ticket_page_shows_the_hours_remaining_on_its_contract(admin_client1, admin_user):
    contract = current(acting_user=admin_user, hours_included=Decimal("10"), hours_period="year")
    ticket = make_ticket(customer=contract.customer, acting_user=admin_user)
    time_entry_add(ticket=ticket, acting_user=admin_user, minutes=90, spent_on=TODAY)
    time_entry_add(ticket=ticket, acting_user=admin_user, minutes=60, spent_on=TODAY, billable=False)
    html = admin_client1.get(f"/tickets/{ticket.pk}/").content.decode()
    assert 'data-testid="ticket-contract"' in html and "1.50 of 10.00 h used · 8.50 h remaining" in html
    assert_valid_html(html)
    form = admin_client1.get(f"/tickets/new/?customer={contract.customer.pk}").content.decode()
    assert f'<option value="{contract.pk}" selected>{contract.name}</option>' in form


def test_renew_and_cancel_from_the_contract_page(admin_client1, admin_user):
    contract = current(acting_user=admin_user, monthly_value=Decimal("100"))
    response = admin_client1.post(f"/contracts/{contract.pk}/renew/", {"term_months": "24", "monthly_value": "120"})
    successor = SupportContract.objects.get(renewed_from=contract)
    assert response["Location"] == f"/contracts/{successor.pk}/"
    assert (successor.term_months, successor.monthly_value, successor.start_date) == (
        24, Decimal("120.00"), contract.end_date + timedelta(days=1))
    again = admin_client1.post(f"/contracts/{contract.pk}/renew/", {"term_months": "12"})
    assert again.status_code == 422 and "already been renewed" in again.content.decode()
    empty = admin_client1.post(f"/contracts/{successor.pk}/cancel/", {"reason": ""})
    assert empty.status_code == 422 and "This field is required." in empty.content.decode()
    admin_client1.post(f"/contracts/{successor.pk}/cancel/", {"reason": "Went elsewhere"})
    successor.refresh_from_db()
    assert (successor.status, successor.cancel_reason) == (ContractStatus.CANCELLED, "Went elsewhere")


def test_the_customer_tab_lists_the_contracts(admin_client1, admin_user):
    contract = current(acting_user=admin_user, name="Backup as a service")
    html = admin_client1.get(f"/customers/{contract.customer.pk}/contracts/", HTTP_HX_REQUEST="true").content.decode()
    assert html.count('data-testid="customer-contract"') == 1 and "Backup as a service" in html
    assert f'href="/contracts/?customer={contract.customer.pk}"' in html
    current(acting_user=admin_user, name="Someone else's")
    filtered = admin_client1.get("/contracts/", {"customer": contract.customer.pk}).content.decode()
    assert filtered.count('data-testid="contract-row"') == 1 and "Backup as a service" in filtered
    assert_valid_html(html, fragment=True)
    page = admin_client1.get(f"/customers/{contract.customer.pk}/").content.decode()
    assert 'id="tab-contracts"' in page and page.index('id="tab-tickets"') < page.index('id="tab-contracts"')


def test_only_managers_change_contracts_and_the_dashboard_card_follows_the_permission(tenant1, make_user, client_for):
    contract = current(monthly_value=Decimal("250.00"))
    agent = client_for(make_user(role=Role.SUPPORT))
    manager = client_for(make_user(role=Role.MANAGER))
    assert agent.get(f"/contracts/{contract.pk}/").status_code == 200
    assert 'data-testid="renew-form"' not in agent.get(f"/contracts/{contract.pk}/").content.decode()
    assert agent.post(f"/contracts/{contract.pk}/cancel/", {"reason": "No"}).status_code == 403
    assert agent.get(f"/contracts/new/?customer={contract.customer.pk}").status_code == 403
    assert manager.get(f"/contracts/{contract.pk}/edit/").status_code == 200
    card = manager.get("/").content.decode()
    assert 'data-testid="recurring-revenue"' in card and "250.00 GBP" in card and "3000.00 GBP" in card
    assert_valid_html(card)
