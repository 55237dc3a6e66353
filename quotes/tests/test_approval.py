"""Approval: the estimator asks, the managers are told why, the decision reaches the owner live; only managers decide."""

from decimal import Decimal as D

from core.models import Notification
from crm.tests.factories import CustomerFactory
from quotes.models import PricingSettings
from quotes.services import quotes as services


def _low_margin_quote(owner):
    PricingSettings.objects.update(approval_margin_below_percent=D("25.00"))
    quote = services.quote_create(customer=CustomerFactory(), acting_user=owner, title="Tight job")
    services.line_add(quote=quote, acting_user=owner, fields={"description": "Switch", "unit_price": D("100.00"),
                                                               "unit_cost": D("90.00")})
    quote.refresh_from_db()
    return quote


def test_asking_for_approval_notifies_managers_and_the_decision_notifies_the_owner(tenant1, client_for, make_user):
    # given an estimator's quote under the margin floor, and a manager
    sam = make_user(role="Sales", email="sam@test1.example.com", first_name="Sam", last_name="Sales")
    maria = make_user(role="Manager", email="maria@test1.example.com", first_name="Maria", last_name="Mills")
    quote = _low_margin_quote(sam)
    sales, manager = client_for(sam), client_for(maria)
    builder = sales.get(f"/quotes/{quote.pk}/").content.decode()
    assert "Ask a manager to approve" in builder
    # when Sam asks
    sales.post(f"/quotes/{quote.pk}/action/", {"action": "request_approval"})
    # then Maria is told why, with a link to the quote
    asked = Notification.objects.get(recipient=maria)
    assert asked.message == f"Sam Sales asks you to approve {quote.reference} “Tight job”: Margin 10.00 % is below 25.00 %."
    assert asked.link == f"/quotes/{quote.pk}/"
    assert not Notification.objects.filter(recipient=sam).exists()
    assert "Awaiting" in manager.get("/quotes/", {"status": "approval"}).content.decode()
    assert quote.reference in manager.get("/quotes/", {"status": "approval"}).content.decode()
    # when Sam tries to approve it himself, nothing changes; when Maria refuses with a comment, Sam is told
    sales.post(f"/quotes/{quote.pk}/action/", {"action": "approve"})
    quote.refresh_from_db()
    assert quote.approval == "pending"
    manager.post(f"/quotes/{quote.pk}/action/", {"action": "refuse", "comment": "Price the switch at 120"})
    quote.refresh_from_db()
    assert quote.approval == "rejected"
    told = Notification.objects.get(recipient=sam)
    assert told.message == f"Maria Mills refused to approve {quote.reference}. — Price the switch at 120"
