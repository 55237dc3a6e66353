"""Automatic status changes (per customer, on by default): Lead -> Prospect when an opportunity is qualified,
-> Customer when one is won, -> Inactive after 90 days without contact and with no open opportunity.
Every automatic change is a status event with no actor and the reason, so the timeline says why."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Exists, Max, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.models import OPEN_STAGES, Activity, Customer, CustomerStatus, Opportunity, OpportunityStage
from crm.services.customers import customer_status_change

INACTIVE_AFTER_DAYS = 90


def lifecycle_after_stage(*, opportunity: Opportunity) -> None:
    customer = opportunity.customer
    if not customer.lifecycle_automation or customer.is_archived:
        return
    if opportunity.stage == OpportunityStage.WON and customer.status != CustomerStatus.CUSTOMER:
        customer_status_change(customer=customer, status=CustomerStatus.CUSTOMER,
                               reason=_("Opportunity “%(title)s” was won.") % {"title": opportunity.title})
    elif opportunity.stage in OPEN_STAGES and customer.status == CustomerStatus.LEAD:
        customer_status_change(customer=customer, status=CustomerStatus.PROSPECT,
                               reason=_("Opportunity “%(title)s” reached %(stage)s.")
                               % {"title": opportunity.title, "stage": opportunity.get_stage_display()})


def customers_mark_inactive(*, now=None) -> int:
    """The daily rule, in the current tenant: quiet customers with nothing open become Inactive."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=INACTIVE_AFTER_DAYS)
    open_opportunity = Opportunity.objects.filter(customer=OuterRef("pk"), stage__in=OPEN_STAGES)
    recent_activity = Activity.objects.filter(customer=OuterRef("pk"), occurred_at__gte=cutoff)
    quiet = (Customer.objects.filter(lifecycle_automation=True, archived_at__isnull=True, created_at__lt=cutoff)
             .exclude(status__in=[CustomerStatus.INACTIVE, CustomerStatus.LOST])
             .filter(~Exists(open_opportunity), ~Exists(recent_activity))
             .annotate(last_contact=Max("activities__occurred_at")))
    count = 0
    for customer in quiet.iterator(chunk_size=500):
        since = customer.last_contact or customer.created_at
        customer_status_change(customer=customer, status=CustomerStatus.INACTIVE, reason=_(
            "No contact for %(days)d days (last on %(date)s) and no open opportunity.")
            % {"days": INACTIVE_AFTER_DAYS, "date": timezone.localtime(since).date().isoformat()})
        count += 1
    return count



