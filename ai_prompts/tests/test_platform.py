"""The AI platform against a local fake OpenAI-compatible server: resolution, cache, calls, budget, keys, jobs."""

from __future__ import annotations

import json
import logging

import pytest
from django.core.cache.backends.redis import RedisCache
from django.conf import settings
from django_tenants.utils import schema_context

from ai_prompts.errors import AiBudgetExceeded, AiCallFailed, AiNotConfigured, AiOutputInvalid, PromptNotFound
from ai_prompts.models import AiCall, AiJob, Prompt, ProviderSettings
from ai_prompts.services import prompts as prompt_services
from ai_prompts.services.calls import ai_call
from ai_prompts.services.providers import provider_resolve, provider_settings_save

KEY = "action_suggestions"
GOOD = {
    "call": {"priority": "high", "why": "Quote Q-2026-00001 is waiting", "talking_points": ["Chase the quote"],
             "best_time": "Tuesday morning"},
    "email": {"priority": "medium", "why": "Ticket open", "subject": "Your open ticket", "key_topics": ["Update"]},
    "visit": {"priority": "low", "why": "No visit this year", "objectives": ["Meet the new IT lead"], "timing": "Next month"},
}


@pytest.fixture
def configured(tenant1, fake_openai, settings):
    settings.AI_MAX_RETRIES = 2
    settings.AI_TIMEOUT_SECONDS = 2
    provider_settings_save(api_key="sk-tenant1-secret-9876", base_url=fake_openai.url, default_model="gpt-4o-mini",
                           acting_user=None)
    return fake_openai


def _variables():
    return {name: f"<{name}>" for name in prompt_services.prompt_resolve(key=KEY).variable_names}


def test_a_call_renders_the_prompt_sends_the_schema_and_logs_tokens_and_cost(configured, admin_user):
    # given
    configured.script(GOOD)
    # when
    result = ai_call(key=KEY, variables=_variables(), user=admin_user, feature="test")
    # then
    assert result.data == GOOD
    sent = configured.requests[0]
    assert sent["model"] == "gpt-4o-mini"
    assert sent["response_format"]["json_schema"]["name"] == KEY
    assert sent["messages"][0]["role"] == "system" and "<company_profile>" in sent["messages"][1]["content"]
    call = AiCall.objects.get()
    assert (call.outcome, call.prompt_version, call.provider_source, call.attempts) == ("ok", "system v1", "tenant", 1)
    assert call.tokens_in > 0 and call.tokens_out > 0
    assert call.estimated_cost is not None and call.user == admin_user
    assert json.dumps(GOOD) in call.response_text and "<quotes>" in call.request_text


def test_malformed_output_gets_one_repair_then_succeeds(configured):
    # given
    bad = {**GOOD, "call": {**GOOD["call"], "priority": "urgent"}}
    configured.script(bad, GOOD)
    # when
    result = ai_call(key=KEY, variables=_variables())
    # then
    assert result.data == GOOD
    repair_request = configured.requests[1]
    assert repair_request["messages"][2] == {"role": "assistant", "content": json.dumps(bad)}
    assert "call/priority: 'urgent' is not one of ['high', 'medium', 'low']" in repair_request["messages"][3]["content"]
    assert AiCall.objects.get().outcome == "repaired"


def test_output_still_malformed_after_the_repair_fails_clearly(configured):
    configured.script("not json at all", {"call": {}})
    with pytest.raises(AiOutputInvalid, match="did not have the expected structure, even after one repair attempt"):
        ai_call(key=KEY, variables=_variables())
    call = AiCall.objects.get()
    assert (call.outcome, call.attempts) == ("invalid_output", 2)


def test_rate_limits_and_server_errors_are_retried_with_backoff(configured):
    configured.script(429, 500, GOOD)
    result = ai_call(key=KEY, variables=_variables())
    assert result.data == GOOD
    assert len(configured.requests) == 3


def test_persistent_rate_limiting_fails_with_a_clear_reason(configured):
    configured.script(429, 429, 429)
    with pytest.raises(AiCallFailed, match=r"rate-limiting this key \(HTTP 429\), still after 3 tries"):
        ai_call(key=KEY, variables=_variables())
    assert len(configured.requests) == 3
    assert AiCall.objects.get().outcome == "failed"


def test_a_slow_model_times_out_after_the_retries(configured, settings):
    settings.AI_TIMEOUT_SECONDS = 0.3
    settings.AI_MAX_RETRIES = 1
    configured.script(("slow", 1.0, GOOD), ("slow", 1.0, GOOD))
    with pytest.raises(AiCallFailed, match="did not answer within 0.3 seconds"):
        ai_call(key=KEY, variables=_variables())


def test_over_budget_no_call_is_made(configured, tenant1, settings):
    settings.AI_MONTHLY_TOKEN_BUDGETS = {**settings.AI_MONTHLY_TOKEN_BUDGETS, tenant1.plan: 100}
    AiCall.objects.create(prompt_key=KEY, outcome="ok", tokens_in=80, tokens_out=20)
    with pytest.raises(AiBudgetExceeded, match="This month's AI budget of 100 tokens is used up"):
        ai_call(key=KEY, variables=_variables())
    assert configured.requests == []
    assert AiCall.objects.filter(outcome="over_budget").count() == 1


def test_no_key_anywhere_is_a_clear_error(tenant1, settings):
    settings.OPENAI_API_KEY = ""
    with pytest.raises(AiNotConfigured, match="an Admin enters an API key"):
        ai_call(key=KEY, variables=_variables())


def test_key_resolution_tenant_then_system_then_environment(tenant1, tenant2, in_tenant, settings):
    settings.OPENAI_API_KEY, settings.OPENAI_BASE_URL = "sk-env-0000", "http://env.example/v1"
    assert provider_resolve().source == "environment"
    with schema_context("public"):
        provider_settings_save(api_key="sk-system-1111", base_url="", default_model="", acting_user=None)
    assert (provider_resolve().source, provider_resolve().api_key) == ("system", "sk-system-1111")
    provider_settings_save(api_key="sk-tenant1-2222", base_url="", default_model="", acting_user=None)
    assert (provider_resolve().source, provider_resolve().api_key) == ("tenant", "sk-tenant1-2222")
    with in_tenant(tenant2):  # tenant 1's key is never used for tenant 2
        assert (provider_resolve().source, provider_resolve().api_key) == ("system", "sk-system-1111")


def test_the_key_is_encrypted_at_rest_shown_as_last_four_and_never_logged(configured, admin_client1, caplog):
    # given
    caplog.set_level(logging.DEBUG)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT api_key FROM ai_prompts_providersettings WHERE id = 1")
        stored = cursor.fetchone()[0]
    # when
    configured.script(GOOD)
    ai_call(key=KEY, variables=_variables())
    page = admin_client1.get("/ai/provider/").content.decode()
    # then
    assert "sk-tenant1-secret-9876" not in stored and stored.startswith("gAAAA")
    assert "••••9876" in page and "sk-tenant1-secret" not in page
    assert "sk-tenant1-secret-9876" not in caplog.text
    assert configured.headers[0]["authorization"] == "Bearer sk-tenant1-secret-9876"


def test_prompt_resolution_override_then_system_then_prompt_not_found(tenant1, caplog):
    assert prompt_services.prompt_resolve(key=KEY).source == "system"
    prompt_services.prompt_override_save(key=KEY, fields={"name": "Ours"}, acting_user=None)
    resolved = prompt_services.prompt_resolve(key=KEY)
    assert (resolved.source, resolved.name, resolved.version) == ("tenant", "Ours", 1)
    with pytest.raises(PromptNotFound, match="“nope” is missing"):
        prompt_services.prompt_resolve(key="nope")
    assert "AI prompt not found" in caplog.text


def test_an_edit_is_used_by_the_very_next_call_also_through_another_cache_client(tenant1, django_capture_on_commit_callbacks):
    # given a resolution cached in Redis, and a second client on the same Redis (another process)
    first = prompt_services.prompt_resolve(key=KEY)
    other_process = RedisCache(settings.CACHES["default"]["LOCATION"], {
        "KEY_FUNCTION": settings.CACHES["default"]["KEY_FUNCTION"], "KEY_PREFIX": settings.CACHES["default"]["KEY_PREFIX"]})
    with schema_context("public"):
        assert other_process.get(prompt_services._cache_key(KEY)) == first
    # when the system prompt is edited (in the system admin's schema)
    with schema_context("public"), django_capture_on_commit_callbacks(execute=True):
        system = Prompt.objects.get(key=KEY)
        prompt_services.prompt_save(prompt=system, fields={"system_text": system.system_text + "\nBe brief."},
                                    acting_user=None, note="test")
    # then the other process finds no stale entry and the next call reads the new text
    with schema_context("public"):
        assert other_process.get(prompt_services._cache_key(KEY)) is None
    assert prompt_services.prompt_resolve(key=KEY).system_text.endswith("Be brief.")
    assert prompt_services.prompt_resolve(key=KEY).version == first.version + 1


def test_seed_is_idempotent_updates_on_a_newer_shipped_version_and_never_touches_overrides(tenant1, monkeypatch):
    from ai_prompts.services import seeding

    prompt_services.prompt_override_save(key=KEY, fields={"name": "Ours"}, acting_user=None)
    assert seeding.prompt_seed_defaults()["created"] == []
    shipped = seeding.shipped_defaults()
    newer = {**shipped, KEY: {**shipped[KEY], "version": shipped[KEY]["version"] + 1, "name": "Action suggestions 2"}}
    monkeypatch.setattr(seeding, "shipped_defaults", lambda: newer)
    report = seeding.prompt_seed_defaults()
    assert report["updated"] == [KEY]
    with schema_context("public"):
        assert Prompt.objects.get(key=KEY).name == "Action suggestions 2"
    assert Prompt.objects.get(key=KEY).name == "Ours"
    assert seeding.prompt_seed_defaults()["updated"] == []


def test_rollback_and_revert_keep_history(tenant1, admin_user):
    prompt = prompt_services.prompt_override_save(key=KEY, fields={"name": "One"}, acting_user=admin_user, note="a")
    prompt = prompt_services.prompt_override_save(key=KEY, fields={"name": "Two"}, acting_user=admin_user, note="b")
    prompt_services.prompt_rollback(prompt=prompt, version=1, acting_user=admin_user)
    prompt.refresh_from_db()
    assert (prompt.name, prompt.version) == ("One", 3)
    prompt_services.prompt_override_revert(prompt=prompt, acting_user=admin_user)
    assert prompt_services.prompt_resolve(key=KEY).source == "system"
    assert list(prompt.versions.values_list("version", "note")) == [
        (4, "Reverted to the system prompt"), (3, "Rolled back to version 1"), (2, "b"), (1, "a")]
    rows = prompt_services.prompt_version_diff(older=prompt.versions.get(version=1), newer=prompt.versions.get(version=2))
    assert ("del", "-One") in rows and ("add", "+Two") in rows


def test_templates_may_use_only_declared_and_known_variables(tenant1):
    problems = prompt_services.prompt_validate(
        system_text="{{ quotes }}", user_template="{{ secret_sauce }}",
        variables=[{"name": "quotes"}, {"name": "made_up"}], known=["quotes"], output_schema={"type": "nope"})
    assert problems[0] == "The template uses undeclared variables: secret_sauce."
    assert problems[1].startswith("These variables are not supplied by the feature: made_up.")
    assert problems[2].startswith("The output schema is not a valid JSON schema")


def test_every_feature_with_an_empty_prompt_table_fails_with_the_clear_message(configured, admin_user, caplog):
    from ai_prompts.features.registry import feature_list
    from ai_prompts.services.jobs import ai_job_execute
    from crm.tests.factories import CustomerFactory
    from helpdesk.services.tickets import ticket_create

    # given no prompt anywhere
    Prompt.objects.all().delete()
    with schema_context("public"):
        Prompt.objects.all().delete()
    from quotes.services.quotes import quote_create

    customer = CustomerFactory()
    ticket = ticket_create(customer=customer, acting_user=admin_user, subject="Help").pk
    quote = quote_create(customer=customer, acting_user=admin_user, title="Hall Wi-Fi").pk
    subjects = {"ticket_help": ticket, "ticket_reply_translate": ticket, "quote_build": quote,
                "quote_review": quote, "quote_translate": quote}
    features = [feature for feature in feature_list() if feature.prompt_key]
    assert {feature.key for feature in features} == {"action_suggestions", "ticket_help", "activity_cleanup",
                                                      "customer_analysis", "quote_build", "quote_review",
                                                      "quote_translate", "ticket_reply_translate"}
    for feature in features:
        # when
        job = AiJob.objects.create(feature=feature.key, subject_id=subjects.get(feature.key, customer.pk),
                                   requested_by=admin_user, input={"notes": "n"})
        job = ai_job_execute(job=job)
        # then
        assert job.status == "failed"
        assert job.error.startswith(f"The AI prompt “{feature.prompt_key}” is missing.")
    # and a review's follow-up question has its own prompt, missing just as clearly
    followup = AiJob.objects.create(feature="quote_review", subject_id=quote, requested_by=admin_user,
                                    input={"question": "Why?", "state": {"summary": "", "findings": []}})
    assert ai_job_execute(job=followup).error.startswith("The AI prompt “quote_review_followup” is missing.")
    assert configured.requests == []
    assert caplog.text.count("AI prompt not found") == 9


def test_the_shipped_prompts_doc_is_current():
    from ai_prompts.services.seeding import prompt_reference_markdown

    assert (settings.BASE_DIR / "docs" / "ai-prompts.md").read_text() == prompt_reference_markdown()


def test_rotate_encryption_key_re_encrypts_every_schemas_secrets(tenant1, tenant2, in_tenant, settings):
    from django.core.management import call_command

    from core.crypto import _fernet

    provider_settings_save(api_key="sk-one-1234", base_url="", default_model="", acting_user=None)
    with schema_context("public"):
        provider_settings_save(api_key="sk-sys-5678", base_url="", default_model="", acting_user=None)
    old = settings.FIELD_ENCRYPTION_KEY
    settings.FIELD_ENCRYPTION_KEY = f"a-brand-new-key,{old}"
    call_command("rotate_encryption_key")
    settings.FIELD_ENCRYPTION_KEY = "a-brand-new-key"  # the old key is gone: everything still decrypts
    _fernet.cache_clear()
    assert ProviderSettings.objects.get().api_key == "sk-one-1234"
    with schema_context("public"):
        assert ProviderSettings.objects.get().api_key == "sk-sys-5678"
    settings.FIELD_ENCRYPTION_KEY = old


def test_the_fake_server_speaks_streaming_and_the_responses_api(fake_openai):
    import openai

    client = openai.OpenAI(api_key="fake", base_url=fake_openai.url, max_retries=0)
    fake_openai.script("streamed hello", "responses hello")
    chunks = list(client.chat.completions.create(model="m", messages=[{"role": "user", "content": "x"}], stream=True))
    assert "".join(chunk.choices[0].delta.content or "" for chunk in chunks) == "streamed hello"
    assert client.responses.create(model="m", input="x").output_text == "responses hello"
    assert [request.get("stream") for request in fake_openai.requests] == [True, None]


def test_system_prompts_edited_in_the_django_admin_keep_a_version(public_client, django_capture_on_commit_callbacks):
    from accounts.models import User

    with schema_context("public"):
        operator = User.objects.create_superuser(email="op@example.com", password="x-very-long-pass")
        prompt = Prompt.objects.get(key=KEY)
    public_client.force_login(operator)
    form = {"key": KEY, "name": "Renamed by operator", "purpose": prompt.purpose, "system_text": prompt.system_text,
            "user_template": prompt.user_template, "variables": json.dumps(prompt.variables), "model": "",
            "temperature": "0.4", "max_output_tokens": "1500", "output_schema": json.dumps(prompt.output_schema),
            "active": "on", "versions-TOTAL_FORMS": "0", "versions-INITIAL_FORMS": "0"}
    with django_capture_on_commit_callbacks(execute=True):
        response = public_client.post(f"/admin/ai_prompts/prompt/{prompt.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    with schema_context("public"):
        prompt.refresh_from_db()
        assert (prompt.name, prompt.version) == ("Renamed by operator", 2)
        assert prompt.versions.get(version=2).note == "Edited in the system admin"
    assert prompt_services.prompt_resolve(key=KEY).name == "Renamed by operator"


def test_the_system_key_is_set_in_the_django_admin_masked_and_used_by_tenants_without_their_own(
    public_client, tenant1, caplog
):
    from accounts.models import User

    caplog.set_level(logging.DEBUG)
    with schema_context("public"):
        operator = User.objects.create_superuser(email="op2@example.com", password="x-very-long-pass")
        public_client.force_login(operator)
    response = public_client.post("/admin/ai_prompts/providersettings/add/", {
        "base_url": "https://llm.example/v1", "default_model": "gpt-4o", "new_api_key": "sk-system-admin-7777"})
    assert response.status_code == 302
    with schema_context("public"):
        row = ProviderSettings.objects.get()
        page = public_client.get(f"/admin/ai_prompts/providersettings/{row.pk}/change/").content.decode()
    assert "••••7777" in page and "sk-system-admin" not in page
    assert "sk-system-admin-7777" not in caplog.text
    provider = provider_resolve()  # in tenant test1, which has no key of its own
    assert (provider.source, provider.api_key, provider.base_url) == ("system", "sk-system-admin-7777", "https://llm.example/v1")
