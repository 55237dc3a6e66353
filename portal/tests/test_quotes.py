"""Quotes in the portal: the sent revision as a page, the first view, options with server-side totals, and the
customer's answer with its evidence."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from accounts.roles import Role
from core.models import Event, Notification
from portal.models import QuoteResponse
from portal.tests.factories import make_access, make_sent_quote, portal_client
from quotes.models import QuoteStatus, QuoteTransition


@pytest.fixture
def setup(tenant1, make_user):
    owner = make_user(role=Role.SALES, email="owner@test1.example.com", first_name="Olive", last_name="Owner")
    access = make_access()
    quote = make_sent_quote(customer=access.contact.customer, contact=access.contact, owner=owner)
    return access, quote, owner


def _url(quote, part=""):
    return f"/portal/quotes/{quote.pk}/{part}"


def test_the_first_view_marks_the_quote_viewed_once_with_history(setup):
    # given
    access, quote, _owner = setup
    client = portal_client(access)
    # when
    first = client.get(_url(quote))
    second = client.get(_url(quote))
    # then
    assert first.status_code == second.status_code == 200
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.VIEWED
    assert list(QuoteTransition.objects.filter(quote=quote).values_list("from_status", "to_status")) == [
        ("draft", "sent"), ("sent", "viewed")]
    viewed = Event.objects.get(kind="portal.quote_viewed")
    assert viewed.customer_id == quote.customer_id and viewed.data["by_contact"] == "Jane Doe"


def test_the_page_shows_the_revision_as_sent_and_never_costs_or_draft_lines(setup, make_user):
    # given R1 sent, then revised with a new line not sent yet
    from quotes.services import quotes as services

    access, quote, owner = setup
    services.quote_revise(quote=quote, acting_user=owner)
    services.line_add(quote=quote, acting_user=owner, fields={"description": "Unsent extra", "unit_price": Decimal(9)})
    # when
    body = portal_client(access).get(_url(quote)).content.decode()
    # then
    assert "Switch" in body and "Firewall pro" in body
    assert "Unsent extra" not in body
    assert "We are preparing a new version of this quote; you will receive it shortly." in body
    assert 'data-testid="accept"' not in body


def test_the_default_totals_are_the_quote_as_built(setup):
    access, quote, _owner = setup
    body = portal_client(access).get(_url(quote)).content.decode()
    # 2 x 100 + 300 (chosen option) = 500.00; VAT 20 % = 100.00; total 600.00
    assert 'data-testid="portal-total-net">500.00<' in body
    assert 'data-testid="portal-total">GBP 600.00<' in body


def test_ticking_options_recomputes_the_totals_on_the_server(setup):
    # given
    access, quote, _owner = setup
    lines = {line.description: line.pk for line in quote.lines.all()}
    # when the optional PSU is included and the pro firewall picked
    response = portal_client(access).post(_url(quote, "options/"), {
        "revision": "1", "optional": [lines["Spare PSU"]], "alt-Firewall": lines["Firewall pro"]},
        HTTP_HX_REQUEST="true")
    # then 200 + 50 + 450 = 700.00, VAT 140.00, total 840.00
    body = response.content.decode()
    assert response.status_code == 200
    assert body.strip().startswith('<aside id="quote-figures"')
    assert 'data-testid="portal-total-net">700.00<' in body and 'data-testid="portal-total">GBP 840.00<' in body
    # each line's figure is swapped too: the basic firewall is no longer counted, the PSU is
    basic, psu = lines["Firewall basic"], lines["Spare PSU"]
    assert (f'<span id="line-{basic}-net" class="text-decoration-line-through text-body-secondary" '
            f'data-testid="line-net" hx-swap-oob="true">300.00</span>') in body
    assert f'<span id="line-{psu}-net" class="" data-testid="line-net" hx-swap-oob="true">50.00</span>' in body


def test_options_that_are_not_on_the_quote_are_refused(setup):
    access, quote, _owner = setup
    switch = quote.lines.get(description="Switch").pk
    response = portal_client(access).post(_url(quote, "options/"), {"revision": "1", "optional": [switch]})
    assert response.status_code == 422
    assert "That choice of options does not match this quote." in response.content.decode()


def test_accepting_records_the_evidence_and_tells_the_owner(setup, django_capture_on_commit_callbacks):
    # given
    access, quote, owner = setup
    client = portal_client(access)
    client.get(_url(quote))
    lines = {line.description: line.pk for line in quote.lines.all()}
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(quote, "accept/"), {
            "revision": "1", "optional": [lines["Spare PSU"]], "alt-Firewall": lines["Firewall pro"],
            "full_name": " Jane Doe ", "position": "Operations director", "terms": "on"},
            HTTP_USER_AGENT="Mozilla/5.0 (Portal test)", REMOTE_ADDR="203.0.113.9")
    # then
    assert response.status_code == 302 and response["Location"] == _url(quote)
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.ACCEPTED
    answer = QuoteResponse.objects.get(quote=quote)
    assert (answer.decision, answer.revision, answer.full_name, answer.position) == (
        "accepted", 1, "Jane Doe", "Operations director")
    assert (answer.ip_address, answer.user_agent, answer.contact_id) == (
        "203.0.113.9", "Mozilla/5.0 (Portal test)", access.contact_id)
    selection = {"optional": [lines["Spare PSU"]], "alternatives": {"Firewall": lines["Firewall pro"]}}
    assert answer.selection == selection
    assert answer.totals["total"] == "840.00"
    snapshot = quote.revisions.get(number=1).snapshot
    expected = hashlib.sha256(json.dumps({"snapshot": snapshot, "selection": selection}, sort_keys=True,
                                         separators=(",", ":"), ensure_ascii=False).encode()).hexdigest()
    assert answer.document_hash == expected
    # the owner is told (bell, email) and the timeline says it
    notification = Notification.objects.get(recipient=owner)
    assert notification.message == f"Jane Doe accepted {quote.reference} R1 in the portal (GBP 840.00)."
    assert [message.to for message in mail.outbox] == [["owner@test1.example.com"]]
    assert mail.outbox[0].subject == notification.message
    event = Event.objects.get(kind="portal.quote_accepted")
    assert event.customer_id == quote.customer_id and event.data["hash"] == expected
    # and the page now shows the answer, with nothing left to change
    body = client.get(_url(quote)).content.decode()
    assert "R1 accepted by Jane Doe (Operations director)" in body
    assert 'data-testid="accept"' not in body and "disabled" in body


def test_an_accepted_quote_cannot_be_answered_again(setup):
    access, quote, _owner = setup
    client = portal_client(access)
    data = {"revision": "1", "full_name": "Jane Doe", "position": "Director", "terms": "on"}
    client.post(_url(quote, "accept/"), data)
    again = client.post(_url(quote, "reject/"), {"revision": "1", "reason": "Changed my mind"})
    assert again.status_code == 422
    assert "This quote has already been answered and can no longer be changed here." in again.content.decode()
    assert QuoteResponse.objects.filter(quote=quote).count() == 1


def test_accepting_needs_name_position_and_the_tick_and_keeps_what_was_typed(setup):
    access, quote, _owner = setup
    response = portal_client(access).post(_url(quote, "accept/"), {
        "revision": "1", "full_name": "Jane Doe", "position": "Director"})
    body = response.content.decode()
    assert response.status_code == 422
    assert "Tick the box to accept the terms." in body
    assert 'value="Jane Doe"' in body and 'value="Director"' in body
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.SENT


def test_rejecting_needs_a_reason_and_records_it(setup, django_capture_on_commit_callbacks):
    access, quote, owner = setup
    client = portal_client(access)
    assert client.post(_url(quote, "reject/"), {"revision": "1", "reason": " "}).status_code == 422
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(quote, "reject/"), {"revision": "1", "reason": "Over budget this year"})
    assert response.status_code == 302
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.REJECTED
    assert QuoteResponse.objects.get(quote=quote).reason == "Over budget this year"
    assert Notification.objects.get(recipient=owner).message == (
        f"Jane Doe rejected {quote.reference} R1 in the portal: Over budget this year")


def test_an_expired_quote_cannot_be_accepted(setup):
    access, quote, _owner = setup
    type(quote).objects.filter(pk=quote.pk).update(valid_until=timezone.localdate() - timedelta(days=1))
    response = portal_client(access).post(_url(quote, "accept/"), {
        "revision": "1", "full_name": "Jane Doe", "position": "Director", "terms": "on"})
    assert response.status_code == 422
    assert "This quote has expired. Ask us for a new one." in response.content.decode()


def test_a_quote_never_sent_is_not_in_the_portal(tenant1):
    from quotes.services import quotes as services

    access = make_access()
    draft = services.quote_create(customer=access.contact.customer, acting_user=None, title="Not yet")
    client = portal_client(access)
    assert client.get(_url(draft)).status_code == 404
    assert "Not yet" not in client.get("/portal/quotes/").content.decode()


def test_the_quote_pages_have_pinned_query_counts(setup, assert_queries):
    access, quote, _owner = setup
    make_sent_quote(customer=access.contact.customer, contact=access.contact, title="Second")
    client = portal_client(access)
    client.get(_url(quote))  # the first view writes; count the second
    with assert_queries(4):
        assert client.get("/portal/quotes/").status_code == 200
    with assert_queries(5):
        assert client.get(_url(quote)).status_code == 200


def test_staff_see_the_answer_and_its_evidence_on_the_quote_page(setup, client_for):
    access, quote, owner = setup
    portal_client(access).post(_url(quote, "accept/"), {
        "revision": "1", "full_name": "Jane Doe", "position": "Director", "terms": "on"},
        HTTP_USER_AGENT="Mozilla/5.0 (Evidence)", REMOTE_ADDR="198.51.100.7")
    staff = client_for(owner)
    assert 'hx-get="/quotes/%d/portal-answer/"' % quote.pk in staff.get(f"/quotes/{quote.pk}/").content.decode()
    body = staff.get(f"/quotes/{quote.pk}/portal-answer/").content.decode()
    answer = QuoteResponse.objects.get(quote=quote)
    assert "R1 accepted in the customer portal by Jane Doe (Director)" in body
    assert "198.51.100.7" in body and "Mozilla/5.0 (Evidence)" in body and answer.document_hash in body
    assert "GBP 500.00 + VAT 100.00 = GBP 600.00" in body
