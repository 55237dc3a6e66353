"""An Admin connects an AI provider (a local fake OpenAI-compatible server), then asks for next actions on a
customer: the three cards arrive live from the Celery worker, refresh live, and "Log this" pre-fills an activity."""

from __future__ import annotations

import subprocess
import sys

import pytest
from playwright.sync_api import expect

from ai_prompts.fake_openai import FakeOpenAI
from tests.browser.conftest import ROOT

SLUG = "aisuggest"
PASSWORD = "Aisuggest-staple-42"


def _cards(why_call: str, email_subject: str) -> dict:
    return {
        "call": {"priority": "high", "why": why_call, "talking_points": ["Chase the Wi-Fi quote"], "best_time": "Tuesday 10:00"},
        "email": {"priority": "medium", "why": "Survey dates pending", "subject": email_subject, "key_topics": ["Survey"]},
        "visit": {"priority": "low", "why": "New office in spring", "objectives": ["Walk the new site"], "timing": "March"},
    }


@pytest.fixture
def fake_model():
    server = FakeOpenAI().start()
    yield server
    server.stop()


def test_suggestions_arrive_live_refresh_live_and_log_this_prefills_the_activity(ccs_server, page, fake_model,
                                                                                  wait_for_live):
    # Given a company whose Admin has connected the AI provider
    result = subprocess.run(
        [sys.executable, "manage.py", "create_tenant", "--slug", SLUG, "--name", "Aisuggest Ltd",
         "--admin-email", "ada@aisuggest.example", "--admin-password", PASSWORD, "--admin-first-name", "Ada"],
        cwd=ROOT, env=ccs_server.env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    base = ccs_server.tenant_url(SLUG)
    page.goto(f"{base}/accounts/sign-in/")
    page.get_by_label("Email").fill("ada@aisuggest.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{base}/")
    page.goto(f"{base}/ai/provider/")
    page.get_by_label("API key").fill("sk-e2e-secret-1234")
    page.get_by_label("Base URL").fill(fake_model.url)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("provider-key-state")).to_contain_text("••••1234")

    # And a customer
    page.goto(f"{base}/customers/new/")
    page.get_by_label("Company name").fill("Oakfield Dental")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Oakfield Dental")).to_be_visible()
    wait_for_live(page)

    # When they ask for suggestions
    fake_model.script(_cards("The Wi-Fi quote is waiting", "Your Wi-Fi survey"),
                      _cards("The ticket is still open", "An update on your ticket"))
    page.get_by_test_id("ai-suggestions-refresh").click()
    # Then the three cards arrive from the worker without a reload
    expect(page.get_by_test_id("ai-card-call")).to_contain_text("The Wi-Fi quote is waiting", timeout=15_000)
    expect(page.get_by_test_id("ai-card-email")).to_contain_text("Your Wi-Fi survey")
    expect(page.get_by_test_id("ai-card-visit")).to_contain_text("Walk the new site")
    expect(page.get_by_test_id("ai-suggestions-age")).to_be_visible()
    assert "Oakfield Dental" in fake_model.requests[0]["messages"][1]["content"]

    # When an Admin edits the prompt in the web process, the worker's very next call uses it (no restart)
    customer_url = page.url
    page.goto(f"{base}/ai/prompts/action_suggestions/")
    system_text = page.get_by_label("System text")
    system_text.fill(system_text.input_value() + "\nMention the weather.")
    page.get_by_label("Change note").fill("weather")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("prompt-source")).to_contain_text("Your version 1 is in use")
    page.goto(customer_url)
    wait_for_live(page)

    # When they refresh, the cards update live
    page.get_by_test_id("ai-suggestions-refresh").click()
    expect(page.get_by_test_id("ai-card-call")).to_contain_text("The ticket is still open", timeout=15_000)
    expect(page.get_by_test_id("ai-card-email")).to_contain_text("An update on your ticket")
    assert fake_model.requests[1]["messages"][0]["content"].endswith("Mention the weather.")

    # When they use "Log this" on the email card, the activity form opens pre-filled
    page.get_by_test_id("ai-log-email").click()
    form = page.get_by_test_id("activity-form")
    expect(form.get_by_label("Subject")).to_have_value("An update on your ticket")
    expect(form.get_by_label("Type")).to_have_value("email")
    form.get_by_role("button", name="Log it").click()
    expect(page.locator('[data-testid=activity][data-subject="An update on your ticket"]')).to_be_visible()
