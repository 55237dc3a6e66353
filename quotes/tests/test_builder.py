"""The quote builder as an estimator uses it: each field saved on leaving, totals swapped in, undo, the workflow."""

import re

import pytest
from decimal import Decimal as D

from django.utils import timezone

from crm.tests.factories import CustomerFactory
from quotes.errors import QuoteError
from quotes.models import Quote, QuoteLine
from quotes.services import quotes as services
from tests.html_validity import assert_valid_html


def new_quote(user):
    return services.quote_create(customer=CustomerFactory(name="Oakfield School"), acting_user=user, title="Hall Wi-Fi")


def test_start_a_quote_for_a_customer_and_open_the_builder(admin_client1):
    customer = CustomerFactory(name="Riverside Surgery")
    matches = admin_client1.get("/quotes/new/", {"q": "riverside"}, HTTP_HX_REQUEST="true").content.decode()
    assert f'href="/quotes/new/?customer={customer.pk}"' in matches
    refused = admin_client1.post("/quotes/new/", {"customer": customer.pk, "title": "", "introduction": "Keep me"})
    assert refused.status_code == 422 and "Give the quote a title." in refused.content.decode()
    assert "Keep me" in refused.content.decode()
    response = admin_client1.post("/quotes/new/", {"customer": customer.pk, "title": "Server room"})
    quote = Quote.objects.get()
    assert response["Location"] == f"/quotes/{quote.pk}/"
    page = admin_client1.get(response["Location"]).content.decode()
    assert f"Q-{timezone.localdate().year}-00001 R1" in page
    assert_valid_html(page)


def test_a_field_saved_on_leaving_swaps_in_the_line_figures_and_the_totals(admin_client1, admin_user, assert_queries):
    quote = new_quote(admin_user)
    line = services.line_add(quote=quote, acting_user=admin_user,
                             fields={"description": "Access point", "unit_price": D("250.00"), "unit_cost": D("180.00")})
    response = admin_client1.post(f"/quotes/{quote.pk}/lines/{line.pk}/", {"field": "quantity", "value": "4"},
                                  HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    # 4 x 250.00 = 1,000.00; margin 280.00 = 28 %; VAT 200.00; total 1,200.00 — and no input is replaced
    assert f'id="line-{line.pk}-figures" hx-swap-oob="true"' in html and "1,000.00" in html and "28.00 %" in html
    assert 'data-testid="total-total">GBP 1,200.00<' in html and 'name="value"' not in html
    assert_valid_html(html, fragment=True)
    price = admin_client1.post(f"/quotes/{quote.pk}/lines/{line.pk}/", {"field": "markup_percent", "value": "50"},
                               HTTP_HX_REQUEST="true").content.decode()
    assert f'id="line-{line.pk}-unit_price"' in price and 'value="270.00"' in price  # 180.00 + 50 %
    bad = admin_client1.post(f"/quotes/{quote.pk}/lines/{line.pk}/", {"field": "unit_price", "value": "-3"},
                             HTTP_HX_REQUEST="true").content.decode()
    assert "unit price" in bad and 'class="alert alert-danger small"' in bad
    line.refresh_from_db()
    assert (line.quantity, line.unit_price) == (D("4.000"), D("270.00"))
    with assert_queries(13):  # domain, user, groups, quote, line; savepoint, lock, line again, settings, line, lines, quote, release
        admin_client1.post(f"/quotes/{quote.pk}/lines/{line.pk}/", {"field": "discount_percent", "value": "5"},
                           HTTP_HX_REQUEST="true")


def test_the_builder_page_costs_the_same_with_200_lines(admin_client1, admin_user, assert_queries):
    quote = new_quote(admin_user)
    for number in range(200):
        QuoteLine.objects.create(quote=quote, position=number + 1, description=f"Line {number}", unit_price=D("1.00"))
    with assert_queries(10):
        page = admin_client1.get(f"/quotes/{quote.pk}/").content.decode()
    assert page.count('data-testid="line-row"') == 200


def test_delete_with_undo_and_duplicate(admin_client1, admin_user):
    quote = new_quote(admin_user)
    first = services.line_add(quote=quote, acting_user=admin_user, fields={"description": "Patch panel"})
    second = services.line_add(quote=quote, acting_user=admin_user, fields={"description": "Cabinet"})
    deleted = admin_client1.post(f"/quotes/{quote.pk}/lines/{first.pk}/delete/", HTTP_HX_REQUEST="true").content.decode()
    token = re.search(r'name="token" value="([^"]+)"', deleted).group(1)
    assert list(quote.lines.values_list("description", flat=True)) == ["Cabinet"]
    admin_client1.post(f"/quotes/{quote.pk}/lines/undo/", {"token": token}, HTTP_HX_REQUEST="true")
    assert list(quote.lines.values_list("description", flat=True)) == ["Patch panel", "Cabinet"]
    admin_client1.post(f"/quotes/{quote.pk}/lines/{second.pk}/duplicate/", HTTP_HX_REQUEST="true")
    assert list(quote.lines.values_list("description", flat=True)) == ["Patch panel", "Cabinet", "Cabinet"]
    other = new_quote(admin_user)
    assert admin_client1.post(f"/quotes/{other.pk}/lines/undo/", {"token": token}).status_code == 404


def test_send_then_the_lines_are_frozen_and_revise_opens_r2(admin_client1, admin_user):
    quote = new_quote(admin_user)
    line = services.line_add(quote=quote, acting_user=admin_user, fields={"description": "Survey", "unit_price": D("95")})
    page = admin_client1.post(f"/quotes/{quote.pk}/action/", {"action": "send"}, follow=True).content.decode()
    assert "Q-" in page and "R1 is sent and frozen." in page and 'readonly' in page
    refused = admin_client1.post(f"/quotes/{quote.pk}/lines/{line.pk}/", {"field": "quantity", "value": "3"},
                                 HTTP_HX_REQUEST="true").content.decode()
    assert "was sent and cannot change: revise it to start R2." in refused
    revision = admin_client1.get(f"/quotes/{quote.pk}/revisions/1/").content.decode()
    assert "Survey" in revision and "114.00" in revision  # 95.00 + 19.00 VAT
    assert_valid_html(revision)
    admin_client1.post(f"/quotes/{quote.pk}/action/", {"action": "revise"})
    quote.refresh_from_db()
    assert (quote.status, quote.revision) == ("draft", 2)


def test_the_quote_list_searches_by_number_and_shows_totals(admin_client1, admin_user):
    quote = new_quote(admin_user)
    services.line_add(quote=quote, acting_user=admin_user, fields={"description": "x", "unit_price": D("10")})
    new_quote(admin_user)
    found = admin_client1.get("/quotes/", {"q": quote.reference}).content.decode()
    assert found.count('data-testid="quote-row"') == 1 and "GBP 12.00" in found
    assert_valid_html(admin_client1.get("/quotes/").content.decode())


def test_the_customer_page_has_a_quotes_tab(admin_client1, admin_user):
    quote = new_quote(admin_user)
    services.line_add(quote=quote, acting_user=admin_user, fields={"description": "x", "unit_price": D("10")})
    page = admin_client1.get(f"/customers/{quote.customer_id}/").content.decode()
    assert 'id="tab-quotes"' in page
    tab = admin_client1.get(f"/customers/{quote.customer_id}/quotes/", HTTP_HX_REQUEST="true").content.decode()
    assert quote.reference in tab and "GBP 12.00" in tab and f"/quotes/new/?customer={quote.customer_id}" in tab
    assert_valid_html(tab, fragment=True)


def test_lines_and_sections_move_one_place_with_the_buttons(admin_client1, admin_user):
    # given: A, [Section 1: B, C], [Section 2: D]
    quote = new_quote(admin_user)
    a = services.line_add(quote=quote, acting_user=admin_user, fields={"description": "A"})
    services.line_add(quote=quote, acting_user=admin_user, fields={"kind": "section", "description": "Section 1"})
    services.line_add(quote=quote, acting_user=admin_user, fields={"description": "B"})
    c = services.line_add(quote=quote, acting_user=admin_user, fields={"description": "C"})
    two = services.line_add(quote=quote, acting_user=admin_user, fields={"kind": "section", "description": "Section 2"})
    d = services.line_add(quote=quote, acting_user=admin_user, fields={"description": "D"})

    def order():
        return list(quote.lines.order_by("position").values_list("description", flat=True))

    # when / then: an item swaps with its neighbour, across a heading too
    response = admin_client1.post(f"/quotes/{quote.pk}/lines/{c.pk}/move/", {"direction": "up"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'id="lines-and-totals"' in response.content.decode()
    assert order() == ["A", "Section 1", "C", "B", "Section 2", "D"]
    admin_client1.post(f"/quotes/{quote.pk}/lines/{d.pk}/move/", {"direction": "up"}, HTTP_HX_REQUEST="true")
    assert order() == ["A", "Section 1", "C", "B", "D", "Section 2"]
    # a section moves with its lines, past the whole neighbouring section, never above the unsectioned lines
    admin_client1.post(f"/quotes/{quote.pk}/lines/{d.pk}/move/", {"direction": "down"}, HTTP_HX_REQUEST="true")
    admin_client1.post(f"/quotes/{quote.pk}/lines/{two.pk}/move/", {"direction": "up"}, HTTP_HX_REQUEST="true")
    assert order() == ["A", "Section 2", "D", "Section 1", "C", "B"]
    assert services.line_shift(line=quote.lines.get(pk=two.pk), acting_user=admin_user, up=True) is False
    assert services.line_shift(line=quote.lines.get(pk=a.pk), acting_user=admin_user, up=True) is False


def test_the_builder_adds_a_line_from_catalogue_search(admin_client1, admin_user):
    from quotes.tests.factories import ProductFactory, SupplierFactory

    # given
    quote = new_quote(admin_user)
    ProductFactory(supplier=SupplierFactory(name="Excel Networking"), part_number="C6A-PP-24",
                   description="Cat6a 24-port shielded patch panel", cost_price=D("54.20"), list_price=D("89.00"))
    # when
    results = admin_client1.get("/catalogue/search/", {"q": "patch panel", "quote": quote.pk},
                                HTTP_HX_REQUEST="true").content.decode()
    product_pk = re.search(r'"product": "(\d+)"', results).group(1)
    added = admin_client1.post(f"/quotes/{quote.pk}/lines/", {"product": product_pk}, HTTP_HX_REQUEST="true")
    # then
    assert 'data-testid="catalogue-pick"' in results and f'hx-post="/quotes/{quote.pk}/lines/"' in results
    assert_valid_html(results, fragment=True)
    line = quote.lines.get()
    assert (line.part_number, line.supplier_name, line.unit_price, line.unit_cost) == (
        "C6A-PP-24", "Excel Networking", D("89.00"), D("54.20"))
    assert 'data-testid="total-net">89.00<' in added.content.decode()


def test_optional_recurring_and_option_inputs_get_the_whole_lines_and_totals_back(admin_client1, admin_user):
    # given
    quote = new_quote(admin_user)
    line = services.line_add(quote=quote, acting_user=admin_user, fields={"description": "Spare", "unit_price": D("89.00")})
    # when the optional checkbox (hx-target #lines-and-totals, outerHTML) is ticked
    html = admin_client1.post(f"/quotes/{quote.pk}/lines/{line.pk}/", {"field": "is_optional", "value": "on"},
                              HTTP_HX_REQUEST="true").content.decode()
    # then the answer is the block it replaces, never an empty body that would wipe the builder
    assert html.lstrip().startswith('<div id="lines-and-totals"')
    assert 'data-testid="total-net">0.00<' in html and 'data-testid="total-optional">89.00<' in html
    grouped = admin_client1.post(f"/quotes/{quote.pk}/lines/{line.pk}/", {"field": "alternative_group", "value": "Good"},
                                 HTTP_HX_REQUEST="true").content.decode()
    assert grouped.lstrip().startswith('<div id="lines-and-totals"') and f'id="line-{line.pk}-alternative_chosen"' in grouped


def test_a_field_saved_from_a_stale_copy_never_undoes_another_saved_field(admin_user):
    # given two requests that loaded the same line before either saved (two fields left in quick succession)
    quote = new_quote(admin_user)
    line = services.line_add(quote=quote, acting_user=admin_user, fields={"description": "Outlet", "unit_price": D("150")})
    first, second = QuoteLine.objects.get(pk=line.pk), QuoteLine.objects.get(pk=line.pk)
    # when the first saves the quantity and the second, from its stale copy, the unit cost
    services.line_update(line=first, acting_user=admin_user, changes={"quantity": D("3")})
    services.line_update(line=second, acting_user=admin_user, changes={"unit_cost": D("100")})
    # then both are kept, and the totals count both
    line.refresh_from_db()
    quote.refresh_from_db()
    assert (line.quantity, line.unit_cost, line.unit_price) == (D("3.000"), D("100.00"), D("150.00"))
    assert quote.net_total == D("450.00")


def test_a_stale_copy_of_a_quote_sent_meanwhile_cannot_edit_it(admin_user):
    quote = new_quote(admin_user)
    line = services.line_add(quote=quote, acting_user=admin_user, fields={"description": "Outlet", "unit_price": D("10")})
    stale = QuoteLine.objects.select_related("quote").get(pk=line.pk)
    services.quote_send(quote=Quote.objects.get(pk=quote.pk), acting_user=admin_user)
    with pytest.raises(QuoteError, match="was sent and cannot change"):
        services.line_update(line=stale, acting_user=admin_user, changes={"quantity": D("9")})
    assert QuoteLine.objects.get(pk=line.pk).quantity == D("1.000")
