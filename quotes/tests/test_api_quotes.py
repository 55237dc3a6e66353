"""The quotes API: every write through the services, the same permissions as the pages, sent revisions frozen, domain
errors as 400/409 with the reason, and another tenant's quotes out of sight."""

import json
from decimal import Decimal

import pytest

from accounts.roles import Role
from core.models import Event
from crm.models import Contact
from crm.tests.factories import CustomerFactory
from quotes.models import Quote, QuoteLine, QuoteStatus, QuoteTransition
from quotes.services import quotes as services
from quotes.services.pricing import pricing_settings_ensure
from quotes.tests.factories import ProductFactory, SupplierFactory

QUOTES = "/api/v1/quotes/"


def _json(client, method, url, body=None):
    return getattr(client, method)(url, json.dumps(body or {}), content_type="application/json")


@pytest.fixture
def quote(admin_user):
    return services.quote_create(customer=CustomerFactory(name="Northgate Academy"), acting_user=admin_user,
                                 title="Wi-Fi refresh")


def _item(quote, user, **fields):
    return services.line_add(quote=quote, acting_user=user, fields={"description": "Line", **fields})


def _token(client, email, password="correct-horse-battery-staple"):  # the factory's password
    return client.post("/api/v1/auth/token/", {"email": email, "password": password}).json()["access"]


def test_the_list_searches_filters_paginates_and_sums_every_quote_found(admin_client1, admin_user, make_user,
                                                                        assert_queries):
    # given
    other_owner = make_user(role=Role.SALES, email="sales@test1.example.com")
    acme = CustomerFactory(name="Acme Schools")
    for index in range(52):
        quote = services.quote_create(customer=acme, acting_user=admin_user, title=f"Cabling phase {index}")
        _item(quote, admin_user, quantity=Decimal(1), unit_price=Decimal("100.00"))
    theirs = services.quote_create(customer=CustomerFactory(name="Beta Ltd"), acting_user=other_owner, title="Switches")
    _item(theirs, other_owner, unit_price=Decimal("10.00"))
    admin_client1.get(QUOTES)
    # when
    with assert_queries(8):  # tenant, user, groups; customers with both words, titles with both (none: match across), count, page, totals
        body = admin_client1.get(QUOTES, {"q": "acme cabling", "status": "draft"}).json()
    # then
    assert body["count"] == 52 and len(body["results"]) == 50
    assert body["totals"] == [{"currency": "GBP", "count": 52, "net_total": "5200.00", "tax_total": "1040.00",
                               "grand_total": "6240.00", "monthly_total": "0.00", "annual_total": "0.00"}]
    first = body["results"][0]
    assert first["title"] == "Cabling phase 51" and first["customer_name"] == "Acme Schools"
    assert first["grand_total"] == "120.00" and first["reference"].startswith("Q-")
    assert [q["title"] for q in admin_client1.get(QUOTES, {"owner": other_owner.pk}).json()["results"]] == ["Switches"]
    assert admin_client1.get(QUOTES, {"q": theirs.reference}).json()["results"][0]["id"] == theirs.pk
    assert admin_client1.get(QUOTES, {"owner": "me"}).json()["count"] == 52
    assert admin_client1.get(QUOTES, {"status": "sent"}).json()["count"] == 0
    assert admin_client1.get(QUOTES, {"created_from": "2999-01-01"}).json()["count"] == 0
    assert admin_client1.get(QUOTES, {"created_to": "2999-01-01"}).json()["count"] == 53
    bad = admin_client1.get(QUOTES, {"created_from": "yesterday"})
    assert bad.status_code == 400 and "created_from" in bad.json()


def test_create_a_quote_and_read_it_with_lines_and_totals(admin_client1, admin_user, assert_queries):
    # given
    customer = CustomerFactory()
    contact = Contact.objects.create(customer=customer, first_name="Priya", last_name="Shah")
    # when
    created = _json(admin_client1, "post", QUOTES, {"customer": customer.pk, "title": "Fibre backbone",
                                                    "contact": contact.pk})
    assert created.status_code == 201, created.content
    quote = Quote.objects.get(pk=created.json()["id"])
    _item(quote, admin_user, quantity=Decimal(2), unit_price=Decimal("49.99"), unit_cost=Decimal("30.00"))
    services.line_add(quote=quote, acting_user=admin_user, fields={"kind": "section", "description": "Options"})
    _item(quote, admin_user, unit_price=Decimal("10.00"), is_optional=True)
    _item(quote, admin_user, unit_price=Decimal("5.00"), recurrence="monthly")
    url = f"{QUOTES}{quote.pk}/"
    admin_client1.get(url)
    with assert_queries(5):  # tenant, user, groups; the quote with its people; its lines (one query, any number)
        body = admin_client1.get(url).json()
    # then
    assert body["status"] == "draft" and body["editable"] is True and body["contact"] == contact.pk
    assert body["totals"]["one_off"] == {"net": "99.98", "discount": "0.00", "tax": "20.00", "total": "119.98",
                                         "cost": "60.00", "margin": "39.98", "margin_percent": "39.99"}
    assert body["totals"]["recurring"]["monthly"]["net"] == "5.00" and body["totals"]["optional_net"] == "10.00"
    assert [(line["kind"], line["net"], line["counted"]) for line in body["lines"]] == [
        ("item", "99.98", True), ("section", None, None), ("item", "10.00", False), ("item", "5.00", True)]
    assert body["lines"][1]["section_net"] == "0.00"


def test_patch_changes_the_header_of_a_draft_through_the_service(admin_client1, quote):
    # given
    elsewhere = Contact.objects.create(customer=CustomerFactory(), first_name="Not", last_name="Theirs")
    url = f"{QUOTES}{quote.pk}/"
    # when
    patched = _json(admin_client1, "patch", url, {"title": "Wi-Fi 7 refresh", "tax_rate": "5.00",
                                                  "valid_until": "2030-01-31"})
    refused = _json(admin_client1, "patch", url, {"contact": elsewhere.pk})
    # then
    assert patched.status_code == 200 and patched.json()["title"] == "Wi-Fi 7 refresh"
    assert patched.json()["tax_rate"] == "5.00" and patched.json()["valid_until"] == "2030-01-31"
    assert refused.status_code == 400 and refused.json() == {"detail": "That contact belongs to another customer."}
    quote.refresh_from_db()
    assert quote.contact_id is None


def test_lines_are_added_blank_or_from_the_catalogue_edited_moved_and_deleted(admin_client1, quote):
    # given
    product = ProductFactory(supplier=SupplierFactory(name="Excel"), part_number="UTP-C6-305",
                             description="Cat6 cable 305m", cost_price=Decimal("89.50"), list_price=Decimal("139.00"))
    lines_url = f"{QUOTES}{quote.pk}/lines/"
    # when
    blank = _json(admin_client1, "post", lines_url, {"description": "Survey", "unit_price": "250.00"})
    from_product = _json(admin_client1, "post", lines_url, {"product": product.pk, "quantity": "3",
                                                            "discount_percent": "10", "after": blank.json()["id"]})
    first = _json(admin_client1, "post", lines_url, {"kind": "section", "description": "Cabling"})
    # then
    assert blank.status_code == 201 and blank.json()["net"] == "250.00"
    assert from_product.status_code == 201, from_product.content
    assert {key: from_product.json()[key] for key in ("part_number", "supplier_name", "unit_cost", "unit_price",
                                                      "quantity", "discount_percent", "net", "product")} == {
        "part_number": "UTP-C6-305", "supplier_name": "Excel", "unit_cost": "89.50", "unit_price": "139.00",
        "quantity": "3.000", "discount_percent": "10.00", "net": "375.30", "product": product.pk}
    # when the heading moves to the top, a line is edited and another deleted
    moved = _json(admin_client1, "post", f"{lines_url}{first.json()['id']}/move/", {"position": 1})
    edited = _json(admin_client1, "patch", f"{lines_url}{blank.json()['id']}/", {"quantity": "2"})
    deleted = admin_client1.delete(f"{lines_url}{from_product.json()['id']}/")
    # then
    assert moved.status_code == 200
    assert [line["description"] for line in moved.json()["lines"]] == ["Cabling", "Survey", "Cat6 cable 305m"]
    assert edited.json()["net"] == "500.00" and deleted.status_code == 204
    listed = admin_client1.get(lines_url).json()
    assert [(line["position"], line["description"]) for line in listed["results"]] == [(1, "Cabling"), (2, "Survey")]
    quote.refresh_from_db()
    assert quote.net_total == Decimal("500.00")
    # and the whole order can be given at once
    reordered = _json(admin_client1, "post", f"{lines_url}order/",
                      {"order": [blank.json()["id"], first.json()["id"]]})
    assert [line["description"] for line in reordered.json()["lines"]] == ["Survey", "Cabling"]
    incomplete = _json(admin_client1, "post", f"{lines_url}order/", {"order": [blank.json()["id"]]})
    assert incomplete.status_code == 400
    assert incomplete.json() == {"detail": "The quote changed while you were moving lines: reload it and try again."}


def test_bad_line_input_is_a_400_with_the_reason(admin_client1, admin_user, quote):
    line = _item(quote, admin_user)
    url = f"{QUOTES}{quote.pk}/lines/{line.pk}/"
    negative = _json(admin_client1, "patch", url, {"unit_price": "-1.00"})
    discount = _json(admin_client1, "patch", url, {"discount_percent": "150"})
    not_ours = _json(admin_client1, "post", f"{QUOTES}{quote.pk}/lines/", {"after": 999999})
    assert negative.status_code == 400 and "unit_price" in negative.json()
    assert discount.status_code == 400 and "discount_percent" in discount.json()
    assert not_ours.status_code == 400 and not_ours.json() == {"after": ["That line is not on this quote."]}
    assert admin_client1.get(f"{QUOTES}{quote.pk}/lines/999999/").status_code == 404


def test_a_sent_revision_cannot_change_through_the_api(admin_client1, admin_user, quote):
    # given a sent quote
    line = _item(quote, admin_user, unit_price=Decimal("100.00"))
    sent = admin_client1.post(f"{QUOTES}{quote.pk}/send/")
    assert sent.status_code == 200 and sent.json()["status"] == "sent" and sent.json()["editable"] is False
    lines_url = f"{QUOTES}{quote.pk}/lines/"
    message = f"{quote.reference} R1 was sent and cannot change: revise it to start R2."
    # when every kind of write is tried
    answers = [
        _json(admin_client1, "patch", f"{lines_url}{line.pk}/", {"unit_price": "1.00"}),
        admin_client1.delete(f"{lines_url}{line.pk}/"),
        _json(admin_client1, "post", lines_url, {"description": "Sneaked in"}),
        _json(admin_client1, "post", f"{lines_url}{line.pk}/move/", {"position": 1}),
        _json(admin_client1, "patch", f"{QUOTES}{quote.pk}/", {"title": "Changed"}),
        _json(admin_client1, "post", f"{lines_url}order/", {"order": [line.pk]}),
    ]
    # then each is a 409 that says why, and nothing changed
    assert [(answer.status_code, answer.json()) for answer in answers] == [(409, {"detail": message})] * 6
    line.refresh_from_db()
    quote.refresh_from_db()
    assert line.unit_price == Decimal("100.00") and quote.title == "Wi-Fi refresh"
    assert list(quote.lines.values_list("description", flat=True)) == ["Line"]
    assert quote.revisions.get().snapshot["lines"][0]["unit_price"] == "100.00"


def test_the_workflow_through_the_api_with_revisions(admin_client1, admin_user, quote):
    # given
    _item(quote, admin_user, unit_price=Decimal("100.00"))
    base = f"{QUOTES}{quote.pk}/"
    # when
    admin_client1.post(f"{base}send/")
    revised = admin_client1.post(f"{base}revise/")
    line_id = revised.json()["lines"][0]["id"]
    _json(admin_client1, "patch", f"{base}lines/{line_id}/", {"unit_price": "90.00"})
    admin_client1.post(f"{base}send/")
    accepted = _json(admin_client1, "post", f"{base}accept/", {"revision": 1, "comment": "PO 4411"})
    # then
    assert revised.json()["status"] == "draft" and revised.json()["revision"] == 2
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    revisions = admin_client1.get(f"{base}revisions/").json()
    assert [(r["number"], r["is_superseded"], r["totals"]["net"]) for r in revisions["results"]] == [
        (1, False, "100.00"), (2, True, "90.00")]
    r1 = admin_client1.get(f"{base}revisions/1/").json()
    assert r1["snapshot"]["lines"][0]["unit_price"] == "100.00" and r1["sent_by"] == admin_user.pk
    assert admin_client1.get(f"{base}revisions/3/").status_code == 404
    assert QuoteTransition.objects.filter(quote=quote, to_status="accepted", comment="PO 4411").exists()
    # and an illegal transition is a 409 with the reason
    rejected = _json(admin_client1, "post", f"{base}reject/", {"comment": "too late"})
    assert rejected.status_code == 409
    assert rejected.json() == {"detail": "A quote that is accepted cannot become rejected."}


def test_send_with_nothing_to_send_and_reject_say_why(admin_client1, admin_user, quote):
    empty = admin_client1.post(f"{QUOTES}{quote.pk}/send/")
    assert (empty.status_code, empty.json()) == (409, {"detail": "Add at least one line before sending."})
    _item(quote, admin_user, unit_price=Decimal("1.00"))
    admin_client1.post(f"{QUOTES}{quote.pk}/send/")
    rejected = _json(admin_client1, "post", f"{QUOTES}{quote.pk}/reject/", {"comment": "Went elsewhere"})
    assert rejected.json()["status"] == "rejected"
    assert Event.objects.filter(kind="quotes.quote_status_changed", data__comment="Went elsewhere").count() == 1


def test_only_managers_approve_and_cancel_accepted_quotes(admin_user, make_user, client_for, quote):
    # given a quote the pricing rules hold back
    pricing = pricing_settings_ensure()
    pricing.approval_total_above = Decimal("50.00")
    pricing.save()
    _item(quote, admin_user, unit_price=Decimal("100.00"))
    sales = client_for(make_user(role=Role.SALES, email="s@test1.example.com"))
    manager = client_for(make_user(role=Role.MANAGER, email="m@test1.example.com"))
    base = f"{QUOTES}{quote.pk}/"
    # when
    held = sales.post(f"{base}send/")
    by_sales = _json(sales, "post", f"{base}approve/", {"approve": True})
    by_manager = _json(manager, "post", f"{base}approve/", {"approve": True, "comment": "Strategic account"})
    sent = sales.post(f"{base}send/")
    accepted = _json(sales, "post", f"{base}accept/")
    cancel_by_sales = _json(sales, "post", f"{base}cancel/", {"reason": "Customer withdrew"})
    cancel_without_reason = _json(manager, "post", f"{base}cancel/")
    cancelled = _json(manager, "post", f"{base}cancel/", {"reason": "Customer withdrew"})
    # then
    assert held.status_code == 409 and held.json()["detail"].startswith("A manager must approve this quote")
    assert by_sales.status_code == 403
    assert by_manager.status_code == 200 and by_manager.json()["approval"] == "approved"
    assert sent.json()["status"] == "sent" and accepted.json()["status"] == "accepted"
    assert (cancel_by_sales.status_code, cancel_by_sales.json()) == (
        409, {"detail": "Only a manager can cancel an accepted quote."})
    assert cancel_without_reason.json() == {"detail": "Say why an accepted quote is cancelled."}
    assert cancelled.json()["status"] == "cancelled"


def test_read_only_users_can_read_but_not_write(make_user, client_for, admin_user, quote):
    # given
    line = _item(quote, admin_user)
    client = client_for(make_user(role=Role.READ_ONLY, email="ro@test1.example.com"))
    base = f"{QUOTES}{quote.pk}/"
    # then
    assert client.get(base).json()["title"] == "Wi-Fi refresh"
    assert client.get(f"{base}lines/").status_code == 200
    assert _json(client, "post", QUOTES, {"customer": quote.customer_id, "title": "x"}).status_code == 403
    assert _json(client, "patch", f"{base}lines/{line.pk}/", {"quantity": "5"}).status_code == 403
    assert client.post(f"{base}send/").status_code == 403
    assert _json(client, "post", f"{base}approve/", {"approve": True}).status_code == 403
    assert QuoteLine.objects.get(pk=line.pk).quantity == Decimal("1.000")
    assert Quote.objects.get(pk=quote.pk).status == QuoteStatus.DRAFT


def test_a_token_of_one_tenant_never_sees_another_tenants_quotes(anon_client1, tenant2, in_tenant, make_user,
                                                                 client_for, quote):
    # given a quote in test1, and an admin of test2 with a token and a quote of their own
    with in_tenant(tenant2):
        make_user(role=Role.ADMIN, email="other@example.com")
        other_client = client_for(host="test2.localhost")
        access = _token(other_client, "other@example.com")
        services.quote_create(customer=CustomerFactory(), acting_user=None, title="Theirs")
        auth = {"HTTP_AUTHORIZATION": f"Bearer {access}"}
        # when they list, fetch and act by test1's id on their own host
        listed = other_client.get(QUOTES, {"q": "refresh"}, **auth).json()
        everything = other_client.get(QUOTES, **auth).json()
        fetched = other_client.get(f"{QUOTES}{quote.pk}/", **auth)
        other_client.post(f"{QUOTES}{quote.pk}/cancel/", **auth)
    # then they only ever see their own schema's quotes (an id is per schema: it may name one of theirs)
    assert listed["count"] == 0 and [row["title"] for row in everything["results"]] == ["Theirs"]
    assert fetched.status_code == 404 or fetched.json()["title"] == "Theirs"
    # and their token is refused on test1's host
    assert anon_client1.get(QUOTES, HTTP_AUTHORIZATION=f"Bearer {access}").status_code == 401
    assert anon_client1.get(f"{QUOTES}{quote.pk}/", HTTP_AUTHORIZATION=f"Bearer {access}").status_code == 401
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.DRAFT


def test_the_quotes_api_is_in_the_openapi_schema(admin_client1):
    schema = admin_client1.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    for path in ("/api/v1/quotes/", "/api/v1/quotes/{id}/lines/{line_pk}/", "/api/v1/quotes/{id}/send/",
                 "/api/v1/quotes/{id}/revisions/{number}/", "/api/v1/price-list-imports/{id}/apply/"):
        assert path in schema


def test_lines_and_revisions_lists_cost_the_same_queries_whatever_their_length(admin_client1, admin_user, quote,
                                                                                assert_queries):
    # given a 60-line quote sent twice
    for index in range(60):
        _item(quote, admin_user, description=f"Line {index}", unit_price=Decimal("1.00"))
    services.quote_send(quote=quote, acting_user=admin_user)
    quote.refresh_from_db()  # quote_send works on its own locked copy
    services.quote_revise(quote=quote, acting_user=admin_user)
    services.quote_send(quote=quote, acting_user=admin_user)
    admin_client1.get(f"{QUOTES}{quote.pk}/lines/")
    # when
    with assert_queries(5):  # tenant, user, groups; the quote; its lines
        lines = admin_client1.get(f"{QUOTES}{quote.pk}/lines/").json()
    with assert_queries(6):  # tenant, user, groups; the quote; count, the page with who sent each
        revisions = admin_client1.get(f"{QUOTES}{quote.pk}/revisions/").json()
    # then
    assert lines["count"] == 60 and lines["results"][59]["description"] == "Line 59"
    assert [revision["number"] for revision in revisions["results"]] == [1, 2]
