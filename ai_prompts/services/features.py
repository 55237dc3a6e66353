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
