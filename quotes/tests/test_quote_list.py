"""The quotes list: search, filters by status, owner and creation date, totals of what is listed, fixed query cost."""

from datetime import date, datetime
from datetime import timezone as dt_timezone
from decimal import Decimal as D

from crm.tests.factories import CustomerFactory
from quotes.models import Quote
from quotes.services import quotes as services


def _quote(user, title, *, created, price, owner=None):
    quote = services.quote_create(customer=CustomerFactory(), acting_user=user, title=title, owner=owner)
    services.line_add(quote=quote, acting_user=user, fields={"description": "x", "unit_price": D(price)})
    Quote.objects.filter(pk=quote.pk).update(created_at=datetime(*created, 12, tzinfo=dt_timezone.utc))
    return quote


def test_filters_by_owner_and_creation_date_and_sums_what_is_listed(admin_client1, admin_user, make_user):
    # given
    sam = make_user(role="Sales", email="sam@test1.example.com", first_name="Sam", last_name="Seller")
    _quote(admin_user, "January mine", created=(2026, 1, 10), price="100.00")
    _quote(admin_user, "March mine", created=(2026, 3, 5), price="200.00")
    _quote(admin_user, "March Sam", created=(2026, 3, 20), price="50.00", owner=sam)
    # when
    march = admin_client1.get("/quotes/", {"from": "2026-03-01", "to": "2026-03-31"}).content.decode()
    sams = admin_client1.get("/quotes/", {"owner": sam.pk}).content.decode()
    mine_in_march = admin_client1.get("/quotes/", {"owner": "me", "from": "2026-03-01"}).content.decode()
    bad = admin_client1.get("/quotes/", {"from": "31/03/2026"}).content.decode()
    # then: 200 + 50 = 250.00 net, 300.00 with VAT
    assert "March mine" in march and "March Sam" in march and "January mine" not in march
    assert "2 quotes · total GBP 300.00" in march
    assert "March Sam" in sams and "March mine" not in sams and f'<option value="{sam.pk}" selected>' in sams
    assert "March mine" in mine_in_march and "March Sam" not in mine_in_march and "January" not in mine_in_march
    assert "“31/03/2026” is not a date" in bad and bad.count('data-testid="quote-row"') == 3


def test_the_quote_list_costs_the_same_queries_for_25_or_60_quotes(admin_client1, admin_user, assert_queries):
    for number in range(60):
        services.quote_create(customer=CustomerFactory(), acting_user=admin_user, title=f"Quote {number}")
    admin_client1.get("/quotes/")
    with assert_queries(7):  # domain, user, groups, owners menu, count and sums in one, the page, unread count
        response = admin_client1.get("/quotes/", {"status": "draft", "from": date(2020, 1, 1).isoformat()})
    assert response.content.decode().count('data-testid="quote-row"') == 25
