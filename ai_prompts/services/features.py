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


# Quote AI ----------------------------------------------------------------------------------------------------------

@transaction.atomic
def quote_build_insert(*, job: AiJob, quote, indexes: list[int], acting_user) -> int:
    """Insert the ticked lines of a "Build with AI" preview at the end of the quote, in the preview's order, through
    the quote's line services, in one transaction: all of them or none. Returns how many were inserted."""
    from decimal import Decimal

    from quotes.models import LabourRate, Product
    from quotes.services.quotes import line_add

    output = job.output or {}
    proposed = output.get("lines") or []
    chosen = sorted(set(indexes))
    if not chosen:
        raise AiError(_("Tick the lines to insert."))
    inserted = set(output.get("inserted") or [])
    for index in chosen:
        if not 0 <= index < len(proposed):
            raise AiError(_("That line is not in the proposal."))
        if proposed[index]["problem"]:
            raise AiError(_("Line %(n)s cannot be inserted: %(problem)s")
                          % {"n": index + 1, "problem": proposed[index]["problem"]})
        if index in inserted:
            raise AiError(_("Line %(n)s is already on the quote.") % {"n": index + 1})
    lines = [proposed[index] for index in chosen]
    products = Product.objects.filter(is_active=True).in_bulk([line["product_id"] for line in lines
                                                               if line.get("product_id")])
    rates = LabourRate.objects.filter(is_active=True).in_bulk([line["labour_rate_id"] for line in lines
                                                               if line.get("labour_rate_id")])
    for number, line in zip(chosen, lines):
        if line.get("product_id") and line["product_id"] not in products:
            raise AiError(_("Line %(n)s: product #%(id)s left the catalogue since the proposal; ask the AI again.")
                          % {"n": number + 1, "id": line["product_id"]})
        if line.get("labour_rate_id") and line["labour_rate_id"] not in rates:
            raise AiError(_("Line %(n)s: labour rate #%(id)s no longer exists; ask the AI again.")
                          % {"n": number + 1, "id": line["labour_rate_id"]})
        if line["kind"] == "section":
            fields = {"kind": "section", "description": line["description"]}
        else:
            fields = {"kind": "item", "description": line["description"], "part_number": line["part_number"],
                      "supplier_name": line.get("supplier_name", ""), "product": products.get(line.get("product_id")),
                      "quantity": Decimal(line["quantity"]), "unit": line["unit"],
                      "unit_cost": Decimal(line["unit_cost"]), "unit_price": Decimal(line["unit_price"]),
                      "is_optional": line["is_optional"], "recurrence": line["recurrence"]}
        line_add(quote=quote, acting_user=acting_user, fields=fields)
    job.output = {**output, "inserted": sorted(inserted | set(chosen))}
    job.save(update_fields=["output"])
    return len(chosen)


@transaction.atomic
def quote_translation_apply(*, job: AiJob, quote, ids: list[str] | None, acting_user) -> int:
    """Apply a translation preview to a draft quote, item by item (`ids`) or every item not yet applied (None),
    through the quote services. An item whose text changed since it was translated is refused (translate again):
    the estimator's later edit is never overwritten. Returns how many items were applied."""
    from quotes.services.quotes import line_update, quote_update

    output = job.output or {}
    items = {item["id"]: item for item in output.get("items") or []}
    applied = set(output.get("applied") or [])
    if ids is None:
        chosen = [item_id for item_id, item in items.items() if item["translation"] and item_id not in applied]
        if not chosen:
            raise AiError(_("Every translated item is already applied."))
    else:
        chosen = list(dict.fromkeys(ids))
        for item_id in chosen:
            if item_id not in items:
                raise AiError(_("That item is not in the translation."))
            if not items[item_id]["translation"]:
                raise AiError(_("The AI did not translate %(what)s.") % {"what": items[item_id]["label"]})
        chosen = [item_id for item_id in chosen if item_id not in applied]
        if not chosen:
            raise AiError(_("That translation is already applied."))
    header, line_changes = {}, {}
    line_ids = [int(item_id.removeprefix("line-")) for item_id in chosen if item_id.startswith("line-")]
    lines = {line.pk: line for line in quote.lines.filter(pk__in=line_ids)}
    for item_id in chosen:
        item = items[item_id]
        if item_id.startswith("line-"):
            line = lines.get(int(item_id.removeprefix("line-")))
            if line is None:
                raise AiError(_("%(what)s was deleted since it was translated.") % {"what": item["label"]})
            current = line.description
        else:
            current = getattr(quote, item_id)
        if current != item["original"]:
            raise AiError(_("%(what)s changed since it was translated: translate again to use your new text.")
                          % {"what": item["label"]})
        if item_id.startswith("line-"):
            line_changes[line.pk] = item["translation"]
        else:
            header[item_id] = item["translation"]
    if header:
        quote_update(quote=quote, acting_user=acting_user, changes=header)
    for pk, description in line_changes.items():
        line = lines[pk]
        line.quote = quote
        line_update(line=line, acting_user=acting_user, changes={"description": description})
    job.output = {**output, "applied": sorted(applied | set(chosen))}
    job.save(update_fields=["output"])
    return len(chosen)


# Ticket help when a ticket is created --------------------------------------------------------------------------

def ticket_help_autostart(*, ticket_id: int, acting_user=None) -> AiJob | None:
    """Queue ticket help for a ticket just created (called on commit by helpdesk's ticket_create). Without an AI key
    nothing is queued; any problem is logged and swallowed: AI never fails or delays the creation of a ticket."""
    import logging

    from ai_prompts.features.registry import feature_get
    from ai_prompts.services.jobs import ai_job_start
    from ai_prompts.services.providers import ai_configured

    try:
        if not ai_configured():
            return None
        requester = acting_user if getattr(acting_user, "is_authenticated", False) else None
        return ai_job_start(feature=feature_get("ticket_help"), subject_id=ticket_id, acting_user=requester)
    except Exception:
        logging.getLogger(__name__).exception("Ticket help could not be queued", extra={"ticket": ticket_id})
        return None
