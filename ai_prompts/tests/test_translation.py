"""Feature 6 (translation of a quote and of a ticket reply) and ticket help starting by itself on a new ticket."""

from __future__ import annotations

import json
from decimal import Decimal as D

import pytest

from ai_prompts.models import AiJob
from ai_prompts.services.providers import provider_settings_save
from crm.tests.factories import CustomerFactory
from quotes.services import quotes as services
from tests.html_validity import assert_valid_html


@pytest.fixture
def configured(tenant1, fake_openai):
    provider_settings_save(api_key="sk-test-4321", base_url=fake_openai.url, default_model="", acting_user=None)
    return fake_openai


def _quote(user):
    quote = services.quote_create(customer=CustomerFactory(name="Café Lumière"), acting_user=user,
                                  title="Wi-Fi for the café", introduction="Thank you for asking us.")
    services.quote_update(quote=quote, acting_user=user, changes={"terms": "Payment within 30 days."})
    first = services.line_add(quote=quote, acting_user=user, fields={
        "description": "Access point", "part_number": "UAP-AC-PRO", "unit_price": D("139.00"),
        "internal_note": "Use the spare from stock"})
    second = services.line_add(quote=quote, acting_user=user, fields={"description": "Installation",
                                                                      "unit_price": D("65.00")})
    return quote, first, second


def _french(first, second):
    return {"items": [
        {"id": "title", "text": "Wi-Fi pour le café"}, {"id": "introduction", "text": "Merci de votre demande."},
        {"id": f"line-{first.pk}", "text": "Point d'accès"}, {"id": f"line-{second.pk}", "text": "Installation sur site"},
        {"id": "terms", "text": "Paiement à 30 jours."}, {"id": "line-999999", "text": "Inventé"}]}


def _translate(client, quote, capture, language="French"):
    with capture(execute=True):
        return client.post(f"/ai/quotes/{quote.pk}/translate/run/", {"language": language}, HTTP_HX_REQUEST="true")


def test_a_quote_is_translated_into_a_preview_and_applied_item_by_item_or_all_at_once_through_the_services(
    configured, admin_user, admin_client1, django_capture_on_commit_callbacks
):
    # given
    quote, first, second = _quote(admin_user)
    configured.script(_french(first, second))
    # when
    response = _translate(admin_client1, quote, django_capture_on_commit_callbacks)
    # then the model got the customer-facing texts only, with their ids
    assert response.status_code == 200
    sent = configured.requests[0]["messages"][1]["content"]
    assert sent.startswith("Target language: French")
    items = json.loads(sent.split("Items (JSON, each with its id and text):\n", 1)[1])
    assert items == [{"id": "title", "text": "Wi-Fi for the café"},
                     {"id": "introduction", "text": "Thank you for asking us."},
                     {"id": f"line-{first.pk}", "text": "Access point"}, {"id": f"line-{second.pk}", "text": "Installation"},
                     {"id": "terms", "text": "Payment within 30 days."}]
    assert "UAP-AC-PRO" not in sent and "spare from stock" not in sent
    job = AiJob.objects.get(feature="quote_translate")
    assert [item["id"] for item in job.output["items"]] == [item["id"] for item in items]  # the invented one is dropped
    panel = admin_client1.get(f"/ai/quotes/{quote.pk}/translate/", HTTP_HX_REQUEST="true").content.decode()
    assert_valid_html(panel, fragment=True)
    assert "Point d&#x27;accès" in panel and '<option value="French" selected>' in panel
    quote.refresh_from_db()
    assert quote.title == "Wi-Fi for the café"  # a preview: nothing changed yet
    # when one line is applied
    one = admin_client1.post(f"/ai/quotes/{quote.pk}/translate/{job.pk}/apply/", {"item": f"line-{first.pk}"},
                             HTTP_HX_REQUEST="true")
    # then only that line changed, and the builder's lines are swapped with the new text
    assert one.status_code == 200 and "Point d&#x27;accès" in one.content.decode()
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.description, second.description) == ("Point d'accès", "Installation")
    assert (first.part_number, first.internal_note) == ("UAP-AC-PRO", "Use the spare from stock")
    # when the estimator edits the second line, then applies all the rest
    services.line_update(line=second, acting_user=admin_user, changes={"description": "Installation and set-up"})
    refused = admin_client1.post(f"/ai/quotes/{quote.pk}/translate/{job.pk}/apply/", {"all": "1"},
                                 HTTP_HX_REQUEST="true")
    # then the edit is never overwritten: nothing of the batch is applied
    assert refused.status_code == 422
    assert "Line #2 changed since it was translated: translate again to use your new text." in refused.content.decode()
    quote.refresh_from_db()
    assert quote.title == "Wi-Fi for the café"
    # when the header items are applied
    for item in ("title", "introduction", "terms"):
        assert admin_client1.post(f"/ai/quotes/{quote.pk}/translate/{job.pk}/apply/", {"item": item},
                                  HTTP_HX_REQUEST="true").status_code == 200
    quote.refresh_from_db()
    assert (quote.title, quote.introduction, quote.terms) == ("Wi-Fi pour le café", "Merci de votre demande.",
                                                              "Paiement à 30 jours.")
    job.refresh_from_db()
    assert job.output["applied"] == sorted(["introduction", f"line-{first.pk}", "terms", "title"])
    assert quote.grand_total == D("244.80")  # 139.00 + 65.00 + 20 % VAT: figures untouched


def test_translation_refuses_a_sent_quote(configured, admin_user, admin_client1, django_capture_on_commit_callbacks):
    # given a translation, then the quote is sent
    quote, first, second = _quote(admin_user)
    configured.script(_french(first, second))
    _translate(admin_client1, quote, django_capture_on_commit_callbacks)
    job = AiJob.objects.get(feature="quote_translate")
    services.quote_send(quote=quote, acting_user=admin_user, draw_pdf=False)
    # when
    apply = admin_client1.post(f"/ai/quotes/{quote.pk}/translate/{job.pk}/apply/", {"all": "1"}, HTTP_HX_REQUEST="true")
    run = _translate(admin_client1, quote, django_capture_on_commit_callbacks)
    # then
    assert apply.status_code == 422 and "was sent and cannot change: revise it to start R2." in apply.content.decode()
    assert run.status_code == 422 and "was sent and cannot change: revise it first." in run.content.decode()
    quote.refresh_from_db()
    first.refresh_from_db()
    assert (quote.title, first.description) == ("Wi-Fi for the café", "Access point")
    assert len(configured.requests) == 1


def test_a_language_must_be_chosen_from_the_list(configured, admin_user, admin_client1):
    quote, _first, _second = _quote(admin_user)
    response = admin_client1.post(f"/ai/quotes/{quote.pk}/translate/run/", {"language": "Klingon"},
                                  HTTP_HX_REQUEST="true")
    assert response.status_code == 422 and "Choose the language to translate into." in response.content.decode()
    assert AiJob.objects.count() == 0


@pytest.fixture
def a_ticket(admin_user):
    from helpdesk.services.tickets import ticket_create

    return ticket_create(customer=CustomerFactory(name="Dudley Dental"), acting_user=admin_user,
                         subject="Drucker offline", description="Der Drucker oben ist offline.")


def test_a_ticket_reply_is_translated_for_the_reply_box_and_the_draft_is_kept(
    configured, a_ticket, admin_client1, django_capture_on_commit_callbacks
):
    # given
    configured.script({"translation": "Vielen Dank, wir kümmern uns darum."})
    page = admin_client1.get(f"/tickets/{a_ticket.pk}/").content.decode()
    assert 'data-testid="ai-reply-translate-run"' in page
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client1.post(f"/ai/tickets/{a_ticket.pk}/reply-translation/",
                                      {"body": "Thank you, we are on it.", "language": "German"},
                                      HTTP_HX_REQUEST="true")
    # then
    assert response.status_code == 200
    sent = configured.requests[0]["messages"][1]["content"]
    assert sent == ("Target language: German\n\nTicket subject (context only, do not translate): Drucker offline\n\n"
                    "The reply to translate:\nThank you, we are on it.")
    job = AiJob.objects.get(feature="ticket_reply_translate")
    panel = admin_client1.get(f"/ai/jobs/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert_valid_html(panel, fragment=True)
    assert 'data-text="Vielen Dank, wir kümmern uns darum."' in panel
    assert 'data-text="Thank you, we are on it."' in panel  # "Put my draft back"
    assert a_ticket.comments.count() == 0  # nothing is sent: the agent sends the reply


def test_a_reply_translation_needs_text(configured, a_ticket, admin_client1):
    response = admin_client1.post(f"/ai/tickets/{a_ticket.pk}/reply-translation/", {"body": " ", "language": "German"},
                                  HTTP_HX_REQUEST="true")
    assert response.status_code == 422 and "Type your reply first" in response.content.decode()


HELP = {"clearer_description": "The upstairs printer is offline.", "category": "", "priority": "high",
        "priority_reason": "Reception is blocked", "first_reply": "Thank you — we are looking at it."}


def test_ticket_help_starts_by_itself_when_a_ticket_is_created_and_ai_is_configured(
    configured, admin_user, admin_client1, django_capture_on_commit_callbacks
):
    from helpdesk.services.tickets import ticket_create

    # given
    configured.script(HELP)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        ticket = ticket_create(customer=CustomerFactory(), acting_user=admin_user, subject="printer offline",
                               description="upstairs printer offline")
    # then the help ran in the worker, and the button stays for a rerun
    job = AiJob.objects.get(feature="ticket_help")
    assert (job.subject_id, job.status, job.requested_by) == (ticket.pk, "done", admin_user)
    assert "upstairs printer offline" in configured.requests[0]["messages"][1]["content"]
    panel = admin_client1.get(f"/ai/tickets/{ticket.pk}/help/", HTTP_HX_REQUEST="true").content.decode()
    assert "The upstairs printer is offline." in panel and 'data-testid="ai-ticket-help-run"' in panel


def test_ticket_help_is_not_queued_without_a_key(tenant1, admin_user, fake_openai, django_capture_on_commit_callbacks):
    from helpdesk.services.tickets import ticket_create

    with django_capture_on_commit_callbacks(execute=True):
        ticket = ticket_create(customer=CustomerFactory(), acting_user=None, subject="printer offline")
    assert ticket.pk and AiJob.objects.count() == 0 and fake_openai.requests == []


def test_demo_tickets_queue_no_ticket_help(configured, django_capture_on_commit_callbacks):
    from helpdesk.services.tickets import ticket_create

    with django_capture_on_commit_callbacks(execute=True):
        ticket_create(customer=CustomerFactory(), acting_user=None, subject="printer offline", ai_help=False)
    assert AiJob.objects.count() == 0 and configured.requests == []


def test_a_failing_model_never_fails_the_ticket(configured, settings, django_capture_on_commit_callbacks):
    from helpdesk.models import Ticket
    from helpdesk.services.tickets import ticket_create

    # given a provider that answers 500 every time
    settings.AI_MAX_RETRIES = 0
    configured.script(500)
    # when a ticket arrives without a staff user (portal, email)
    with django_capture_on_commit_callbacks(execute=True):
        ticket = ticket_create(customer=CustomerFactory(), acting_user=None, subject="printer offline")
    # then the ticket is there and the help failed with its reason, ready for a retry
    assert Ticket.objects.filter(pk=ticket.pk).exists()
    job = AiJob.objects.get(feature="ticket_help")
    assert (job.status, job.requested_by) == ("failed", None)
    assert job.error.startswith("The AI provider answered HTTP 500")
