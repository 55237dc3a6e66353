"""Support contracts over the API: same permissions and services as the pages."""

from decimal import Decimal

from accounts.roles import Role
from crm.tests.factories import CustomerFactory
from helpdesk.models import ContractStatus, SupportContract
from helpdesk.tests.factories import make_contract

URL = "/api/v1/contracts/"


def test_a_manager_creates_lists_retrieves_and_updates_a_contract(tenant1, make_user, client_for):
    # given a manager and a customer
    manager = client_for(make_user(role=Role.MANAGER))
    customer = CustomerFactory(name="Harbour Dental")
    # when a contract is created with only its annual value
    created = manager.post(URL, {"customer": customer.pk, "name": "Backup", "type": "saas", "start_date": "2026-04-01",
                                 "annual_value": "1200.00", "activate": True}, content_type="application/json")
    # then
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["status"], body["monthly_value"], body["annual_value"], body["end_date"], body["currency"],
            body["customer_name"]) == ("active", "100.00", "1200.00", "2027-03-31", "GBP", "Harbour Dental")
    listed = manager.get(URL, {"type": "saas"}).json()
    assert [row["id"] for row in listed["results"]] == [body["id"]]
    assert manager.get(f"{URL}{body['id']}/").json()["name"] == "Backup"
    patched = manager.patch(f"{URL}{body['id']}/", {"monthly_value": "110.00"}, content_type="application/json")
    assert (patched.json()["monthly_value"], patched.json()["annual_value"]) == ("110.00", "1320.00")


def test_the_api_refuses_bad_dates_and_agents_cannot_write(tenant1, make_user, client_for):
    manager = client_for(make_user(role=Role.MANAGER))
    customer = CustomerFactory()
    bad = manager.post(URL, {"customer": customer.pk, "name": "X", "start_date": "2026-04-01",
                             "end_date": "2026-03-01", "monthly_value": "1"}, content_type="application/json")
    assert bad.status_code == 400 and "end date must be after" in bad.json()["detail"]
    contract = make_contract(monthly_value=Decimal("50"))
    agent = client_for(make_user(role=Role.SUPPORT))
    assert agent.get(f"{URL}{contract.pk}/").status_code == 200
    assert agent.patch(f"{URL}{contract.pk}/", {"name": "No"}, content_type="application/json").status_code == 403
    assert agent.post(URL, {}, content_type="application/json").status_code == 403
    assert SupportContract.objects.get().status == ContractStatus.ACTIVE


def test_tickets_over_the_api_go_under_the_contract_in_force_and_can_leave_it(tenant1, make_user, client_for):
    from django.utils import timezone

    from helpdesk.models import Ticket

    # given a customer with a contract in force
    agent = client_for(make_user(role=Role.SUPPORT))
    contract = make_contract(start_date=timezone.localdate().replace(day=1))
    # when a ticket is opened over the API without naming a contract
    created = agent.post("/api/v1/tickets/", {"customer": contract.customer.pk, "subject": "Server down"},
                         content_type="application/json")
    # then it goes under the contract in force
    assert created.status_code == 201, created.content
    assert created.json()["contract"] == contract.pk
    # and it can be taken out of it
    patched = agent.patch(f"/api/v1/tickets/{created.json()['id']}/", {"contract": None},
                          content_type="application/json")
    assert patched.status_code == 200 and patched.json()["contract"] is None
    assert Ticket.objects.get().contract is None
