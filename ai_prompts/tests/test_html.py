"""Every AI page and panel is valid HTML, and the detail pages have pinned query counts."""

from __future__ import annotations

from ai_prompts.models import AiCall, AiJob
from ai_prompts.services.prompts import prompt_override_save
from ai_prompts.services.providers import provider_settings_save
from crm.tests.factories import CustomerFactory
from tests.html_validity import assert_valid_html

KEY = "action_suggestions"
CARDS = {"call": {"priority": "high", "why": "W <b>", "talking_points": ["a", "b"], "best_time": "now"},
         "email": {"priority": "low", "why": "W", "subject": "S", "key_topics": ["t"]},
         "visit": {"priority": "medium", "why": "W", "objectives": ["o"], "timing": "soon"}}


def _given_ai(admin_user):
    provider_settings_save(api_key="sk-html-0000", base_url="http://127.0.0.1:9/v1", default_model="", acting_user=None)
    prompt_override_save(key=KEY, fields={"name": "Ours"}, acting_user=admin_user, note="one")
    prompt_override_save(key=KEY, fields={"name": "Ours 2"}, acting_user=admin_user, note="two")
    call = AiCall.objects.create(prompt_key=KEY, outcome="ok", model="gpt-4o-mini", user=admin_user,
                                 request_text="[system]\n<script>x</script>", response_text="{}")
    return call


def test_ai_pages_and_panels_are_valid_html(admin_client1, admin_user):
    call = _given_ai(admin_user)
    customer = CustomerFactory()
    AiJob.objects.create(feature="action_suggestions", subject_id=customer.pk, status="done", output=CARDS, call=call,
                         requested_by=admin_user)
    pages = [admin_client1.get(url) for url in (
        "/ai/prompts/", f"/ai/prompts/{KEY}/", f"/ai/prompts/{KEY}/history/", f"/ai/prompts/{KEY}/history/2/diff/",
        "/ai/provider/", "/ai/usage/", f"/ai/usage/calls/{call.pk}/")]
    for response in pages:
        assert response.status_code == 200
        assert_valid_html(response.content.decode())
    assert "&lt;script&gt;x&lt;/script&gt;" in pages[-1].content.decode()
    panel = admin_client1.get(f"/ai/customers/{customer.pk}/suggestions/", HTTP_HX_REQUEST="true").content.decode()
    assert_valid_html(panel, fragment=True)
    assert "W &lt;b&gt;" in panel
    AiJob.objects.create(feature="customer_analysis", subject_id=customer.pk, status="done", call=call, output={
        "what_they_do": "<i>x</i>", "size_estimate": "", "likely_needs": ["n"], "opportunities": [], "risks": [],
        "next_steps": [], "lead_score": 60, "lead_score_reasons": ["r"],
        "competitors": [{"name": "A", "website": "", "why": "w"}], "competitors_added": {"0": customer.pk}})
    analysis = admin_client1.get(f"/ai/customers/{customer.pk}/analysis/", HTTP_HX_REQUEST="true").content.decode()
    assert_valid_html(analysis, fragment=True)
    assert "&lt;i&gt;x&lt;/i&gt;" in analysis and "added as a lead" in analysis
    assert_valid_html(admin_client1.get(f"/customers/{customer.pk}/").content.decode())
    activities = admin_client1.get(f"/customers/{customer.pk}/activities/", HTTP_HX_REQUEST="true").content.decode()
    assert_valid_html(activities, fragment=True)


def test_ai_detail_pages_have_pinned_query_counts(admin_client1, admin_user, assert_queries):
    call = _given_ai(admin_user)
    for url in (f"/ai/prompts/{KEY}/", f"/ai/prompts/{KEY}/history/", f"/ai/usage/calls/{call.pk}/", "/ai/provider/"):
        admin_client1.get(url)
    with assert_queries(8):
        admin_client1.get(f"/ai/prompts/{KEY}/")
    with assert_queries(7):
        admin_client1.get(f"/ai/prompts/{KEY}/history/")
    with assert_queries(6):
        admin_client1.get(f"/ai/usage/calls/{call.pk}/")
    with assert_queries(8):
        admin_client1.get("/ai/provider/")


def test_ai_panels_have_pinned_query_counts(admin_client1, admin_user, assert_queries):
    from helpdesk.services.tickets import ticket_create

    call = _given_ai(admin_user)
    customer = CustomerFactory()
    ticket = ticket_create(customer=customer, acting_user=admin_user, subject="Help")
    AiJob.objects.create(feature="action_suggestions", subject_id=customer.pk, status="done", output=CARDS, call=call)
    AiJob.objects.create(feature="ticket_help", subject_id=ticket.pk, status="done", call=call, output={
        "clearer_description": "c", "category": "", "priority": "high", "priority_reason": "", "first_reply": "r"})
    urls = [f"/ai/customers/{customer.pk}/suggestions/", f"/ai/customers/{customer.pk}/analysis/",
            f"/ai/tickets/{ticket.pk}/help/"]
    for url in urls:
        admin_client1.get(url, HTTP_HX_REQUEST="true")
    expected = {urls[0]: 8, urls[1]: 7, urls[2]: 7}  # htmx fragments: no unread-notification count
    for url in urls:
        with assert_queries(expected[url]):
            admin_client1.get(url, HTTP_HX_REQUEST="true")
