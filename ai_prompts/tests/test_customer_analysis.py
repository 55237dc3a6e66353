"""Feature 3: the analysis reads what CCS knows and the customer's website; the score and competitors apply."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ai_prompts.models import AiJob
from ai_prompts.services.providers import provider_settings_save
from crm.models import Customer
from crm.tests.factories import CustomerFactory

ANALYSIS = {
    "what_they_do": "Family dentistry in three practices", "size_estimate": "20-50 staff (estimate)",
    "likely_needs": ["Reliable Wi-Fi"], "opportunities": ["Wi-Fi survey"], "risks": ["Small budget"],
    "next_steps": ["Book a survey"], "lead_score": 72, "lead_score_reasons": ["Three sites", "Asked for Wi-Fi"],
    "competitors": [{"name": "Smile Dental Group", "website": "smile.example", "why": "Three practices nearby"},
                    {"name": "Halesowen Dentists", "website": "", "why": "Same town"}],
}
PAGE = (b"<html><head><style>.x{}</style><script>var secret=1;</script></head>"
        b"<body><h1>Dudley Dental</h1><p>Family dentistry in three practices.</p></body></html>")


@pytest.fixture
def website():
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(PAGE)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture
def configured(tenant1, fake_openai):
    provider_settings_save(api_key="sk-test-4321", base_url=fake_openai.url, default_model="", acting_user=None)
    return fake_openai


def _analyse(client, customer, capture):
    with capture(execute=True):
        client.post(f"/ai/customers/{customer.pk}/analysis/run/", HTTP_HX_REQUEST="true")
    return AiJob.objects.get(feature="customer_analysis")


def test_the_analysis_reads_the_website_text_and_shows_the_profile(configured, website, settings, admin_client1,
                                                                   django_capture_on_commit_callbacks):
    settings.AI_WEBSITE_FETCH_ALLOW_PRIVATE = True  # the test site is on loopback
    customer = CustomerFactory(name="Dudley Dental", website=website, known_facts="Three sites")
    configured.script(ANALYSIS)
    job = _analyse(admin_client1, customer, django_capture_on_commit_callbacks)
    sent = configured.requests[0]["messages"][1]["content"]
    assert "Text of their website:\nDudley Dental Family dentistry in three practices." in sent
    assert "secret" not in sent and ".x{}" not in sent
    assert job.status == "done"
    panel = admin_client1.get(f"/ai/customers/{customer.pk}/analysis/", HTTP_HX_REQUEST="true").content.decode()
    assert "Family dentistry in three practices" in panel and "Smile Dental Group" in panel
    assert 'data-testid="ai-lead-score">72<' in panel


def test_a_website_on_a_private_address_is_never_fetched(configured, website, admin_client1,
                                                         django_capture_on_commit_callbacks):
    customer = CustomerFactory(website=website)
    configured.script(ANALYSIS)
    _analyse(admin_client1, customer, django_capture_on_commit_callbacks)
    assert "Text of their website:\n(not available: the address is not a public web site)" in \
        configured.requests[0]["messages"][1]["content"]


def test_the_score_applies_and_a_competitor_becomes_a_lead_once(configured, admin_client1,
                                                                django_capture_on_commit_callbacks):
    customer = CustomerFactory(name="Dudley Dental", lead_score=10)
    configured.script(ANALYSIS)
    job = _analyse(admin_client1, customer, django_capture_on_commit_callbacks)
    admin_client1.post(f"/ai/customers/{customer.pk}/analysis/{job.pk}/apply/", {"what": "score"}, HTTP_HX_REQUEST="true")
    customer.refresh_from_db()
    assert customer.lead_score == 72
    for _ in range(2):
        response = admin_client1.post(f"/ai/customers/{customer.pk}/analysis/{job.pk}/apply/",
                                      {"what": "competitor", "competitor": "0"}, HTTP_HX_REQUEST="true")
    lead = Customer.objects.get(name="Smile Dental Group")
    assert (lead.status, lead.website) == ("lead", "smile.example")
    assert lead.known_facts == "Found by the AI analysis of Dudley Dental: Three practices nearby"
    assert "added as a lead" in response.content.decode()
    bad = admin_client1.post(f"/ai/customers/{customer.pk}/analysis/{job.pk}/apply/",
                             {"what": "competitor", "competitor": "9"}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 422 and "That competitor is not in the analysis." in bad.content.decode()
