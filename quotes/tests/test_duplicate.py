"""Duplicating a quote: a new, independent draft with the same lines, for the same or another customer."""

from decimal import Decimal as D

from django.utils import timezone

from core.models import Event
from crm.services.contacts import contact_create
from crm.tests.factories import CustomerFactory
from quotes.models import Quote, QuoteStatus
from quotes.services import quotes as services
from tests.html_validity import assert_valid_html


def _sent_quote(user):
    customer = CustomerFactory(name="Oakfield School")
    quote = services.quote_create(customer=customer, acting_user=user, title="Hall Wi-Fi", introduction="As discussed")
    services.line_add(quote=quote, acting_user=user, fields={"kind": "section", "description": "Hardware"})
    services.line_add(quote=quote, acting_user=user, fields={
        "description": "Access point", "quantity": D("4"), "unit_price": D("250.00"), "unit_cost": D("180.00"),
        "discount_percent": D("5")})
    services.line_add(quote=quote, acting_user=user, fields={
        "description": "Support", "quantity": D("1"), "unit_price": D("40.00"), "recurrence": "monthly"})
    services.line_add(quote=quote, acting_user=user, fields={
        "description": "Spare unit", "quantity": D("1"), "unit_price": D("250.00"), "is_optional": True})
    services.quote_send(quote=quote, acting_user=user)
    quote.refresh_from_db()
    return quote


def test_a_duplicate_is_a_new_draft_with_the_same_lines_and_totals(admin_user):
    # given a sent quote
    source = _sent_quote(admin_user)
    # when
    copy = services.quote_duplicate(quote=source, acting_user=admin_user)
    # then
    assert copy.pk != source.pk and copy.number == source.number + 1
    assert (copy.status, copy.revision, copy.customer_id, copy.title) == (QuoteStatus.DRAFT, 1, source.customer_id,
                                                                          "Hall Wi-Fi")
    fields = ("kind", "description", "quantity", "unit_price", "unit_cost", "discount_percent", "is_optional",
              "recurrence", "position")
    assert list(copy.lines.order_by("position").values_list(*fields)) == list(
        source.lines.order_by("position").values_list(*fields))
    assert (copy.net_total, copy.grand_total, copy.monthly_total) == (D("950.00"), D("1140.00"), D("40.00"))
    assert copy.valid_until > timezone.localdate()
    assert not copy.revisions.exists()
    event = Event.objects.filter(kind="quotes.quote_duplicated").get()
    assert event.data["source"] == source.reference and event.data["lines"] == 4


def test_editing_the_copy_leaves_the_original_untouched(admin_user):
    source = _sent_quote(admin_user)
    copy = services.quote_duplicate(quote=source, acting_user=admin_user)
    line = copy.lines.get(description="Access point")
    services.line_update(line=line, acting_user=admin_user, changes={"quantity": D("10")})
    assert source.lines.get(description="Access point").quantity == D("4")
    source.refresh_from_db()
    assert source.net_total == D("950.00")


def test_duplicate_for_another_customer_through_the_pages(admin_client1, admin_user):
    # given
    source = _sent_quote(admin_user)
    other = CustomerFactory(name="Riverside Surgery")
    contact = contact_create(customer=other, acting_user=admin_user, fields={"first_name": "Priya", "last_name": "Shah"})
    # when the user picks the other customer, then submits the prefilled form
    picker = admin_client1.get(f"/quotes/{source.pk}/duplicate/").content.decode()
    form = admin_client1.get(f"/quotes/{source.pk}/duplicate/", {"customer": other.pk}).content.decode()
    refused = admin_client1.post(f"/quotes/{source.pk}/duplicate/", {"customer": other.pk, "title": "",
                                                                     "introduction": "Keep this"})
    response = admin_client1.post(f"/quotes/{source.pk}/duplicate/", {
        "customer": other.pk, "title": "Surgery Wi-Fi", "contact": contact.pk, "introduction": "For the surgery"})
    # then
    assert f'href="/quotes/{source.pk}/duplicate/?customer={source.customer_id}"' in picker
    assert 'value="Hall Wi-Fi"' in form and f'<option value="{contact.pk}" selected>' in form
    assert_valid_html(picker)
    assert_valid_html(form)
    assert refused.status_code == 422 and "Keep this" in refused.content.decode()
    copy = Quote.objects.get(title="Surgery Wi-Fi")
    assert response["Location"] == f"/quotes/{copy.pk}/"
    assert (copy.customer_id, copy.contact_id, copy.introduction, copy.lines.count()) == (
        other.pk, contact.pk, "For the surgery", 4)


def test_read_only_users_cannot_duplicate(client_for, make_user, admin_user):
    source = _sent_quote(admin_user)
    assert client_for(make_user(role="Read-only")).post(f"/quotes/{source.pk}/duplicate/", {"customer": source.customer_id,
                                                                     "title": "Copy"}).status_code == 403
    assert Quote.objects.count() == 1
