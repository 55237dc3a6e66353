"""Feature 3: a structured profile of a customer from what CCS knows and its website, a lead score with reasons,
and likely competitors that can become Lead customers in one click."""

from __future__ import annotations

from django.db import connection
from django.urls import reverse

from ai_prompts.features.action_suggestions import _customer, _customer_for_user, company_profile, customer_facts
from ai_prompts.features.registry import Feature, feature_register
from core.timeline import customer_group_name

PROMPT_KEY = "customer_analysis"


def build_variables(job, customer) -> dict:
    from ai_prompts.services.website import website_text

    text, problem = website_text(customer.website)
    contacts = customer.contacts.order_by("-is_primary", "last_name")[:10]
    activities = customer.activities.order_by("-occurred_at", "-id")[:10]
    return {
        "customer_facts": customer_facts(customer),
        "known_facts": customer.known_facts.strip() or "none recorded",
        "contacts": [f"{contact} | {contact.job_title or 'no title'}" for contact in contacts] or "none",
        "recent_activities": [f"{a.occurred_at:%Y-%m-%d} {a.get_kind_display()}: {a.subject}" for a in activities]
        or "none",
        "website_text": text or f"(not available: {problem})",
        "company_profile": company_profile(),
    }


FEATURE = feature_register(Feature(
    key="customer_analysis",
    prompt_key=PROMPT_KEY,
    view_permission="crm.view_customers",
    subject_for_user=_customer_for_user,
    subject_load=_customer,
    panel_template="ai_prompts/features/customer_analysis.html#panel",
    build_variables=build_variables,
    push_groups=lambda job: [customer_group_name(schema=connection.schema_name, customer_id=job.subject_id)],
    shared_panel=("ai-analysis", lambda subject_id: reverse("ai_prompts:customer_analysis", args=[subject_id])),
))
