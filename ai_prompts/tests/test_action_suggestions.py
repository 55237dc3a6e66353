"""Feature 1 end to end: refresh -> Celery (eager) -> the fake model -> cards pushed over the customer's websocket."""

from __future__ import annotations

from decimal import Decimal
from unittest import mock

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.testing import WebsocketCommunicator
from django.db.models import F

from ai_prompts.models import AiJob
from ai_prompts.services.providers import provider_settings_save
from ccs.asgi import application
from crm.tests.factories import CustomerFactory

ANSWER = {
    "call": {"priority": "high", "why": "Q-chase: the Wi-Fi quote is waiting", "talking_points": ["Ask about the Wi-Fi quote", "Reassure on T-ticket"],
             "best_time": "Tuesday 10:00"},
    "email": {"priority": "medium", "why": "Printer ticket open", "subject": "Your printer ticket and next steps",
              "key_topics": ["Ticket status", "Survey dates"]},
    "visit": {"priority": "low", "why": "New office soon", "objectives": ["Walk the new site"], "timing": "In March"},
}


@pytest.fixture(autouse=True)
def _same_connection():
    with mock.patch("channels.db.close_old_connections"):
        yield


def _given_a_customer_with_quotes_and_tickets(admin_user):
    from helpdesk.models import Ticket
    from helpdesk.services.tickets import ticket_create
    from quotes.models import Quote
    from quotes.services.quotes import quote_create

    customer = CustomerFactory(name="Dudley Dental", known_facts="Three sites")
    wifi = quote_create(customer=customer, acting_user=admin_user, title="Wi-Fi upgrade")
    cabling = quote_create(customer=customer, acting_user=admin_user, title="Cabling refresh")
    Quote.objects.filter(pk=wifi.pk).update(grand_total=Decimal("4800.00"), status="sent")
    Quote.objects.filter(pk=cabling.pk).update(grand_total=Decimal("1234.50"))
    printer = ticket_create(customer=customer, acting_user=admin_user, subject="Printer offline", priority="high")
    closed = ticket_create(customer=customer, acting_user=admin_user, subject="Old issue", priority="low")
    Ticket.objects.filter(pk=closed.pk).update(status="closed")
    return customer, wifi, cabling, printer


def test_the_request_holds_the_quote_and_ticket_summaries_and_the_cards_show_the_answer(
    admin_user, admin_client1, fake_openai, django_capture_on_commit_callbacks
):
    # given
    provider_settings_save(api_key="sk-test-0001", base_url=fake_openai.url, default_model="gpt-4o-mini", acting_user=None)
    customer, wifi, cabling, printer = _given_a_customer_with_quotes_and_tickets(admin_user)
    fake_openai.script(ANSWER)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client1.post(f"/ai/customers/{customer.pk}/suggestions/refresh/", HTTP_HX_REQUEST="true")
    # then the pending state answered the click
    assert response.status_code == 200 and 'data-testid="ai-pending"' in response.content.decode()
    # and the model got exactly these summaries
    user_message = fake_openai.requests[0]["messages"][1]["content"]
    y = wifi.year
    assert _summary_block(user_message) == [f"Q-{y}-{cabling.number:05d} | Cabling refresh | Draft | GBP 1,234.50",
                                             f"Q-{y}-{wifi.number:05d} | Wi-Fi upgrade | Sent | GBP 4,800.00"]
    assert _summary_block(user_message, "Open tickets") == [f"{printer.reference} | Printer offline | High | New"]
    assert "Old issue" not in user_message
    # and the cards reflect the answer
    job = AiJob.objects.get()
    assert job.status == "done" and job.output == ANSWER
    page = admin_client1.get(f"/ai/customers/{customer.pk}/suggestions/", HTTP_HX_REQUEST="true").content.decode()
    assert "Ask about the Wi-Fi quote" in page and "Your printer ticket and next steps" in page
    assert "Walk the new site" in page and "Tuesday 10:00" in page and "Suggested" in page


def _summary_block(text: str, heading: str = "Latest quotes") -> list[str]:
    """The JSON list the template put under `heading`."""
    import json

    block = text.split(heading, 1)[1].split(":\n", 1)[1]
    return json.loads(block[: block.index("]") + 1])


def test_the_cards_arrive_over_the_customers_websocket(admin_user, client_for, fake_openai, django_capture_on_commit_callbacks):
    provider_settings_save(api_key="sk-test-0001", base_url=fake_openai.url, default_model="", acting_user=None)
    customer = CustomerFactory()
    fake_openai.script(ANSWER)
    client = client_for(admin_user)
    key = client.session.session_key
    socket = WebsocketCommunicator(application, f"/ws/customers/{customer.pk}/", headers=[
        (b"host", b"test1.localhost"), (b"origin", b"http://test1.localhost"), (b"cookie", f"ccs_session={key}".encode())])

    def refresh():
        with django_capture_on_commit_callbacks(execute=True):
            client.post(f"/ai/customers/{customer.pk}/suggestions/refresh/", HTTP_HX_REQUEST="true")

    async def scenario():
        assert (await socket.connect())[0]
        await sync_to_async(refresh)()
        html = await socket.receive_from(timeout=3)
        await socket.disconnect()
        return html

    html = async_to_sync(scenario)()
    # each open page is told to reload its panel (rendered with that viewer's permissions) ...
    job = AiJob.objects.get()
    assert html == (f'<div id="ai-suggestions" hx-swap-oob="outerHTML" hx-get="/ai/customers/{customer.pk}/suggestions/" '
                    f'hx-trigger="load" hx-swap="outerHTML" data-ai-job="{job.pk}" data-ai-status="done"></div>\n')
    # ... which then shows the cards
    panel = client.get(f"/ai/customers/{customer.pk}/suggestions/", HTTP_HX_REQUEST="true").content.decode()
    assert "Your printer ticket and next steps" in panel and 'data-testid="ai-log-call"' in panel


def test_a_private_result_is_pushed_rendered_to_its_requester_only(admin_user, client_for, fake_openai,
                                                                     django_capture_on_commit_callbacks):
    provider_settings_save(api_key="sk-test-0001", base_url=fake_openai.url, default_model="", acting_user=None)
    customer = CustomerFactory()
    fake_openai.script({"tidied_notes": "Tidy.", "key_points": [], "next_action": "Call Sam", "follow_up_date": "",
                        "follow_up_priority": "low"})
    client = client_for(admin_user)
    key = client.session.session_key
    socket = WebsocketCommunicator(application, "/ws/live/", headers=[
        (b"host", b"test1.localhost"), (b"origin", b"http://test1.localhost"), (b"cookie", f"ccs_session={key}".encode())])

    def tidy():
        with django_capture_on_commit_callbacks(execute=True):
            client.post(f"/ai/customers/{customer.pk}/activity-cleanup/", {"notes": "call sam"}, HTTP_HX_REQUEST="true")

    async def scenario():
        assert (await socket.connect())[0]
        await sync_to_async(tidy)()
        html = await socket.receive_from(timeout=3)
        await socket.disconnect()
        return html

    html = async_to_sync(scenario)()
    assert '<div id="ai-activity-cleanup"' in html and 'hx-swap-oob="outerHTML"' in html
    assert 'data-testid="ai-next-action">Call Sam<' in html and 'data-testid="ai-use-notes"' in html


def test_a_failure_shows_the_reason_and_retry_works(admin_user, admin_client1, fake_openai, settings,
                                                     django_capture_on_commit_callbacks):
    settings.AI_MAX_RETRIES = 0
    provider_settings_save(api_key="sk-test-0001", base_url=fake_openai.url, default_model="", acting_user=None)
    customer = CustomerFactory()
    fake_openai.script(500, ANSWER)
    with django_capture_on_commit_callbacks(execute=True):
        admin_client1.post(f"/ai/customers/{customer.pk}/suggestions/refresh/", HTTP_HX_REQUEST="true")
    failed = AiJob.objects.get()
    page = admin_client1.get(f"/ai/customers/{customer.pk}/suggestions/", HTTP_HX_REQUEST="true").content.decode()
    assert failed.status == "failed" and "The AI provider answered HTTP 500" in page and 'data-testid="ai-retry"' in page
    with django_capture_on_commit_callbacks(execute=True):
        admin_client1.post(f"/ai/jobs/{failed.pk}/retry/", HTTP_HX_REQUEST="true")
    assert AiJob.objects.order_by(F("id").desc()).first().status == "done"


def test_without_a_key_the_panel_says_how_to_configure_and_the_page_works(admin_client1, settings):
    settings.OPENAI_API_KEY = ""
    customer = CustomerFactory()
    assert admin_client1.get(f"/customers/{customer.pk}/").status_code == 200
    panel = admin_client1.get(f"/ai/customers/{customer.pk}/suggestions/", HTTP_HX_REQUEST="true").content.decode()
    assert "AI is not configured yet: an Admin enters an API key under AI → Provider." in panel
    response = admin_client1.post(f"/ai/customers/{customer.pk}/suggestions/refresh/", HTTP_HX_REQUEST="true")
    assert response.status_code == 422 and AiJob.objects.count() == 0


def test_log_this_opens_the_activity_form_prefilled(admin_client1):
    customer = CustomerFactory()
    page = admin_client1.get(f"/customers/{customer.pk}/activities/?kind=email&subject=Your+ticket&notes=-+Status",
                             HTTP_HX_REQUEST="true").content.decode()
    assert 'value="Your ticket"' in page and '<option value="email" selected>' in page and "- Status</textarea>" in page


def test_a_job_the_worker_lost_is_shown_as_failed_with_retry(admin_user, admin_client1, fake_openai, settings):
    from datetime import timedelta

    from django.utils import timezone

    provider_settings_save(api_key="sk-test-0001", base_url=fake_openai.url, default_model="", acting_user=None)
    customer = CustomerFactory()
    AiJob.objects.create(feature="action_suggestions", subject_id=customer.pk, requested_by=admin_user,
                         created_at=timezone.now() - timedelta(seconds=settings.AI_JOB_STALE_SECONDS + 1))
    panel = admin_client1.get(f"/ai/customers/{customer.pk}/suggestions/", HTTP_HX_REQUEST="true").content.decode()
    assert "no answer after 10 minutes (the background worker may be down)." in panel
    assert 'data-testid="ai-retry"' in panel and 'data-testid="ai-suggestions-refresh"' in panel
    assert 'data-testid="ai-pending"' not in panel
