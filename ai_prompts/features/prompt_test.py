"""The prompt editor's test run: the draft in the form, with the sample values, against the configured model."""

from __future__ import annotations

from decimal import Decimal

from django.db import connection

from ai_prompts.features.registry import Feature, feature_register
from ai_prompts.permissions import MANAGE_AI
from core.notifications import user_group_name


def run(job):
    from ai_prompts.services.calls import ai_call
    from ai_prompts.services.prompts import ResolvedPrompt

    draft = job.input["draft"]
    prompt = ResolvedPrompt(
        key=draft["key"], name=draft["name"], system_text=draft["system_text"], user_template=draft["user_template"],
        variables=draft["variables"], model=draft["model"],
        temperature=None if draft["temperature"] in (None, "") else Decimal(str(draft["temperature"])),
        max_output_tokens=draft["max_output_tokens"], output_schema=draft["output_schema"], source="draft")
    result = ai_call(key=prompt.key, variables=job.input["variables"], user=job.requested_by, feature="prompt_test",
                     prompt=prompt)
    return {"text": result.text, "data": result.data}, result.call


FEATURE = feature_register(Feature(
    key="prompt_test",
    prompt_key=None,
    view_permission=MANAGE_AI,
    start_permission=MANAGE_AI,
    subject_for_user=lambda user, subject_id: None,
    subject_load=lambda subject_id: None,
    panel_template="ai_prompts/features/prompt_test.html#panel",
    run=run,
    push_groups=lambda job: [user_group_name(schema=connection.schema_name, user_id=job.requested_by_id)],
))
