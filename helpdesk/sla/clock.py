"""The SLA clock: how much of a target is used, when it is due, and in which state a ticket stands.

Paused time (waiting on the customer or a third party) is cut out of the business time before anything is compared,
so a pause outside working hours costs nothing and overlapping pauses are never counted twice. The due time is
found by walking the unpaused stretches forward from the start, which makes a due time that already passed (a
breach, or a target met late) as exact as one in the future.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from helpdesk.sla.business_time import BusinessCalendar, business_add, business_duration


class SlaTarget(StrEnum):
    FIRST_RESPONSE = "first_response"
    RESOLUTION = "resolution"

    @property
    def words(self) -> str:
        return self.value.replace("_", " ")


class SlaState(StrEnum):
    """`met` and a late `breached` are final once the response or resolution happened (`met_at` given)."""

    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    BREACHED = "breached"
    PAUSED = "paused"
    MET = "met"


@dataclass(frozen=True)
class PauseInterval:
    """A stretch when the clock stood still; `end` None means it is paused now."""

    start: datetime
    end: datetime | None = None


@dataclass(frozen=True)
class SlaClockReading:
    """What the ticket page and the beat job need.

    `due_at` is None only while paused before the target ran out: nobody can say when it will be due until the
    clock restarts, so `remaining` is what to show. `elapsed` can exceed the target (how late); `remaining` never
    goes below zero.
    """

    state: SlaState
    due_at: datetime | None
    elapsed: timedelta
    remaining: timedelta
    target: timedelta


def _utc(instant: datetime, name: str) -> datetime:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, got naive {instant.isoformat()}.")
    return instant.astimezone(UTC)


def _merged_pauses(
    pauses: Sequence[PauseInterval], started_at: datetime, stopped_at: datetime, now: datetime, clock_stopped: bool
) -> list[tuple[datetime, datetime | None]]:
    """Pauses clipped to [started_at, stopped_at], sorted, overlapping and touching ones merged into one.

    An open pause (end None) stays open unless the clock stopped for good (target met), in which case it ends there.
    """
    clipped: list[tuple[datetime, datetime | None]] = []
    for pause in pauses:
        start = _utc(pause.start, "pause start")
        end = None if pause.end is None else _utc(pause.end, "pause end")
        if start > now or (end is not None and end > now):
            raise ValueError(f"A pause cannot lie in the future: it starts {pause.start.isoformat()}, now is {now}.")
        if end is not None and end < start:
            raise ValueError(f"A pause must end after it starts: {pause.start.isoformat()} to {pause.end.isoformat()}.")
        start = max(start, started_at)
        if end is None and clock_stopped:
            end = stopped_at
        if end is not None:
            end = min(end, stopped_at)
            if end <= start:
                continue
        elif start > stopped_at:
            continue
        clipped.append((start, end))
    clipped.sort(key=lambda pause: pause[0])
    merged: list[tuple[datetime, datetime | None]] = []
    for start, end in clipped:
        if merged and (merged[-1][1] is None or start <= merged[-1][1]):
            last_start, last_end = merged[-1]
            merged[-1] = (last_start, None if last_end is None or end is None else max(last_end, end))
        else:
            merged.append((start, end))
    return merged


def _due_at(
    calendar: BusinessCalendar,
    started_at: datetime,
    target: timedelta,
    merged_pauses: list[tuple[datetime, datetime | None]],
) -> datetime | None:
    """Walk the unpaused stretches from the start until the target is used up; None if an open pause comes first."""
    remaining = target
    stretch_start = started_at
    for pause_start, pause_end in merged_pauses:
        available = business_duration(calendar, stretch_start, pause_start)
        # Used up inside this stretch. An empty stretch cannot hold even a zero target: adding zero would jump to
        # the next opening, which may lie inside the pause.
        if remaining < available or (remaining == available and available > timedelta(0)):
            return business_add(calendar, stretch_start, remaining)
        remaining -= available
        if pause_end is None:
            return None
        stretch_start = pause_end
    return business_add(calendar, stretch_start, remaining)


def sla_clock_read(
    *,
    calendar: BusinessCalendar,
    target: timedelta,
    started_at: datetime,
    now: datetime,
    pauses: Sequence[PauseInterval] = (),
    met_at: datetime | None = None,
    at_risk_percent: int = 80,
) -> SlaClockReading:
    """Read one SLA clock (first response or resolution) at `now`.

    `met_at` is when the response or resolution happened: the clock stops there for good, and the state is `met`
    if it was no later than the due time, else `breached`. Otherwise the state is, in order of precedence:
    `breached` once the clock ran past the due time (a pause after the breach does not hide it, and the due time
    stays visible), `paused` (due time None), `at_risk` once elapsed business time reaches `at_risk_percent` of the
    target (100 % and not yet past due is still at risk), else `on_track`.
    """
    started_at = _utc(started_at, "started_at")
    now = _utc(now, "now")
    if target < timedelta(0):
        raise ValueError(f"An SLA target must not be negative, got {target}.")
    if not 0 < at_risk_percent <= 100:
        raise ValueError(f"The at-risk threshold is a percentage of the target, 1 to 100, got {at_risk_percent}.")
    if now < started_at:
        raise ValueError(f"The clock cannot be read before it started: now {now} is before {started_at}.")
    stopped_at = now
    if met_at is not None:
        met_at = _utc(met_at, "met_at")
        if not started_at <= met_at <= now:
            raise ValueError(f"met_at must lie between the start and now, got {met_at.isoformat()}.")
        stopped_at = met_at

    merged = _merged_pauses(pauses, started_at, stopped_at, now, clock_stopped=met_at is not None)
    paused_time = sum(
        (business_duration(calendar, start, stopped_at if end is None else end) for start, end in merged),
        timedelta(0),
    )
    elapsed = business_duration(calendar, started_at, stopped_at) - paused_time
    remaining = max(target - elapsed, timedelta(0))
    due_at = _due_at(calendar, started_at, target, merged)
    paused_now = met_at is None and bool(merged) and merged[-1][1] is None

    # A breach is the clock running (not paused) at some instant after the due time. Comparing instants rather than
    # business time means a reply at 18:00 to a 17:30 deadline is late, as the customer sees it; the one exception
    # is a pause that began exactly when the target ran out and still holds, which never ran past due.
    ran_past_due = (
        due_at is not None
        and stopped_at > due_at
        and not any(start <= due_at and (end is None or end >= stopped_at) for start, end in merged)
    )
    if met_at is not None:
        state = SlaState.BREACHED if ran_past_due else SlaState.MET
    elif ran_past_due:
        state = SlaState.BREACHED
    elif paused_now:
        state = SlaState.PAUSED
        due_at = None  # nobody can say when it will be due until the clock restarts
    elif elapsed * 100 >= target * at_risk_percent:
        state = SlaState.AT_RISK
    else:
        state = SlaState.ON_TRACK
    return SlaClockReading(state=state, due_at=due_at, elapsed=elapsed, remaining=remaining, target=target)


@dataclass(frozen=True)
class DueTimeChange:
    """One explained move of a due time, ready to be stored as a ticket event and shown in its history."""

    target: SlaTarget
    changed_at: datetime
    old_due_at: datetime | None
    new_due_at: datetime | None
    reason: str


def _local_words(calendar: BusinessCalendar, instant: datetime, reference: datetime) -> str:
    """'Tue 2 Dec 15:30' on the calendar's wall clock; the year only when it differs from the reference's."""
    local = instant.astimezone(calendar.zone)
    text = f"{local:%a} {local.day} {local:%b}"
    if local.year != reference.astimezone(calendar.zone).year:
        text += f" {local.year}"
    return f"{text} {local:%H:%M}"


def _plural(count: int, unit: str) -> str:
    return f"{count} {unit}" if count == 1 else f"{count} {unit}s"


def _duration_words(duration: timedelta) -> str:
    """'5 hours 30 minutes' of business time (whole days would mislead: a business day is not 24 hours)."""
    seconds = int(duration.total_seconds())
    if seconds <= 0:
        return "no business time"
    hours, rest = divmod(seconds, 3600)
    minutes = rest // 60
    if hours == 0 and minutes == 0:
        return f"{_plural(seconds, 'second')} of business time"
    parts = ([_plural(hours, "hour")] if hours else []) + ([_plural(minutes, "minute")] if minutes else [])
    return f"{' '.join(parts)} of business time"


def recompute(
    *,
    calendar: BusinessCalendar,
    target: SlaTarget,
    changed_at: datetime,
    what_changed: str,
    old_label: str,
    new_label: str,
    old_due_at: datetime | None,
    new_due_at: datetime | None,
    new_remaining: timedelta | None = None,
    verb: str = "changed",
) -> DueTimeChange:
    """Explain why a due time moved when priority, status or policy changed at `changed_at`.

    The caller reads the clock before and after the change (`sla_clock_read`) and passes both due times; a None due
    time means the clock is paused, and `new_remaining` then says how much business time is left. `verb` lets the
    caller say "raised" or "lowered" where it knows the order (priorities), else "changed". Times are shown on the
    calendar's wall clock, and the business hours are named so a customer can check the arithmetic.
    """
    changed_at = _utc(changed_at, "changed_at")
    cause = f"{what_changed} {verb} from {old_label} to {new_label}"
    name = target.words
    if old_due_at is not None and new_due_at is not None:
        if old_due_at == new_due_at:
            effect = f"{name} due unchanged at {_local_words(calendar, new_due_at, changed_at)}"
        else:
            old_words = _local_words(calendar, old_due_at, changed_at)
            effect = f"{name} due moved from {old_words} to {_local_words(calendar, new_due_at, changed_at)}"
    elif new_due_at is not None:
        effect = f"{name} clock restarted, now due {_local_words(calendar, new_due_at, changed_at)}"
    else:
        if new_remaining is None:
            raise ValueError("A paused clock (no new due time) needs new_remaining to say how much time is left.")
        left = _duration_words(new_remaining)
        if old_due_at is not None:
            old_words = _local_words(calendar, old_due_at, changed_at)
            effect = f"{name} clock paused with {left} left; it was due {old_words}"
        else:
            effect = f"{name} clock still paused with {left} left"
    reason = f"{cause}: {effect} ({calendar.describe()})"
    return DueTimeChange(
        target=target,
        changed_at=changed_at,
        old_due_at=None if old_due_at is None else _utc(old_due_at, "old_due_at"),
        new_due_at=None if new_due_at is None else _utc(new_due_at, "new_due_at"),
        reason=reason,
    )
