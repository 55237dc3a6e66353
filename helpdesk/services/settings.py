"""Helpdesk reference data that Managers maintain: SLA policies, holidays, categories, canned responses.
Changing a policy or the holidays moves deadlines: open tickets are recomputed in the background, each with a reason."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from core.events import event_record
from core.transactions import on_commit_in_this_schema
from helpdesk.errors import HelpdeskError
from helpdesk.models import BusinessHoliday, CannedResponse, SlaPolicy, TicketCategory

POLICY_FIELDS = (
    "name", "timezone", "working_days", "opens_at", "closes_at", "around_the_clock", "at_risk_percent",
    "response_low", "response_medium", "response_high", "response_urgent", "resolution_low", "resolution_medium",
    "resolution_high", "resolution_urgent", "escalate_raise_priority", "escalate_to",
)


def _recompute_later(reason: str, policy_id: int | None = None) -> None:
    from helpdesk.tasks import tickets_sla_recompute

    on_commit_in_this_schema(lambda: tickets_sla_recompute.delay(policy_id=policy_id, reason=reason))


def _make_default(policy: SlaPolicy) -> None:
    SlaPolicy.objects.exclude(pk=policy.pk).filter(is_default=True).update(is_default=False)
    if not policy.is_default:
        policy.is_default = True
        policy.save(update_fields=["is_default"])


@transaction.atomic
def sla_policy_save(*, policy: SlaPolicy | None, acting_user, fields: dict, make_default: bool = False) -> SlaPolicy:
    creating = policy is None
    policy = policy or SlaPolicy()
    for field in POLICY_FIELDS:
        if field in fields:
            setattr(policy, field, fields[field])
    if not policy.around_the_clock and not policy.working_days:
        raise HelpdeskError(_("Choose at least one working day, or make the policy 24 hours a day."))
    if not policy.around_the_clock and policy.closes_at <= policy.opens_at:
        raise HelpdeskError(_("The working day must close after it opens."))
    policy.save()
    if make_default or not SlaPolicy.objects.filter(is_default=True).exists():
        _make_default(policy)
    event_record(kind="helpdesk.sla_policy_saved", actor=acting_user, subject=policy,
                 data={"name": policy.name, "created": creating})
    if not creating:
        _recompute_later(_("SLA policy “%(name)s” changed") % {"name": policy.name}, policy.pk)
    elif policy.is_default:
        _recompute_later(_("Default SLA policy is now “%(name)s”") % {"name": policy.name})
    return policy


@transaction.atomic
def sla_policy_delete(*, policy: SlaPolicy, acting_user) -> None:
    if policy.is_default:
        raise HelpdeskError(_("The default policy cannot be deleted: make another one the default first."))
    name = policy.name
    policy.delete()
    event_record(kind="helpdesk.sla_policy_deleted", actor=acting_user, data={"name": name})
    _recompute_later(_("SLA policy “%(name)s” deleted") % {"name": name})


@transaction.atomic
def holiday_add(*, date, name: str, acting_user) -> BusinessHoliday:
    if BusinessHoliday.objects.filter(date=date).exists():
        raise HelpdeskError(_("%(date)s is already a holiday.") % {"date": date.strftime("%-d %b %Y")})
    holiday = BusinessHoliday.objects.create(date=date, name=name.strip())
    _recompute_later(_("Holiday added: %(name)s") % {"name": holiday})
    return holiday


@transaction.atomic
def holiday_remove(*, holiday: BusinessHoliday, acting_user) -> None:
    label = str(holiday)
    holiday.delete()
    _recompute_later(_("Holiday removed: %(name)s") % {"name": label})


@transaction.atomic
def category_add(*, name: str) -> TicketCategory:
    name = name.strip()
    if TicketCategory.objects.filter(name__iexact=name).exists():
        raise HelpdeskError(_("“%(name)s” is already a category.") % {"name": name})
    return TicketCategory.objects.create(name=name)


@transaction.atomic
def canned_response_save(*, response: CannedResponse | None, title: str, body: str) -> CannedResponse:
    response = response or CannedResponse()
    response.title, response.body = title.strip(), body
    response.full_clean()
    response.save()
    return response
