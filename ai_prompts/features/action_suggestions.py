"""Feature 1: three next-action cards (Call, Email, Visit) on the customer page, grounded in what CCS knows."""

from __future__ import annotations

from django.db import connection
from django.urls import reverse
from django.utils import timezone

from ai_prompts.features.registry import Feature, feature_register
from core.timeline import customer_group_name

PROMPT_KEY = "action_suggestions"


def _customer_for_user(user, subject_id):
    from crm.selectors import customer_get_for_user

    return customer_get_for_user(user=user, pk=subject_id)


def _customer(subject_id):
    from crm.models import Customer

    return Customer.objects.select_related("sector", "owner").get(pk=subject_id)


def _money(currency: str, amount) -> str:
    return f"{currency} {amount:,.2f}"


def quote_summaries(customer) -> list[str]:
    """The latest five quotes: number | title | status | total."""
    from quotes.models import Quote

    quotes = Quote.objects.filter(customer=customer).order_by("-created_at", "-id")[:5]
    return [f"{quote.reference} | {quote.title} | {quote.get_status_display()} | {_money(quote.currency, quote.grand_total)}"
            for quote in quotes]


def ticket_summaries(customer) -> list[str]:
    """Open tickets (up to ten, newest first): number | subject | priority | status."""
    from helpdesk.models import Ticket
    from helpdesk.models.ticket import OPEN_STATUSES

    tickets = Ticket.objects.filter(customer=customer, status__in=OPEN_STATUSES).order_by("-created_at", "-id")[:10]
    return [f"{ticket.reference} | {ticket.subject} | {ticket.get_priority_display()} | {ticket.get_status_display()}"
            for ticket in tickets]


def company_profile() -> str:
    tenant = connection.tenant
    parts = [f"Company: {tenant.name}"]
    for label, value in (("About", tenant.description), ("Products and services", tenant.products_and_services),
                         ("Unique selling points", tenant.unique_selling_points),
                         ("Target markets", tenant.target_markets)):
        if value.strip():
            parts.append(f"{label}: {value.strip()}")
    return "\n".join(parts)


def customer_facts(customer) -> str:
    last = customer.activities.order_by("-occurred_at").values_list("occurred_at", flat=True).first()
    days = f"{(timezone.now() - last).days} days ago" if last else "never"
    lines = [
        f"Name: {customer.name}",
        f"Status: {customer.get_status_display()}",
        f"Sector: {customer.sector or 'unknown'}",
        f"Size: {customer.get_size_band_display() or 'unknown'}",
        f"Lead score: {customer.lead_score}",
        f"Website: {customer.website or 'unknown'}",
        f"Last contact: {days}",
    ]
    return "\n".join(lines)


def build_variables(job, customer) -> dict:
    from crm.models import OPEN_STAGES

    activities = customer.activities.select_related("contact").order_by("-occurred_at", "-id")[:10]
    follow_ups = customer.activities.filter(completed_at__isnull=True, follow_up_on__isnull=False).order_by("follow_up_on")[:10]
    opportunities = customer.opportunities.filter(stage__in=OPEN_STAGES).order_by("-value")[:10]
    return {
        "customer_facts": customer_facts(customer),
        "known_facts": customer.known_facts.strip() or "none recorded",
        "recent_activities": [f"{a.occurred_at:%Y-%m-%d} {a.get_kind_display()}: {a.subject}"
                              + (f" — {a.notes.strip()[:300]}" if a.notes.strip() else "") for a in activities]
        or "none",
        "open_follow_ups": [f"{a.follow_up_on:%Y-%m-%d}: {a.subject}" for a in follow_ups] or "none",
        "quotes": quote_summaries(customer) or "none",
        "open_tickets": ticket_summaries(customer) or "none",
        "open_opportunities": [f"{o.title} | {o.get_stage_display()} | {o.value:,.2f} | {o.probability}%"
                               for o in opportunities] or "none",
        "company_profile": company_profile(),
    }


FEATURE = feature_register(Feature(
    key="action_suggestions",
    prompt_key=PROMPT_KEY,
    view_permission="crm.view_customers",
    subject_for_user=_customer_for_user,
    subject_load=_customer,
    panel_template="ai_prompts/features/action_suggestions.html#panel",
    build_variables=build_variables,
    push_groups=lambda job: [customer_group_name(schema=connection.schema_name, customer_id=job.subject_id)],
    shared_panel=("ai-suggestions", lambda subject_id: reverse("ai_prompts:customer_suggestions", args=[subject_id])),
))
