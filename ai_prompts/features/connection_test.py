"""The provider settings' "Test connection": lists the endpoint's models with the resolved key, in the worker."""

from __future__ import annotations

from django.db import connection

from ai_prompts.features.registry import Feature, feature_register
from ai_prompts.permissions import MANAGE_AI
from core.notifications import user_group_name


def run(job):
    from ai_prompts.errors import AiCallFailed
    from ai_prompts.services.providers import provider_test_connection

    ok, message = provider_test_connection()
    if not ok:
        raise AiCallFailed(message)
    return {"text": message}, None


FEATURE = feature_register(Feature(
    key="connection_test",
    prompt_key=None,
    view_permission=MANAGE_AI,
    start_permission=MANAGE_AI,
    subject_for_user=lambda user, subject_id: None,
    subject_load=lambda subject_id: None,
    panel_template="ai_prompts/features/connection_test.html#panel",
    run=run,
    push_groups=lambda job: [user_group_name(schema=connection.schema_name, user_id=job.requested_by_id)],
))
