"""Feature 2: while logging an activity, the AI tidies the notes, extracts key points and proposes one next action
and a follow-up date. It is a private draft: nothing is saved until the user logs the activity, and the original
notes stay in the form."""

from __future__ import annotations

from django.db import connection
from django.utils import timezone

from ai_prompts.features.action_suggestions import _customer, _customer_for_user, company_profile, customer_facts
from ai_prompts.features.registry import Feature, feature_register
from core.notifications import user_group_name

PROMPT_KEY = "activity_cleanup"


def build_variables(job, customer) -> dict:
    recent = customer.activities.order_by("-occurred_at", "-id")[:5]
    return {
        "activity_type": job.input.get("kind", ""),
        "subject": job.input.get("subject", ""),
        "notes": job.input.get("notes", ""),
        "customer_context": customer_facts(customer),
        "recent_activities": [f"{a.occurred_at:%Y-%m-%d} {a.get_kind_display()}: {a.subject}" for a in recent] or "none",
        "company_profile": company_profile(),
        "today": timezone.localdate().isoformat(),
    }


FEATURE = feature_register(Feature(
    key="activity_cleanup",
    prompt_key=PROMPT_KEY,
    view_permission="crm.view_customers",
    subject_for_user=_customer_for_user,
    subject_load=_customer,
    panel_template="ai_prompts/features/activity_cleanup.html#panel",
    build_variables=build_variables,
    per_user=True,
    push_groups=lambda job: [user_group_name(schema=connection.schema_name, user_id=job.requested_by_id)],
))
