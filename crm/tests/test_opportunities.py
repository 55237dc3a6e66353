from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from core.models import Event
from crm.models import Activity, Customer, CustomerStatus, Opportunity
from crm.services import opportunities as services
from crm.services.lifecycle import customers_mark_inactive
from crm.tests.factories import CustomerFactory
from tests.html_validity import assert_valid_html


def _status_events(customer):
    return list(Event.objects.filter(customer_id=customer.pk, kind="crm.customer_status_changed").order_by("id")
                .values_list("actor_id", "data__to", "data__reason"))


def test_qualifying_makes_a_lead_a_prospect_and_winning_makes_a_customer(admin_user):
    customer = CustomerFactory()
    opportunity = services.opportunity_create(customer=customer, acting_user=admin_user,
                                              fields={"title": "Wi-Fi upgrade", "value": Decimal("8400")})
    services.opportunity_move(opportunity=opportunity, stage="won", acting_user=admin_user)
    assert Customer.objects.get(pk=customer.pk).status == CustomerStatus.CUSTOMER
    assert _status_events(customer) == [
        (None, "Prospect", "Opportunity “Wi-Fi upgrade” reached Qualified."),
        (None, "Customer", "Opportunity “Wi-Fi upgrade” was won.")]
    assert (Opportunity.objects.get().probability, Opportunity.objects.get().closed_at is not None) == (100, True)


def test_automation_can_be_switched_off_per_customer(admin_user):
    customer = CustomerFactory(lifecycle_automation=False)
    services.opportunity_create(customer=customer, acting_user=admin_user, fields={"title": "T"}, stage="won")
    assert Customer.objects.get(pk=customer.pk).status == CustomerStatus.LEAD


def test_quiet_customers_become_inactive_after_ninety_days(admin_user):
    now = timezone.now()
    long_ago = now - timedelta(days=200)
    quiet = CustomerFactory(name="Quiet", status=CustomerStatus.CUSTOMER, created_at=long_ago)
    Activity.objects.create(customer=quiet, subject="Old call", occurred_at=now - timedelta(days=91), owner=admin_user)
    talked_to = CustomerFactory(name="Recent", status=CustomerStatus.CUSTOMER, created_at=long_ago)
    Activity.objects.create(customer=talked_to, subject="Call", occurred_at=now - timedelta(days=89), owner=admin_user)
    with_deal = CustomerFactory(name="Deal", status=CustomerStatus.PROSPECT, created_at=long_ago)
    Opportunity.objects.create(customer=with_deal, title="Open", stage="negotiation")
    switched_off = CustomerFactory(name="Off", status=CustomerStatus.CUSTOMER, created_at=long_ago, lifecycle_automation=False)
    lost = CustomerFactory(name="Lost", status=CustomerStatus.LOST, created_at=long_ago)
    # when the daily rule runs
    assert customers_mark_inactive(now=now) == 1
    # then only the quiet one moved, and its timeline says why
    statuses = dict(Customer.objects.filter(pk__in=[quiet.pk, talked_to.pk, with_deal.pk, switched_off.pk, lost.pk])
                    .values_list("name", "status"))
    assert statuses == {"Quiet": "inactive", "Recent": "customer", "Deal": "prospect", "Off": "customer", "Lost": "lost"}
    reason = _status_events(quiet)[0][2]
    assert reason.startswith("No contact for 90 days (last on ") and reason.endswith(") and no open opportunity.")


def test_the_board_totals_in_sql_and_drags_move_stages(admin_client1, admin_user, assert_queries):
    customer = CustomerFactory(name="Board Co")
    for index in range(6):
        services.opportunity_create(customer=customer, acting_user=admin_user,
                                    fields={"title": f"Deal {index}", "value": Decimal("1000.50")},
                                    stage="proposal_sent" if index % 2 else "qualified")
    with assert_queries(8):  # the first cards of every stage in one query, not one per stage
        page = admin_client1.get("/pipeline/")
    html = page.content.decode()
    assert_valid_html(html)
    assert "3 · GBP 3,001.50" in html.split('data-testid="total-qualified"')[1].split("</div>")[0]
    deal = Opportunity.objects.get(title="Deal 0")
    moved = admin_client1.post(f"/opportunities/{deal.pk}/stage/", {"stage": "negotiation"}, HTTP_HX_REQUEST="true")
    assert moved.status_code == 200 and '"total-negotiation">1 · GBP 1,000.50' in moved.content.decode()
    assert Event.objects.filter(kind="crm.opportunity_stage_changed").get().data["to"] == "Negotiation"


def test_the_tab_opens_an_opportunity_and_the_list_filters(admin_client1):
    customer = CustomerFactory(name="Tab Co")
    tab = admin_client1.get(f"/customers/{customer.pk}/opportunities/", HTTP_HX_REQUEST="true").content.decode()
    assert_valid_html(tab, fragment=True)
    created = admin_client1.post(f"/customers/{customer.pk}/opportunities/new/",
                                 {"title": "CCTV", "value": "2400", "probability": "30", "stage": "scoping"},
                                 HTTP_HX_REQUEST="true")
    assert created.status_code == 200 and 'data-title="CCTV"' in created.content.decode()
    bad = admin_client1.post(f"/customers/{customer.pk}/opportunities/new/",
                             {"title": "Kept title", "value": "-5", "probability": "130", "stage": "scoping"}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 422 and 'value="Kept title"' in bad.content.decode()
    listing = admin_client1.get("/opportunities/", {"stage": "scoping", "q": "tab co"}).content.decode()
    assert_valid_html(listing)
    assert 'data-testid="opportunity-row" data-title="CCTV"' in listing
    assert Customer.objects.get(pk=customer.pk).status == CustomerStatus.PROSPECT


def test_editing_an_opportunity_in_the_tab(admin_client1, admin_user):
    customer = CustomerFactory()
    deal = services.opportunity_create(customer=customer, acting_user=admin_user, fields={"title": "Old title"})
    form = admin_client1.get(f"/customers/{customer.pk}/opportunities/{deal.pk}/edit/", HTTP_HX_REQUEST="true").content.decode()
    assert "Edit “Old title”" in form and 'value="Old title"' in form
    assert_valid_html(form, fragment=True)
    saved = admin_client1.post(f"/customers/{customer.pk}/opportunities/{deal.pk}/edit/",
                               {"title": "New title", "value": "5000", "probability": "60", "stage": "negotiation"},
                               HTTP_HX_REQUEST="true")
    assert saved.status_code == 200 and 'data-title="New title"' in saved.content.decode()
    deal.refresh_from_db()
    assert (deal.title, deal.value, deal.stage) == ("New title", Decimal("5000.00"), "negotiation")
    assert [e.kind for e in Event.objects.filter(customer_id=customer.pk).order_by("id")][-2:] == [
        "crm.opportunity_stage_changed", "crm.opportunity_changed"]
    other = CustomerFactory()
    assert admin_client1.get(f"/customers/{other.pk}/opportunities/{deal.pk}/edit/", HTTP_HX_REQUEST="true").status_code == 404
