"""The SLA clock and its explanations against hand-computed cases.

The calendar is a London office, Mon–Fri 08:30–17:30 (9 business hours a day). January 2026 is GMT, so the UTC
times below are also London wall-clock times unless a case says BST. Mon 12 Jan 2026 is a Monday.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

import pytest

from helpdesk.sla import (
    BusinessCalendar,
    PauseInterval,
    SlaState,
    SlaTarget,
    recompute,
    sla_clock_read,
)

LONDON_OFFICE = BusinessCalendar.weekdays(
    "Europe/London", time(8, 30), time(17, 30), {date(2026, 5, 4), date(2026, 12, 25), date(2026, 12, 28)}
)
LONDON_24X7 = BusinessCalendar.around_the_clock("Europe/London")
HOURS = "business hours Mon–Fri 08:30–17:30 Europe/London, holidays excluded"


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def hours(value: float) -> timedelta:
    return timedelta(hours=value)


def monday(hour: int, minute: int = 0, second: int = 0) -> datetime:
    return utc(2026, 1, 12, hour, minute, second)


def tuesday(hour: int, minute: int = 0, second: int = 0) -> datetime:
    return utc(2026, 1, 13, hour, minute, second)


# (case, target, started_at, pauses, now, met_at, state, due_at, elapsed, remaining)
CLOCK_CASES = [
    # Mon 09:00 + 8h target, read at 13:00: 4h used (50 %), due 17:00.
    ("on track", hours(8), monday(9), [], monday(13), None, SlaState.ON_TRACK, monday(17), hours(4), hours(4)),
    # Opened Sat 10 Jan: nothing counts until Mon 08:30; at 09:00 0.5h used of 2h, due 10:30.
    (
        "started at the weekend",
        hours(2), utc(2026, 1, 10, 10), [], monday(9), None,
        SlaState.ON_TRACK, monday(10, 30), hours(0.5), hours(1.5),
    ),
    # 7.5h target, paused 10:00–11:00: 09:00–13:00 is 4h minus 1h = 3h used (40 %); 4.5h left from 13:00 runs out
    # exactly at closing, 17:30 (due then, not next morning).
    (
        "one closed pause",
        hours(7.5), monday(9), [PauseInterval(monday(10), monday(11))], monday(13), None,
        SlaState.ON_TRACK, monday(17, 30), hours(3), hours(4.5),
    ),
    # Paused since Mon 12:00 and still paused Tue 10:00: 3h used, 5h left, no due time while paused.
    (
        "one open pause",
        hours(8), monday(9), [PauseInterval(monday(12))], tuesday(10), None,
        SlaState.PAUSED, None, hours(3), hours(5),
    ),
    # Paused Mon 18:00–Tue 08:00 (all outside hours) costs nothing: Mon 09:00–17:30 8.5h + Tue 08:30–10:00 1.5h = 10h
    # of 16h (62.5 %), 6h left from Tue 10:00 -> 16:00.
    (
        "pause outside business hours costs nothing",
        hours(16), monday(9), [PauseInterval(monday(18), tuesday(8))], tuesday(10), None,
        SlaState.ON_TRACK, tuesday(16), hours(10), hours(6),
    ),
    # Pauses 11:00–13:00 and 10:00–12:00 (given out of order) merge into 10:00–13:00 = 3h, not 4h: 09:00–14:00 is
    # 5h minus 3h = 2h used. Due: 1h before the pause, 7h from 13:00 = 4.5h Mon + 2.5h Tue -> Tue 11:00.
    (
        "overlapping pauses are merged",
        hours(8), monday(9), [PauseInterval(monday(11), monday(13)), PauseInterval(monday(10), monday(12))],
        monday(14), None, SlaState.ON_TRACK, tuesday(11), hours(2), hours(6),
    ),
    # Fri 27 Mar 16:00 GMT start, 4h target; paused Fri 17:00Z to Mon 30 Mar 09:00Z (10:00 BST). Used: Fri 1h, Mon
    # 09:00Z–10:00Z 1h = 2h. 2h left from 10:00Z -> 12:00Z (13:00 BST).
    (
        "pause across the BST start",
        hours(4), utc(2026, 3, 27, 16), [PauseInterval(utc(2026, 3, 27, 17), utc(2026, 3, 30, 9))],
        utc(2026, 3, 30, 10), None, SlaState.ON_TRACK, utc(2026, 3, 30, 12), hours(2), hours(2),
    ),
    # 10h target from Mon 08:30. At 16:24, 7h54m = 474 of 600 minutes = 79 %: on track. Due: 9h Mon + 1h Tue.
    (
        "79 % is on track",
        hours(10), monday(8, 30), [], monday(16, 24), None,
        SlaState.ON_TRACK, tuesday(9, 30), hours(7.9), timedelta(hours=2, minutes=6),
    ),
    # At 16:30, 8h = 80 %: at risk.
    (
        "80 % is at risk",
        hours(10), monday(8, 30), [], monday(16, 30), None, SlaState.AT_RISK, tuesday(9, 30), hours(8), hours(2),
    ),
    # At Tue 09:30, 100 % used but not yet past due: still at risk.
    (
        "100 % at the due instant is at risk",
        hours(10), monday(8, 30), [], tuesday(9, 30), None, SlaState.AT_RISK, tuesday(9, 30), hours(10), hours(0),
    ),
    # One second past due: breached, 10h 0m 1s used.
    (
        "one second past due is breached",
        hours(10), monday(8, 30), [], tuesday(9, 30, 1), None,
        SlaState.BREACHED, tuesday(9, 30), timedelta(hours=10, seconds=1), hours(0),
    ),
    # 9h from Mon 08:30 is due at closing 17:30; at 18:00 no more business time was used (9h), but it is past due.
    (
        "past due in the evening is breached",
        hours(9), monday(8, 30), [], monday(18), None, SlaState.BREACHED, monday(17, 30), hours(9), hours(0),
    ),
    # 1h target from 09:00 ran out at 10:00; a pause opened at 11:00 does not hide the breach. 2h used.
    (
        "breach before a pause stays a breach",
        hours(1), monday(9), [PauseInterval(monday(11))], monday(12), None,
        SlaState.BREACHED, monday(10), hours(2), hours(0),
    ),
    # 2h target from 09:00, paused at 10:00 with 1h left: at 15:00 it is paused, not breached, with no due time.
    (
        "paused before the due time is not breached",
        hours(2), monday(9), [PauseInterval(monday(10))], monday(15), None, SlaState.PAUSED, None, hours(1), hours(1),
    ),
    # 3h target from 09:00 runs out at 12:00, exactly when the ticket goes on hold: it never ran past due, so at 13:00
    # it is paused (no due time) with nothing left, not breached.
    (
        "paused exactly at the due instant",
        hours(3), monday(9), [PauseInterval(monday(12))], monday(13), None, SlaState.PAUSED, None, hours(3), hours(0),
    ),
    # Same, resolved at 13:00 while still on hold: met, the due time 12:00 is shown.
    (
        "resolved on hold after a pause at the due instant",
        hours(3), monday(9), [PauseInterval(monday(12))], monday(14), monday(13),
        SlaState.MET, monday(12), hours(3), hours(0),
    ),
    # First response 2h from 09:00, due 11:00; answered 10:30: met, clock stopped at 1.5h.
    (
        "met in time",
        hours(2), monday(9), [], monday(15), monday(10, 30), SlaState.MET, monday(11), hours(1.5), hours(0.5),
    ),
    # Answered exactly at 11:00: met.
    (
        "met at the due instant",
        hours(2), monday(9), [], monday(15), monday(11), SlaState.MET, monday(11), hours(2), hours(0),
    ),
    # Answered at 11:30: the target was met late, which is a breach; 2.5h used.
    (
        "met late is breached",
        hours(2), monday(9), [], monday(15), monday(11, 30), SlaState.BREACHED, monday(11), hours(2.5), hours(0),
    ),
    # Resolved at 12:00 while paused since 10:00: the pause ends at resolution; 1h used; had it run on, due 13:00.
    (
        "resolved while paused",
        hours(2), monday(9), [PauseInterval(monday(10))], monday(12), monday(12),
        SlaState.MET, monday(13), hours(1), hours(1),
    ),
    # A zero target opened Mon 20:00 is due at the next opening, Tue 08:30; at 21:00 0 of 0 is already "100 %".
    (
        "zero target at night",
        hours(0), monday(20), [], monday(21), None, SlaState.AT_RISK, tuesday(8, 30), hours(0), hours(0),
    ),
]


@pytest.mark.parametrize(
    ("case", "target", "started_at", "pauses", "now", "met_at", "state", "due_at", "elapsed", "remaining"),
    CLOCK_CASES,
    ids=[row[0] for row in CLOCK_CASES],
)
def test_sla_clock_hand_computed(
    case: str,
    target: timedelta,
    started_at: datetime,
    pauses: list[PauseInterval],
    now: datetime,
    met_at: datetime | None,
    state: SlaState,
    due_at: datetime | None,
    elapsed: timedelta,
    remaining: timedelta,
) -> None:
    # given a ticket's clock on the London office calendar
    # when it is read at `now`
    reading = sla_clock_read(
        calendar=LONDON_OFFICE, target=target, started_at=started_at, pauses=pauses, now=now, met_at=met_at
    )
    # then every field is the hand-computed one
    assert (reading.state, reading.due_at, reading.elapsed, reading.remaining) == (state, due_at, elapsed, remaining)
    assert reading.target == target


def test_threshold_is_configurable() -> None:
    # given an 8h target from Mon 09:00 read at 13:00 (4h used, 50 %)
    # when the policy puts the at-risk threshold at 50 % and then at 51 %
    at_half = sla_clock_read(
        calendar=LONDON_OFFICE, target=hours(8), started_at=monday(9), now=monday(13), at_risk_percent=50
    )
    at_51 = sla_clock_read(
        calendar=LONDON_OFFICE, target=hours(8), started_at=monday(9), now=monday(13), at_risk_percent=51
    )
    # then 50 % is at risk against 50 %, on track against 51 %
    assert at_half.state == SlaState.AT_RISK
    assert at_51.state == SlaState.ON_TRACK


def test_around_the_clock_counts_real_hours_across_the_bst_end() -> None:
    # given a 24x7 desk, a 24h target started Sat 24 Oct 12:00Z (13:00 BST)
    # when read Sun 25 Oct 11:00Z (11:00 GMT): the wall clock moved 22 hours, 23 real hours passed
    reading = sla_clock_read(
        calendar=LONDON_24X7, target=hours(24), started_at=utc(2026, 10, 24, 12), now=utc(2026, 10, 25, 11)
    )
    # then 23h used (95.8 %, at risk), 1h left, due Sun 12:00Z
    assert (reading.state, reading.due_at, reading.elapsed, reading.remaining) == (
        SlaState.AT_RISK,
        utc(2026, 10, 25, 12),
        hours(23),
        hours(1),
    )


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"pauses": [PauseInterval(monday(14))]}, "A pause cannot lie in the future"),
        ({"pauses": [PauseInterval(monday(11), monday(10))]}, "A pause must end after it starts"),
        ({"met_at": monday(8)}, "met_at must lie between the start and now"),
        ({"met_at": monday(14)}, "met_at must lie between the start and now"),
        ({"now": monday(8)}, "The clock cannot be read before it started"),
        ({"now": datetime(2026, 1, 12, 13)}, "now must be a timezone-aware datetime"),
        ({"at_risk_percent": 0}, "The at-risk threshold is a percentage of the target, 1 to 100, got 0"),
        ({"at_risk_percent": 101}, "The at-risk threshold is a percentage of the target, 1 to 100, got 101"),
        ({"target": timedelta(seconds=-1)}, "An SLA target must not be negative"),
    ],
)
def test_clock_rejects_impossible_histories(arguments: dict, message: str) -> None:
    # given a clock history that cannot have happened (or a nonsense policy)
    base = {"calendar": LONDON_OFFICE, "target": hours(8), "started_at": monday(9), "now": monday(13)}
    # when it is read, then a ValueError says what is wrong
    with pytest.raises(ValueError, match=message):
        sla_clock_read(**(base | arguments))


def test_recompute_explains_a_priority_raise() -> None:
    # given a Medium ticket opened Mon 1 Dec 2025 08:30 GMT with a 16h resolution target (9h Mon + 7h Tue -> due
    # Tue 2 Dec 15:30), raised to High (3h target) at 09:00 the same Monday (-> due Mon 1 Dec 11:30)
    calendar = BusinessCalendar.weekdays("Europe/London", time(8, 30), time(17, 30))
    opened, changed_at = utc(2025, 12, 1, 8, 30), utc(2025, 12, 1, 9)
    before = sla_clock_read(calendar=calendar, target=hours(16), started_at=opened, now=changed_at)
    after = sla_clock_read(calendar=calendar, target=hours(3), started_at=opened, now=changed_at)
    # when the change is explained
    change = recompute(
        calendar=calendar,
        target=SlaTarget.RESOLUTION,
        changed_at=changed_at,
        what_changed="Priority",
        verb="raised",
        old_label="Medium",
        new_label="High",
        old_due_at=before.due_at,
        new_due_at=after.due_at,
    )
    # then the new due time and the plain reason are recorded
    assert (change.old_due_at, change.new_due_at) == (utc(2025, 12, 2, 15, 30), utc(2025, 12, 1, 11, 30))
    assert change.reason == (
        "Priority raised from Medium to High: resolution due moved from Tue 2 Dec 15:30 to Mon 1 Dec 11:30"
        " (business hours Mon–Fri 08:30–17:30 Europe/London)"
    )


def test_recompute_explains_a_pause_and_a_restart() -> None:
    # given an 8h resolution clock from Mon 12 Jan 09:00, put on hold (Waiting on customer) at 12:00 and back to
    # Open at Tue 10:00
    running = sla_clock_read(calendar=LONDON_OFFICE, target=hours(8), started_at=monday(9), now=monday(12))
    paused = sla_clock_read(
        calendar=LONDON_OFFICE,
        target=hours(8),
        started_at=monday(9),
        now=monday(12),
        pauses=[PauseInterval(monday(12))],
    )
    restarted = sla_clock_read(
        calendar=LONDON_OFFICE,
        target=hours(8),
        started_at=monday(9),
        now=tuesday(10),
        pauses=[PauseInterval(monday(12), tuesday(10))],
    )
    # when both status changes are explained
    pause_change = recompute(
        calendar=LONDON_OFFICE,
        target=SlaTarget.RESOLUTION,
        changed_at=monday(12),
        what_changed="Status",
        old_label="Open",
        new_label="Waiting on customer",
        old_due_at=running.due_at,
        new_due_at=paused.due_at,
        new_remaining=paused.remaining,
    )
    restart_change = recompute(
        calendar=LONDON_OFFICE,
        target=SlaTarget.RESOLUTION,
        changed_at=tuesday(10),
        what_changed="Status",
        old_label="Waiting on customer",
        new_label="Open",
        old_due_at=paused.due_at,
        new_due_at=restarted.due_at,
    )
    # then 3h were used before the pause (due 17:00), 5h were left, and from Tue 10:00 they run out at 15:00
    assert pause_change.reason == (
        "Status changed from Open to Waiting on customer: resolution clock paused with 5 hours of business time left;"
        f" it was due Mon 12 Jan 17:00 ({HOURS})"
    )
    assert restart_change.new_due_at == tuesday(15)
    assert restart_change.reason == (
        "Status changed from Waiting on customer to Open: resolution clock restarted, now due Tue 13 Jan 15:00"
        f" ({HOURS})"
    )


def test_recompute_says_when_nothing_moved_and_names_the_year_when_it_changes() -> None:
    # given a policy change that keeps the first-response due time, and a move into the next year
    unchanged = recompute(
        calendar=LONDON_OFFICE,
        target=SlaTarget.FIRST_RESPONSE,
        changed_at=monday(9),
        what_changed="Policy",
        old_label="Standard",
        new_label="Gold",
        old_due_at=monday(11),
        new_due_at=monday(11),
    )
    into_next_year = recompute(
        calendar=LONDON_OFFICE,
        target=SlaTarget.RESOLUTION,
        changed_at=utc(2026, 12, 30, 9),
        what_changed="Priority",
        verb="lowered",
        old_label="High",
        new_label="Low",
        old_due_at=utc(2026, 12, 30, 12),
        new_due_at=utc(2027, 1, 4, 10),
    )
    # then the words say so
    assert unchanged.reason == (
        f"Policy changed from Standard to Gold: first response due unchanged at Mon 12 Jan 11:00 ({HOURS})"
    )
    assert into_next_year.reason == (
        "Priority lowered from High to Low: resolution due moved from Wed 30 Dec 12:00 to Mon 4 Jan 2027 10:00"
        f" ({HOURS})"
    )


def test_recompute_shows_summer_times_on_the_london_wall_clock() -> None:
    # given a due time of 16:30Z in July, which London clocks show as 17:30 BST, and a paused clock with 4h 30m and
    # then 45 s left
    moved = recompute(
        calendar=LONDON_OFFICE,
        target=SlaTarget.RESOLUTION,
        changed_at=utc(2026, 7, 14, 9),
        what_changed="Priority",
        old_label="Low",
        new_label="Medium",
        old_due_at=utc(2026, 7, 16, 10),
        new_due_at=utc(2026, 7, 14, 16, 30),
    )
    still_paused = recompute(
        calendar=LONDON_OFFICE,
        target=SlaTarget.RESOLUTION,
        changed_at=utc(2026, 7, 14, 9),
        what_changed="Status",
        old_label="Waiting on customer",
        new_label="Waiting on third party",
        old_due_at=None,
        new_due_at=None,
        new_remaining=timedelta(seconds=45),
    )
    # then the wall-clock times and the remaining time read plainly
    assert moved.reason == (
        "Priority changed from Low to Medium: resolution due moved from Thu 16 Jul 11:00 to Tue 14 Jul 17:30"
        f" ({HOURS})"
    )
    assert still_paused.reason == (
        "Status changed from Waiting on customer to Waiting on third party: resolution clock still paused with"
        f" 45 seconds of business time left ({HOURS})"
    )


@pytest.mark.parametrize("calendar", [LONDON_OFFICE, LONDON_24X7], ids=["office", "24x7"])
def test_due_time_is_where_unpaused_business_time_reaches_the_target(calendar: BusinessCalendar) -> None:
    # given many seeded random clocks in 2026 with up to three closed, possibly overlapping, pauses
    generator = random.Random(5)
    for _ in range(500):
        started_at = utc(2026, 1, 1) + timedelta(seconds=generator.randrange(360 * 24 * 3600))
        target = timedelta(seconds=generator.randrange(60 * 3600))
        pauses = []
        for _ in range(generator.randrange(4)):
            pause_start = started_at + timedelta(seconds=generator.randrange(-24 * 3600, 10 * 24 * 3600))
            pause_length = timedelta(seconds=generator.randrange(3 * 24 * 3600))
            pauses.append(PauseInterval(pause_start, pause_start + pause_length))
        now = started_at + timedelta(days=60)
        # when the clock is read long after the last pause, and again at its own due time
        late = sla_clock_read(calendar=calendar, target=target, started_at=started_at, pauses=pauses, now=now)
        assert late.due_at is not None
        at_due = sla_clock_read(
            calendar=calendar,
            target=target,
            started_at=started_at,
            pauses=[
                PauseInterval(pause.start, min(pause.end, late.due_at)) for pause in pauses if pause.start < late.due_at
            ],
            now=late.due_at,
        )
        # then at the due time exactly the target is used and the ticket is at risk, not (yet) breached
        assert (at_due.elapsed, at_due.remaining, at_due.state) == (target, timedelta(0), SlaState.AT_RISK), (
            started_at,
            target,
            pauses,
        )


def test_recompute_needs_the_remaining_time_of_a_paused_clock() -> None:
    # given a change that pauses the clock but no remaining time to report
    # when explained, then a ValueError asks for it rather than writing a vague reason
    with pytest.raises(ValueError, match="needs new_remaining"):
        recompute(
            calendar=LONDON_OFFICE,
            target=SlaTarget.RESOLUTION,
            changed_at=monday(12),
            what_changed="Status",
            old_label="Open",
            new_label="Waiting on customer",
            old_due_at=monday(17),
            new_due_at=None,
        )


@pytest.mark.parametrize(
    ("remaining", "words"),
    [
        (timedelta(hours=1), "1 hour of business time"),
        (timedelta(hours=40, minutes=1), "40 hours 1 minute of business time"),
        (timedelta(minutes=45, seconds=59), "45 minutes of business time"),
        (timedelta(0), "no business time"),
    ],
)
def test_recompute_words_for_time_left(remaining: timedelta, words: str) -> None:
    # given a clock paused with some business time left
    # when the pause is explained
    change = recompute(
        calendar=LONDON_OFFICE,
        target=SlaTarget.FIRST_RESPONSE,
        changed_at=monday(12),
        what_changed="Status",
        old_label="Open",
        new_label="Waiting on third party",
        old_due_at=monday(17),
        new_due_at=None,
        new_remaining=remaining,
    )
    # then hours and whole minutes are spelt out (seconds only under a minute), never days
    assert change.reason == (
        f"Status changed from Open to Waiting on third party: first response clock paused with {words} left;"
        f" it was due Mon 12 Jan 17:00 ({HOURS})"
    )
