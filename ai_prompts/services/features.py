"""Writes that AI results lead to, through the owning app's services (never directly)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from ai_prompts.errors import AiError
from ai_prompts.models import AiJob

TICKET_PROPOSALS = ("description", "category", "priority")


@transaction.atomic
def ticket_help_accept(*, job: AiJob, ticket, what: str, acting_user) -> None:
    from helpdesk.models import TicketCategory
    from helpdesk.services.conversation import comment_add
    from helpdesk.services.tickets import ticket_priority_change, ticket_update

    if what not in TICKET_PROPOSALS:
        raise AiError(_("Unknown proposal."))
    output = job.output or {}
    if what in output.get("accepted", []):
        return
    if what == "description":
        comment_add(ticket=ticket, acting_user=acting_user, is_internal=True,
                    body=_("Clearer description (AI, accepted by %(name)s):\n\n%(text)s")
                    % {"name": acting_user, "text": output["clearer_description"]})
    elif what == "category":
        category = TicketCategory.objects.filter(name__iexact=output.get("category", "")).first()
        if category is None:
            raise AiError(_("The proposed category “%(name)s” does not exist; choose one on the ticket.")
                          % {"name": output.get("category", "")})
        ticket_update(ticket=ticket, acting_user=acting_user, changes={"category": category})
    elif what == "priority":
        ticket_priority_change(ticket=ticket, priority=output["priority"], acting_user=acting_user)
    job.output = {**output, "accepted": [*output.get("accepted", []), what]}
    job.save(update_fields=["output"])


@transaction.atomic
def customer_analysis_apply_score(*, job: AiJob, customer, acting_user) -> None:
    from crm.services.customers import customer_update

    score = (job.output or {}).get("lead_score")
    if not isinstance(score, int) or not 0 <= score <= 100:
        raise AiError(_("The analysis has no lead score to apply."))
    customer_update(customer=customer, acting_user=acting_user, changes={"lead_score": score})
    job.output = {**job.output, "score_applied": True}
    job.save(update_fields=["output"])


@transaction.atomic
def customer_analysis_add_competitor(*, job: AiJob, customer, index: int, acting_user):
    """The competitor at `index` becomes a Lead customer (once; an existing customer of that name is reused)."""
    from crm.models import Customer, CustomerStatus
    from crm.normalise import normalise_company_name
    from crm.services.customers import customer_create

    competitors = (job.output or {}).get("competitors") or []
    if not 0 <= index < len(competitors):
        raise AiError(_("That competitor is not in the analysis."))
    competitor = competitors[index]
    existing = Customer.objects.filter(normalised_name=normalise_company_name(competitor["name"])).first()
    lead = existing or customer_create(
        acting_user=acting_user, name=competitor["name"][:200], status=CustomerStatus.LEAD,
        website=(competitor.get("website") or "")[:200],
        known_facts=_("Found by the AI analysis of %(name)s: %(why)s") % {"name": customer.name,
                                                                          "why": competitor.get("why", "")})
    added = dict((job.output or {}).get("competitors_added") or {})
    added[str(index)] = lead.pk
    job.output = {**job.output, "competitors_added": added}
    job.save(update_fields=["output"])
    return lead
