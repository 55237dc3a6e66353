"""Feature 4: help with a new ticket — a clearer description, a category and priority, a first reply to send.

Each proposal is accepted or ignored by the agent. The customer's original text is never changed: an accepted
description is added as an internal note beside it.
"""

from __future__ import annotations

from django.db import connection

from ai_prompts.features.action_suggestions import company_profile
from ai_prompts.features.registry import Feature, feature_register
from core.notifications import user_group_name

PROMPT_KEY = "ticket_help"


def _ticket_for_user(user, subject_id):
    from helpdesk.selectors import ticket_get_for_user

    return ticket_get_for_user(user=user, pk=subject_id)


def _ticket(subject_id):
    from helpdesk.models import Ticket

    return Ticket.objects.select_related("customer", "category", "contact").get(pk=subject_id)


def category_names() -> list[str]:
    from helpdesk.models import TicketCategory

    return list(TicketCategory.objects.order_by("name").values_list("name", flat=True)[:100])


def build_variables(job, ticket) -> dict:
    from helpdesk.models import Ticket
    from helpdesk.models.ticket import OPEN_STATUSES

    customer = ticket.customer
    others = (Ticket.objects.filter(customer=customer, status__in=OPEN_STATUSES).exclude(pk=ticket.pk)
              .order_by("-created_at")[:5])
    context = [f"Customer: {customer.name} ({customer.get_status_display()})"]
    if ticket.contact:
        context.append(f"Contact: {ticket.contact}")
    if customer.known_facts.strip():
        context.append(f"Known facts: {customer.known_facts.strip()}")
    context += [f"Other open ticket: {t.reference} | {t.subject} | {t.get_priority_display()}" for t in others]
    return {
        "ticket_subject": ticket.subject,
        "ticket_description": ticket.description.strip() or "(no description)",
        "ticket_type": ticket.get_type_display(),
        "current_priority": ticket.priority,
        "categories": category_names() or "none defined",
        "customer_context": "\n".join(context),
        "company_profile": company_profile(),
    }


FEATURE = feature_register(Feature(
    key="ticket_help",
    prompt_key=PROMPT_KEY,
    view_permission="helpdesk.view_tickets",
    subject_for_user=_ticket_for_user,
    subject_load=_ticket,
    panel_template="ai_prompts/features/ticket_help.html#panel",
    build_variables=build_variables,
    # a job started when the ticket was created by the portal or an email has no requester: the open pages poll
    push_groups=lambda job: ([user_group_name(schema=connection.schema_name, user_id=job.requested_by_id)]
                             if job.requested_by_id else []),
))
