"""The prompt editor, provider settings, usage pages and ratings, through the test client on a tenant host."""

from __future__ import annotations

import json

import pytest

from ai_prompts.models import AiCall, AiJob, AiRating, Prompt, ProviderSettings
from ai_prompts.services.providers import provider_settings_save
from ai_prompts.services.seeding import shipped_defaults

KEY = "action_suggestions"


def _form(**changes):
    data = shipped_defaults()[KEY]
    form = {"name": data["name"], "purpose": data["purpose"].strip(), "system_text": data["system_text"].strip(),
            "user_template": data["user_template"].strip(), "model": "", "temperature": "0.4",
            "max_output_tokens": "1500", "output_schema": json.dumps({"type": "object"}), "note": "shorter"}
    form.update(changes)
    return form


def test_the_first_save_copies_the_system_prompt_into_the_tenant(admin_client1, admin_user):
    # when
    response = admin_client1.post(f"/ai/prompts/{KEY}/", _form(system_text="Be brief. {{ quotes }}"))
    # then
    assert response.status_code == 302
    override = Prompt.objects.get(key=KEY)
    assert (override.system_text, override.version, override.based_on_system_version) == ("Be brief. {{ quotes }}", 1, 1)
    version = override.versions.get()
    assert (version.author, version.note) == (admin_user, "shorter")
    page = admin_client1.get(f"/ai/prompts/{KEY}/").content.decode()
    assert "Your version 1 is in use (copied from system version 1)." in page


def test_undeclared_variables_are_refused_and_the_typed_text_is_kept(admin_client1):
    response = admin_client1.post(f"/ai/prompts/{KEY}/", _form(user_template="Hello {{ bank_details }}"))
    page = response.content.decode()
    assert response.status_code == 422
    assert "The template uses undeclared variables: bank_details." in page
    assert "Hello {{ bank_details }}</textarea>" in page
    assert not Prompt.objects.filter(key=KEY).exists()


def test_preview_renders_the_draft_with_the_sample_data(admin_client1):
    response = admin_client1.post(f"/ai/prompts/{KEY}/preview/", _form(user_template="Quotes: {{ quotes }}"),
                                  HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Quotes: Q-2026-00012 | Wi-Fi upgrade | Sent | GBP 4,800.00" in response.content.decode()


def test_a_test_run_sends_the_draft_to_the_model_and_shows_the_answer(admin_client1, fake_openai,
                                                                       django_capture_on_commit_callbacks):
    provider_settings_save(api_key="sk-x-1234", base_url=fake_openai.url, default_model="", acting_user=None)
    fake_openai.script({"ok": True})
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client1.post(f"/ai/prompts/{KEY}/test/", _form(system_text="Draft only. {{ quotes }}"),
                                      HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert fake_openai.requests[0]["messages"][0]["content"].startswith("Draft only. Q-2026-00012")
    job = AiJob.objects.get(feature="prompt_test")
    assert job.status == "done" and job.call.prompt_version == "draft"
    assert not Prompt.objects.filter(key=KEY).exists()  # a test run saves nothing
    page = admin_client1.get(f"/ai/prompts/{KEY}/").content.decode()
    assert "{&quot;ok&quot;: true}" in page


def test_history_diff_rollback_and_revert(admin_client1):
    admin_client1.post(f"/ai/prompts/{KEY}/", _form(name="First"))
    admin_client1.post(f"/ai/prompts/{KEY}/", _form(name="Second"))
    history = admin_client1.get(f"/ai/prompts/{KEY}/history/").content.decode()
    assert history.count('data-testid="version-row"') == 2
    diff = admin_client1.get(f"/ai/prompts/{KEY}/history/2/diff/").content.decode()
    assert "-First" in diff and "+Second" in diff
    assert admin_client1.post(f"/ai/prompts/{KEY}/history/1/rollback/").status_code == 302
    assert Prompt.objects.get(key=KEY).name == "First"
    admin_client1.post(f"/ai/prompts/{KEY}/revert/")
    assert Prompt.objects.get(key=KEY).active is False
    assert "The system prompt (version 1) is in use." in admin_client1.get(f"/ai/prompts/{KEY}/").content.decode()


def test_the_prompt_list_has_a_pinned_query_count(admin_client1, assert_queries):
    admin_client1.post(f"/ai/prompts/{KEY}/", _form(name="Ours"))
    admin_client1.get("/ai/prompts/")
    with assert_queries(6):
        page = admin_client1.get("/ai/prompts/").content.decode()
    assert "yours, v1" in page and "system, v1" in page


def test_provider_settings_keep_the_key_when_left_empty_and_never_show_it(admin_client1):
    admin_client1.post("/ai/provider/", {"api_key": "sk-first-key-abcd", "base_url": "http://127.0.0.1:9/v1",
                                         "default_model": "llama3"})
    admin_client1.post("/ai/provider/", {"api_key": "", "base_url": "http://127.0.0.1:9/v1", "default_model": "llama3.1"})
    row = ProviderSettings.objects.get()
    assert (row.api_key, row.default_model) == ("sk-first-key-abcd", "llama3.1")
    page = admin_client1.get("/ai/provider/").content.decode()
    assert "••••abcd" in page and "sk-first-key" not in page


def test_test_connection_runs_in_the_worker_and_reports(admin_client1, fake_openai, django_capture_on_commit_callbacks):
    provider_settings_save(api_key="sk-x-1234", base_url=fake_openai.url, default_model="", acting_user=None)
    with django_capture_on_commit_callbacks(execute=True):
        admin_client1.post("/ai/provider/test/", HTTP_HX_REQUEST="true")
    row = ProviderSettings.objects.get()
    assert row.last_test_ok is True and row.last_test_message == "Connected (tenant key). Models: fake-model"


def test_usage_page_totals_and_pinned_queries(admin_client1, admin_user, assert_queries):
    call = AiCall.objects.create(prompt_key=KEY, outcome="ok", model="gpt-4o-mini", tokens_in=1000, tokens_out=500,
                                 user=admin_user, request_text="[user]\nhello", response_text="{}")
    AiCall.objects.create(prompt_key=KEY, outcome="failed", model="gpt-4o-mini", error="HTTP 500")
    AiRating.objects.create(call=call, user=admin_user, value=1, comment="spot on")
    admin_client1.get("/ai/usage/")
    with assert_queries(8):
        page = admin_client1.get("/ai/usage/").content.decode()
    assert page.count('data-testid="usage-row"') == 2 and "1,500" in page and "1 failed" in page
    detail = admin_client1.get(f"/ai/usage/calls/{call.pk}/").content.decode()
    assert "[user]\nhello" in detail and "spot on" in detail


def test_any_user_who_may_use_ai_rates_a_result(tenant1, make_user, client_for):
    call = AiCall.objects.create(prompt_key=KEY, outcome="ok")
    sales = make_user(role="Sales")
    response = client_for(sales).post(f"/ai/calls/{call.pk}/rate/", {"value": "-1", "comment": "too vague"})
    assert response.status_code == 200 and "You rated this not useful." in response.content.decode()
    assert AiRating.objects.get().comment == "too vague"


@pytest.mark.parametrize("role", ["Manager", "Sales", "Support agent", "Read-only"])
def test_only_admins_edit_prompts_and_keys(role, tenant1, make_user, client_for):
    client = client_for(make_user(role=role))
    assert client.post(f"/ai/prompts/{KEY}/", _form()).status_code == 403
    assert client.post("/ai/provider/", {"api_key": "sk-evil"}).status_code == 403
    assert not ProviderSettings.objects.exists()
