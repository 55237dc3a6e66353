"""Features 4 (ticket help) and 2 (activity clean-up) end to end through Celery (eager) and the fake model."""

from __future__ import annotations

import pytest

from ai_prompts.models import AiJob
from ai_prompts.services.providers import provider_settings_save
from crm.tests.factories import CustomerFactory

HELP = {"clearer_description": "Reception cannot print: the upstairs printer shows offline since 09:00.",
        "category": "Printing", "priority": "high", "priority_reason": "Reception is blocked",
        "first_reply": "Thank you — we are looking at the upstairs printer now."}
CLEAN = {"tidied_notes": "Sam reports poor Wi-Fi upstairs and wants a quote before Christmas.",
         "key_points": ["Poor Wi-Fi upstairs", "Quote before Christmas"], "next_action": "Send survey dates",
         "follow_up_date": "2026-12-01", "follow_up_priority": "high"}


@pytest.fixture
def configured(tenant1, fake_openai):
    provider_settings_save(api_key="sk-test-4321", base_url=fake_openai.url, default_model="", acting_user=None)
    return fake_openai


@pytest.fixture
def a_ticket(admin_user):
    from helpdesk.models import TicketCategory
    from helpdesk.services.tickets import ticket_create

    TicketCategory.objects.get_or_create(name="Printing")
    return ticket_create(customer=CustomerFactory(name="Dudley Dental"), acting_user=admin_user,
                         subject="printer not working!!", description="upstairs printer offline, reception cant print")


def test_ticket_help_sends_the_ticket_and_categories_and_each_proposal_is_accepted_separately(
    configured, a_ticket, admin_client1, django_capture_on_commit_callbacks
):
    # given
    configured.script(HELP)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        admin_client1.post(f"/ai/tickets/{a_ticket.pk}/help/run/", HTTP_HX_REQUEST="true")
    # then the model saw the customer's words and our categories
    user_message = configured.requests[0]["messages"][1]["content"]
    assert "upstairs printer offline, reception cant print" in user_message and '"Printing"' in user_message
    job = AiJob.objects.get(feature="ticket_help")
    panel = admin_client1.get(f"/ai/tickets/{a_ticket.pk}/help/", HTTP_HX_REQUEST="true").content.decode()
    assert "Reception cannot print" in panel and "Thank you — we are looking at the upstairs printer now." in panel
    # when the agent accepts the description and the priority, but not the category
    with django_capture_on_commit_callbacks(execute=True):
        admin_client1.post(f"/ai/tickets/{a_ticket.pk}/help/{job.pk}/accept/", {"what": "description"}, HTTP_HX_REQUEST="true")
        response = admin_client1.post(f"/ai/tickets/{a_ticket.pk}/help/{job.pk}/accept/", {"what": "priority"},
                                      HTTP_HX_REQUEST="true")
    # then
    a_ticket.refresh_from_db()
    assert a_ticket.description == "upstairs printer offline, reception cant print"  # the original stays
    assert a_ticket.priority == "high" and a_ticket.category is None
    note = a_ticket.comments.get()
    assert note.is_internal and note.body.endswith(HELP["clearer_description"])
    assert response["HX-Trigger"] == f"ticket-{a_ticket.pk}-changed"
    job.refresh_from_db()
    assert job.output["accepted"] == ["description", "priority"]


def test_a_category_that_does_not_exist_is_refused_clearly(configured, a_ticket, admin_client1,
                                                          django_capture_on_commit_callbacks):
    configured.script({**HELP, "category": "Plumbing"})
    with django_capture_on_commit_callbacks(execute=True):
        admin_client1.post(f"/ai/tickets/{a_ticket.pk}/help/run/", HTTP_HX_REQUEST="true")
    job = AiJob.objects.get(feature="ticket_help")
    response = admin_client1.post(f"/ai/tickets/{a_ticket.pk}/help/{job.pk}/accept/", {"what": "category"},
                                  HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert "The proposed category “Plumbing” does not exist" in response.content.decode()


def test_activity_cleanup_is_a_private_draft_that_keeps_the_original(configured, admin_user, make_user, client_for,
                                                                       django_capture_on_commit_callbacks):
    # given
    customer = CustomerFactory()
    configured.script(CLEAN)
    client = client_for(admin_user)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/ai/customers/{customer.pk}/activity-cleanup/", {
            "kind": "call", "subject": "Spoke to Sam", "notes": "sam says upstairs wifi v bad"}, HTTP_HX_REQUEST="true")
    # then
    assert response.status_code == 200
    assert "Notes as typed:\nsam says upstairs wifi v bad" in configured.requests[0]["messages"][1]["content"]
    job = AiJob.objects.get(feature="activity_cleanup")
    assert job.status == "done" and job.input["notes"] == "sam says upstairs wifi v bad"
    panel = client.get(f"/ai/jobs/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "Sam reports poor Wi-Fi upstairs" in panel and 'data-original="sam says upstairs wifi v bad"' in panel
    assert 'data-date="2026-12-01"' in panel
    # and another user cannot see the draft
    other = client_for(make_user(role="Sales"))
    assert other.get(f"/ai/jobs/{job.pk}/", HTTP_HX_REQUEST="true").status_code == 404


def test_activity_cleanup_needs_notes(configured, admin_client1):
    customer = CustomerFactory()
    response = admin_client1.post(f"/ai/customers/{customer.pk}/activity-cleanup/", {"notes": "  "}, HTTP_HX_REQUEST="true")
    assert response.status_code == 422 and AiJob.objects.count() == 0


def test_the_activity_form_offers_the_clean_up(configured, admin_client1):
    customer = CustomerFactory()
    page = admin_client1.get(f"/customers/{customer.pk}/activities/", HTTP_HX_REQUEST="true").content.decode()
    assert 'data-testid="ai-cleanup-run"' in page
