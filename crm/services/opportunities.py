"""Opportunities: each change is an event on the customer's timeline; stage changes drive the lifecycle rules."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from core.events import event_record
from crm.models import Customer, Opportunity, OpportunityStage
from crm.services.customers import customer_ensure_live
from crm.services.lifecycle import lifecycle_after_stage

OPPORTUNITY_FIELDS = ("title", "value", "probability", "expected_close_on", "owner", "notes")
CLOSED = (OpportunityStage.WON, OpportunityStage.LOST)


@transaction.atomic
def opportunity_create(*, customer: Customer, acting_user, fields: dict,
                       stage: str = OpportunityStage.QUALIFIED) -> Opportunity:
    customer_ensure_live(customer)
    opportunity = Opportunity(customer=customer, stage=stage,
                              **{key: value for key, value in fields.items() if key in OPPORTUNITY_FIELDS})
    if stage in CLOSED:
        opportunity.closed_at = timezone.now()
    opportunity.full_clean()
    opportunity.save()
    event_record(kind="crm.opportunity_created", actor=acting_user, subject=opportunity, customer_id=customer.pk,
                 data={"title": opportunity.title, "value": str(opportunity.value), "stage": opportunity.get_stage_display()})
    lifecycle_after_stage(opportunity=opportunity)
    return opportunity


@transaction.atomic
def opportunity_update(*, opportunity: Opportunity, acting_user, fields: dict) -> Opportunity:
    customer_ensure_live(opportunity.customer)
    changed = [field for field in OPPORTUNITY_FIELDS if field in fields and getattr(opportunity, field) != fields[field]]
    for field in changed:
        setattr(opportunity, field, fields[field])
    if changed:
        opportunity.full_clean()
        opportunity.save()
        event_record(kind="crm.opportunity_changed", actor=acting_user, subject=opportunity,
                     customer_id=opportunity.customer_id,
                     data={"title": opportunity.title,
                           "fields": [str(Opportunity._meta.get_field(f).verbose_name) for f in changed]})
    return opportunity


@transaction.atomic
def opportunity_move(*, opportunity: Opportunity, stage: str, acting_user) -> Opportunity:
    customer_ensure_live(opportunity.customer)
    previous = opportunity.stage
    if previous == stage:
        return opportunity
    opportunity.stage = stage
    opportunity.closed_at = timezone.now() if stage in CLOSED else None
    if stage == OpportunityStage.WON:
        opportunity.probability = 100
    elif stage == OpportunityStage.LOST:
        opportunity.probability = 0
    opportunity.save(update_fields=["stage", "closed_at", "probability", "updated_at"])
    event_record(kind="crm.opportunity_stage_changed", actor=acting_user, subject=opportunity,
                 customer_id=opportunity.customer_id,
                 data={"title": opportunity.title, "from": str(OpportunityStage(previous).label),
                       "to": str(OpportunityStage(stage).label), "value": str(opportunity.value)})
    lifecycle_after_stage(opportunity=opportunity)
    return opportunity
