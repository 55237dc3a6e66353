"""Quote documents against the real database: numbers, lines and totals, revisions, approval, the workflow."""

from datetime import date
from decimal import Decimal as D

import pytest

from core.models import Event
from crm.models import Contact
from crm.tests.factories import CustomerFactory
from quotes.errors import QuoteError
from quotes.models import PricingSettings, QuoteStatus, QuoteTransition
from quotes.services import quotes as services
from quotes.tests.factories import ProductFactory


@pytest.fixture
def quote(admin_user):
    return services.quote_create(customer=CustomerFactory(name="Northgate Academy"), acting_user=admin_user,
                                 title="Wi-Fi refresh", today=date(2026, 11, 30))


def item(quote, user, **fields):
    defaults = {"description": "Cat6A point", "quantity": D(1), "unit_price": D("100.00"), "unit_cost": D("60.00")}
    return services.line_add(quote=quote, acting_user=user, fields={**defaults, **fields})


def test_quotes_are_numbered_per_year_and_copy_the_tenant_defaults(admin_user, quote):
    second = services.quote_create(customer=quote.customer, acting_user=admin_user, title="Phones",
                                   today=date(2026, 12, 31))
    next_year = services.quote_create(customer=quote.customer, acting_user=admin_user, title="Cabling",
                                      today=date(2027, 1, 4))
    assert [quote.reference, second.reference, next_year.reference] == ["Q-2026-00001", "Q-2026-00002", "Q-2027-00001"]
    assert (quote.currency, quote.tax_rate, quote.valid_until) == ("GBP", D("20.00"), date(2026, 12, 30))
    assert quote.terms == PricingSettings.objects.get().terms and quote.owner == admin_user
    assert Event.objects.filter(kind="quotes.quote_created", customer_id=quote.customer_id).count() == 3


def test_a_contact_of_another_customer_is_refused_and_takes_no_number(admin_user, quote):
    stranger = Contact.objects.create(customer=CustomerFactory(), first_name="Not", last_name="Theirs")
    with pytest.raises(QuoteError, match="That contact belongs to another customer."):
        services.quote_create(customer=quote.customer, acting_user=admin_user, title="x", contact=stranger,
                              today=date(2026, 11, 30))
    assert services.quote_create(customer=quote.customer, acting_user=admin_user, title="y",
                                 today=date(2026, 11, 30)).reference == "Q-2026-00002"


def test_lines_keep_their_order_and_the_totals_follow_every_edit(admin_user, quote):
    heading = services.line_add(quote=quote, acting_user=admin_user, fields={"kind": "section", "description": "Hall"})
    first = item(quote, admin_user, quantity=D(3), unit_price=D("12.50"), unit_cost=D("8.00"))
    second = item(quote, admin_user, quantity=D(10), unit_price=D("19.99"), unit_cost=D("14.00"),
                  discount_percent=D("12.5"))
    quote.refresh_from_db()
    # 37.50 + 174.91 = 212.41; VAT 42.482 -> 42.48; total 254.89
    assert (quote.net_total, quote.tax_total, quote.grand_total) == (D("212.41"), D("42.48"), D("254.89"))
    copy = services.line_duplicate(line=first, acting_user=admin_user)
    assert list(quote.lines.values_list("pk", flat=True)) == [heading.pk, first.pk, copy.pk, second.pk]
    saved = services.line_delete(line=copy, acting_user=admin_user)
    restored = services.line_restore(quote=quote, acting_user=admin_user, saved=saved)  # undo
    assert list(quote.lines.values_list("pk", flat=True)) == [heading.pk, first.pk, restored.pk, second.pk]
    services.line_move(quote=quote, acting_user=admin_user, ordered_ids=[heading.pk, second.pk, first.pk, restored.pk])
    assert list(quote.lines.values_list("position", "pk")) == [(1, heading.pk), (2, second.pk), (3, first.pk),
                                                                 (4, restored.pk)]
    with pytest.raises(QuoteError, match="The quote changed while you were moving lines"):
        services.line_move(quote=quote, acting_user=admin_user, ordered_ids=[heading.pk, second.pk])
    quote.refresh_from_db()
    assert quote.net_total == D("249.91")  # 212.41 + the restored 37.50


def test_prices_from_markup_follow_the_rounding_rule_and_negative_prices_are_refused(admin_user, quote):
    PricingSettings.objects.update(rounding="0.05")
    line = item(quote, admin_user, unit_cost=D("10.00"), markup_percent=D("33.33"))
    assert line.unit_price == D("13.35")  # 13.333 to the nearest 5p
    line = services.line_update(line=line, acting_user=admin_user, changes={"unit_price": D("14.00")})
    assert (line.unit_price, line.markup_percent) == (D("14.00"), None)  # a typed price wins
    with pytest.raises(QuoteError, match="unit price"):
        services.line_update(line=line, acting_user=admin_user, changes={"unit_price": D("-1.00")})
    assert item(quote, admin_user, unit_price=D("0.00")).unit_price == D("0.00")  # zero is allowed


def test_a_product_line_copies_the_catalogue(admin_user, quote):
    product = ProductFactory(part_number="UTP-C6A-305", description="Cat6A U/FTP cable, 305 m reel",
                             cost_price=D("180.00"), list_price=D("249.00"))
    line = services.line_add_from_product(quote=quote, acting_user=admin_user, product=product, quantity=D(2))
    assert (line.part_number, line.description, line.unit_cost, line.unit_price, line.supplier_name) == (
        "UTP-C6A-305", "Cat6A U/FTP cable, 305 m reel", D("180.00"), D("249.00"), product.supplier.name)
    quote.refresh_from_db()
    assert quote.net_total == D("498.00")


def test_sending_freezes_r1_and_revising_starts_r2_without_touching_it(admin_user, quote):
    line = item(quote, admin_user)
    r1 = services.quote_send(quote=quote, acting_user=admin_user)
    quote.refresh_from_db()
    assert (quote.status, r1.number, r1.snapshot["totals"]["total"]) == (QuoteStatus.SENT, 1, "120.00")
    with pytest.raises(QuoteError, match="Q-2026-00001 R1 was sent and cannot change: revise it to start R2."):
        services.line_update(line=line, acting_user=admin_user, changes={"quantity": D(5)})
    services.quote_revise(quote=quote, acting_user=admin_user)
    services.line_update(line=line, acting_user=admin_user, changes={"quantity": D(5)})
    r2 = services.quote_send(quote=quote, acting_user=admin_user)
    r1.refresh_from_db()
    assert (r1.snapshot["totals"]["total"], r2.snapshot["totals"]["total"]) == ("120.00", "600.00")
    services.quote_accept(quote=quote, acting_user=admin_user, revision=1)
    quote.refresh_from_db()
    r1.refresh_from_db()
    r2.refresh_from_db()
    assert (quote.status, r1.is_superseded, r2.is_superseded) == (QuoteStatus.ACCEPTED, False, True)
    assert QuoteTransition.objects.filter(to_status="accepted").values_list("revision", "comment").get() == (
        1, "R1 accepted")


@pytest.mark.parametrize(("path", "then", "message"), [
    (["send", "reject"], "accept", "A quote that is rejected cannot become accepted."),
    ([], "accept", "There is no sent revision to accept."),
    (["send", "accept"], "reject", "A quote that is accepted cannot become rejected."),
    (["cancel"], "send", "Only a draft can be sent; revise a sent quote first."),
])
def test_illegal_transitions_say_why(admin_user, quote, path, then, message):
    item(quote, admin_user)
    actions = {"send": services.quote_send, "reject": services.quote_reject, "accept": services.quote_accept,
               "cancel": services.quote_cancel}
    for step in path:
        actions[step](quote=quote, acting_user=admin_user)
        quote.refresh_from_db()
    with pytest.raises(QuoteError, match=message):
        actions[then](quote=quote, acting_user=admin_user)


def test_only_a_manager_with_a_reason_cancels_an_accepted_quote(admin_user, quote):
    item(quote, admin_user)
    services.quote_send(quote=quote, acting_user=admin_user)
    quote.refresh_from_db()
    services.quote_accept(quote=quote, acting_user=admin_user)
    with pytest.raises(QuoteError, match="Only a manager can cancel an accepted quote."):
        services.quote_cancel(quote=quote, acting_user=admin_user, reason="Budget cut")
    with pytest.raises(QuoteError, match="Say why an accepted quote is cancelled."):
        services.quote_cancel(quote=quote, acting_user=admin_user, is_manager=True)
    services.quote_cancel(quote=quote, acting_user=admin_user, reason="Budget cut", is_manager=True)
    assert list(QuoteTransition.objects.values_list("from_status", "to_status", "comment")) == [
        ("draft", "sent", ""), ("sent", "accepted", "R1 accepted"), ("accepted", "cancelled", "Budget cut")]


def test_a_low_margin_needs_a_managers_approval_before_sending(admin_user, quote):
    PricingSettings.objects.update(approval_margin_below_percent=D("25.00"), approval_discount_above_percent=D("10"))
    item(quote, admin_user, unit_price=D("100.00"), unit_cost=D("80.00"), discount_percent=D("15"))
    quote.refresh_from_db()
    # net 85.00, cost 80.00: margin 5.88 %
    assert quote.approval == "pending"
    assert quote.approval_reasons == ["Margin 5.88 % is below 25.00 %.", "A line is discounted 15 %, above 10.00 %."]
    with pytest.raises(QuoteError, match="A manager must approve this quote before it is sent"):
        services.quote_send(quote=quote, acting_user=admin_user)
    services.quote_approve(quote=quote, acting_user=admin_user, approve=True, comment="Strategic account")
    assert services.quote_send(quote=quote, acting_user=admin_user).number == 1


def test_the_daily_job_expires_quotes_past_their_date(admin_user, quote):
    item(quote, admin_user)
    services.quote_send(quote=quote, acting_user=admin_user)
    assert services.quotes_expire_due(today=date(2026, 12, 30)) == 0  # valid until the 30th
    assert services.quotes_expire_due(today=date(2026, 12, 31)) == 1
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.EXPIRED


def test_the_header_takes_only_the_customers_own_contact_and_site(admin_user, quote):
    # given
    from crm.models import Address

    elsewhere = CustomerFactory()
    contact = Contact.objects.create(customer=elsewhere, first_name="Not", last_name="Theirs")
    site = Address.objects.create(customer=elsewhere, kind="site", line1="1 Other St", town="Leeds",
                                  postcode="LS1 1AA", country="United Kingdom")
    # then
    for name, value in (("contact", contact), ("site", site)):
        with pytest.raises(QuoteError, match=f"That {name} belongs to another customer."):
            services.quote_update(quote=quote, acting_user=admin_user, changes={name: value})
    quote.refresh_from_db()
    assert (quote.contact_id, quote.site_id) == (None, None)
