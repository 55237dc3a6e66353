"""Business-time arithmetic against hand-computed cases.

Unless a case says otherwise the calendar is an office in London, Mon–Fri 08:30–17:30 (9 business hours a day),
with the bank holidays below. In winter (GMT) London wall time equals UTC; in summer (BST) it is UTC+1, so a summer
08:30 opening is 07:30Z. BST starts 2026-03-29 01:00Z and ends 2026-10-25 01:00Z.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest

from helpdesk.sla.business_time import BusinessCalendar, WorkingHours, business_add, business_duration

BANK_HOLIDAYS_2026 = {
    date(2026, 4, 3),  # Good Friday
    date(2026, 4, 6),  # Easter Monday
    date(2026, 5, 4),  # Early May bank holiday (a Monday)
    date(2026, 12, 25),  # Christmas Day (a Friday)
    date(2026, 12, 28),  # Boxing Day substitute (a Monday)
}
LONDON_OFFICE = BusinessCalendar.weekdays("Europe/London", time(8, 30), time(17, 30), BANK_HOLIDAYS_2026)
LONDON_24X7 = BusinessCalendar.around_the_clock("Europe/London")


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


# (case, start, business time to add, expected due) — the reasoning is the comment on each row.
ADD_CASES = [
    # Tue 13 Jan (GMT) 09:00 + 2h stays inside the day.
    ("within a day", utc(2026, 1, 13, 9), timedelta(hours=2), utc(2026, 1, 13, 11)),
    # Tue 16:30: 1h to closing at 17:30, the other 1h from Wed 08:30 -> Wed 09:30.
    ("across a night", utc(2026, 1, 13, 16, 30), timedelta(hours=2), utc(2026, 1, 14, 9, 30)),
    # Fri 16 Jan 15:30: 2h to closing, weekend skipped, 2h from Mon 08:30 -> Mon 19 Jan 10:30.
    ("Friday afternoon to Monday", utc(2026, 1, 16, 15, 30), timedelta(hours=4), utc(2026, 1, 19, 10, 30)),
    # Tue 22:00 is after closing: counting starts Wed 08:30 -> 09:30.
    ("starting at night", utc(2026, 1, 13, 22), timedelta(hours=1), utc(2026, 1, 14, 9, 30)),
    # Tue 06:00 is before opening: counting starts 08:30 the same day -> 09:30.
    ("starting before opening", utc(2026, 1, 13, 6), timedelta(hours=1), utc(2026, 1, 13, 9, 30)),
    # Sat 17 Jan: counting starts Mon 19 Jan 08:30 -> 09:30.
    ("starting at the weekend", utc(2026, 1, 17, 12), timedelta(hours=1), utc(2026, 1, 19, 9, 30)),
    # Fri 25 Dec is Christmas, then the weekend, then Mon 28 Dec (holiday): counting starts Tue 29 Dec 08:30.
    ("starting on a holiday", utc(2026, 12, 25, 10), timedelta(hours=1), utc(2026, 12, 29, 9, 30)),
    # Fri 1 May 16:30 BST (15:30Z): 1h to 17:30 BST; Mon 4 May is a bank holiday; Tue 08:30 BST + 1h = 09:30 BST
    # = 08:30Z.
    ("bank holiday Monday", utc(2026, 5, 1, 15, 30), timedelta(hours=2), utc(2026, 5, 5, 8, 30)),
    # Thu 24 Dec 16:30 GMT: 1h to closing; Fri 25 (Christmas), weekend, Mon 28 (holiday); Tue 29 08:30 + 2h.
    ("Christmas and Boxing Day substitute", utc(2026, 12, 24, 16, 30), timedelta(hours=3), utc(2026, 12, 29, 10, 30)),
    # Fri 27 Mar 16:30 GMT (16:30Z): 1h to 17:30; clocks go forward Sun; Mon 30 Mar opens 08:30 BST = 07:30Z, + 1h.
    ("across the BST start", utc(2026, 3, 27, 16, 30), timedelta(hours=2), utc(2026, 3, 30, 8, 30)),
    # Fri 23 Oct 16:30 BST (15:30Z): 1h to 17:30 BST; clocks go back Sun; Mon 26 Oct opens 08:30 GMT = 08:30Z, + 1h.
    ("across the BST end", utc(2026, 10, 23, 15, 30), timedelta(hours=2), utc(2026, 10, 26, 9, 30)),
    # Tue 15:30 + 2h runs out exactly at closing: due 17:30 that day, not Wed 08:30.
    ("ending exactly at closing", utc(2026, 1, 13, 15, 30), timedelta(hours=2), utc(2026, 1, 13, 17, 30)),
    # Summer: Tue 14 Jul 15:30 BST (14:30Z) + 2h -> 17:30 BST = 16:30Z.
    ("ending exactly at closing in summer", utc(2026, 7, 14, 14, 30), timedelta(hours=2), utc(2026, 7, 14, 16, 30)),
    # Zero inside hours: the start itself.
    ("zero inside hours", utc(2026, 1, 13, 10), timedelta(0), utc(2026, 1, 13, 10)),
    # Zero at night: the next opening (a zero target is due when someone can first act on it).
    ("zero at night", utc(2026, 1, 13, 20), timedelta(0), utc(2026, 1, 14, 8, 30)),
    # Zero exactly at closing: hours are half-open, 17:30 is shut, so the next opening.
    ("zero at closing", utc(2026, 1, 13, 17, 30), timedelta(0), utc(2026, 1, 14, 8, 30)),
    # One second: exact to the second.
    ("one second before closing", utc(2026, 1, 13, 17, 29, 59), timedelta(seconds=2), utc(2026, 1, 14, 8, 30, 1)),
    # Mon 12 Jan 08:30 + 40h: Mon–Thu are 4 x 9h = 36h, 4h more on Fri -> Fri 16 Jan 12:30.
    ("40 business hours", utc(2026, 1, 12, 8, 30), timedelta(hours=40), utc(2026, 1, 16, 12, 30)),
    # Three business weeks = 15 days x 9h = 135h from Mon 12 Jan 08:30 ends at closing Fri 30 Jan 17:30.
    ("three business weeks", utc(2026, 1, 12, 8, 30), timedelta(hours=135), utc(2026, 1, 30, 17, 30)),
    # Mon 30 Mar 08:30 BST (07:30Z) + 4 weeks of 9h days = 180h; Easter: Fri 3 Apr and Mon 6 Apr are holidays, so
    # 20 working days run to Tue 28 Apr closing 17:30 BST = 16:30Z (30 Mar..28 Apr has 22 weekdays minus 2 holidays).
    ("four weeks over Easter", utc(2026, 3, 30, 7, 30), timedelta(hours=180), utc(2026, 4, 28, 16, 30)),
]


@pytest.mark.parametrize(("case", "start", "duration", "expected_due"), ADD_CASES, ids=[row[0] for row in ADD_CASES])
def test_business_add_hand_computed(case: str, start: datetime, duration: timedelta, expected_due: datetime) -> None:
    # given the London office calendar and a start instant
    # when the business time is added
    due = business_add(LONDON_OFFICE, start, duration)
    # then the due instant is the hand-computed one, in UTC
    assert due == expected_due
    assert due.tzinfo is UTC


# (case, start, end, expected business time)
DURATION_CASES = [
    # Tue 13 Jan 09:00–11:00 inside the day.
    ("within a day", utc(2026, 1, 13, 9), utc(2026, 1, 13, 11), timedelta(hours=2)),
    # Tue 16:30 -> Wed 09:30: 1h Tue + 1h Wed.
    ("across a night", utc(2026, 1, 13, 16, 30), utc(2026, 1, 14, 9, 30), timedelta(hours=2)),
    # Sat 10:00 -> Sun 18:00: nothing is business time.
    ("a weekend", utc(2026, 1, 17, 10), utc(2026, 1, 18, 18), timedelta(0)),
    # Fri 27 Mar 12:00 GMT -> Mon 30 Mar 12:00Z (13:00 BST): 5h30 Fri + 08:30–13:00 BST Mon 4h30 = 10h, while 72h
    # of real time passed.
    ("across the BST start", utc(2026, 3, 27, 12), utc(2026, 3, 30, 12), timedelta(hours=10)),
    # Fri 23 Oct 12:00Z (13:00 BST) -> Mon 26 Oct 12:00Z (12:00 GMT): 4h30 Fri + 3h30 Mon = 8h.
    ("across the BST end", utc(2026, 10, 23, 12), utc(2026, 10, 26, 12), timedelta(hours=8)),
    # December 2026 has 23 weekdays; 25th and 28th are holidays: 21 x 9h = 189h.
    ("a whole month with holidays", utc(2026, 12, 1), utc(2027, 1, 1), timedelta(hours=189)),
    # Same instants as "within a day" but written in other offsets: 09:00+01:00 is 08:00Z (09:00 BST in July),
    # 12:00-04:00 is 16:00Z (17:00 BST): 8h.
    (
        "different UTC offsets",
        datetime(2026, 7, 14, 9, tzinfo=timezone(timedelta(hours=1))),
        datetime(2026, 7, 14, 12, tzinfo=timezone(timedelta(hours=-4))),
        timedelta(hours=8),
    ),
    # End before start: zero, never negative.
    ("end before start", utc(2026, 1, 13, 11), utc(2026, 1, 13, 9), timedelta(0)),
    # Equal instants: zero.
    ("empty span", utc(2026, 1, 13, 11), utc(2026, 1, 13, 11), timedelta(0)),
]


@pytest.mark.parametrize(("case", "start", "end", "expected"), DURATION_CASES, ids=[row[0] for row in DURATION_CASES])
def test_business_duration_hand_computed(case: str, start: datetime, end: datetime, expected: timedelta) -> None:
    # given the London office calendar and two instants
    # when the business time between them is measured
    elapsed = business_duration(LONDON_OFFICE, start, end)
    # then it is the hand-computed amount
    assert elapsed == expected


def test_around_the_clock_across_the_bst_start_counts_real_time() -> None:
    # given a 24x7 desk and Sat 28 Mar 12:00Z (12:00 GMT)
    start = utc(2026, 3, 28, 12)
    # when 24 business hours are added
    due = business_add(LONDON_24X7, start, timedelta(hours=24))
    # then the due time is 24 real hours later, Sun 29 Mar 12:00Z, which London clocks show as 13:00 BST:
    # 25 hours apart on the wall, 24 hours elapsed
    assert due == utc(2026, 3, 29, 12)
    assert due.astimezone(LONDON_24X7.zone).hour == 13


def test_around_the_clock_across_the_bst_end_counts_real_time() -> None:
    # given a 24x7 desk and Sat 24 Oct 12:00Z (13:00 BST)
    start = utc(2026, 10, 24, 12)
    # when 24 business hours are added
    due = business_add(LONDON_24X7, start, timedelta(hours=24))
    # then Sun 25 Oct 12:00Z, which is 12:00 GMT: 23 hours apart on the wall, 24 hours elapsed
    assert due == utc(2026, 10, 25, 12)
    assert due.astimezone(LONDON_24X7.zone).hour == 12


def test_around_the_clock_days_of_the_clock_changes_are_23_and_25_hours() -> None:
    # given a 24x7 desk
    # when the local days of the clock changes are measured (local midnight to local midnight)
    spring_day = business_duration(LONDON_24X7, utc(2026, 3, 29, 0), utc(2026, 3, 29, 23))
    autumn_day = business_duration(LONDON_24X7, utc(2026, 10, 24, 23), utc(2026, 10, 26, 0))
    # then Sun 29 Mar (00:00 GMT to 00:00 BST = 23:00Z) has 23 hours; Sun 25 Oct (00:00 BST = 24 Oct 23:00Z to
    # 00:00 GMT) has 25
    assert spring_day == timedelta(hours=23)
    assert autumn_day == timedelta(hours=25)


def test_around_the_clock_three_weeks() -> None:
    # given a 24x7 desk and a start in the middle of a night
    start = utc(2026, 3, 20, 3, 17, 5)
    # when three weeks of business time are added (crossing the BST start)
    due = business_add(LONDON_24X7, start, timedelta(weeks=3))
    # then exactly 504 real hours later
    assert due == utc(2026, 4, 10, 3, 17, 5)


def test_different_hours_on_some_days_and_a_saturday_morning() -> None:
    # given Mon–Thu 09:00–17:00, Fri 09:00–16:00, Sat 09:00–12:00, Sun off, in Paris (CET = UTC+1 in January)
    long_day = WorkingHours(time(9), time(17))
    calendar = BusinessCalendar(
        "Europe/Paris", (long_day,) * 4 + (WorkingHours(time(9), time(16)), WorkingHours(time(9), time(12)), None)
    )
    # when 5 hours are added from Fri 16 Jan 14:00 CET (13:00Z)
    due = business_add(calendar, utc(2026, 1, 16, 13), timedelta(hours=5))
    # then 2h on Friday to 16:00, 3h on Saturday 09:00–12:00 (due at Saturday closing, 11:00Z), Sunday untouched
    assert due == utc(2026, 1, 17, 11)
    assert calendar.describe() == "business hours Mon–Thu 09:00–17:00, Fri 09:00–16:00, Sat 09:00–12:00 Europe/Paris"


def test_describe_the_usual_calendars() -> None:
    # given the office and 24x7 calendars
    # when described
    # then the words say the hours, the zone and whether holidays are taken out
    assert LONDON_OFFICE.describe() == "business hours Mon–Fri 08:30–17:30 Europe/London, holidays excluded"
    assert LONDON_24X7.describe() == "round the clock, every day, Europe/London"
    assert (
        BusinessCalendar.weekdays("Europe/London", time(8, 30), time(17, 30)).describe()
        == "business hours Mon–Fri 08:30–17:30 Europe/London"
    )


def test_a_year_of_business_time_is_computed_in_few_steps() -> None:
    # given a target of a year of business time (skipping days, not minutes, keeps this instant)
    start = utc(2026, 1, 5, 8, 30)
    # when added and measured back
    due = business_add(LONDON_OFFICE, start, timedelta(hours=9 * 250))
    # then the round trip holds
    assert business_duration(LONDON_OFFICE, start, due) == timedelta(hours=9 * 250)


@pytest.mark.parametrize("calendar", [LONDON_OFFICE, LONDON_24X7], ids=["office", "24x7"])
def test_duration_of_an_addition_is_what_was_added(calendar: BusinessCalendar) -> None:
    # given many seeded random starts across 2026 (both clock changes included) and durations up to ~5 weeks
    generator = random.Random(20261129)
    year_start = utc(2026, 1, 1)
    for _ in range(2000):
        start = year_start + timedelta(seconds=generator.randrange(365 * 24 * 3600))
        duration = timedelta(seconds=generator.choice([0, 1, 3600 * 9, generator.randrange(200 * 3600)]))
        # when the duration is added and the span measured back
        due = business_add(calendar, start, duration)
        # then the business time between start and due is exactly the duration, and the due time is not before start
        assert business_duration(calendar, start, due) == duration, (start, duration, due)
        assert due >= start


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: WorkingHours(time(17, 30), time(8, 30)), "must close after they open on the same day: 17:30 to 08:30"),
        (lambda: WorkingHours(time(9), time(9)), "must close after they open on the same day: 09:00 to 09:00"),
        (lambda: BusinessCalendar.weekdays("Europe/Londres", time(9), time(17)), "Unknown timezone 'Europe/Londres'"),
        (lambda: BusinessCalendar("Europe/London", (None,) * 7), "at least one working day"),
        (lambda: BusinessCalendar("Europe/London", (WorkingHours(time(9), time(17)),) * 5), "one entry per weekday"),
        (
            lambda: BusinessCalendar.weekdays("Europe/London", time(9), time(17), {datetime(2026, 12, 25)}),
            "Holidays are local dates",
        ),
    ],
)
def test_calendar_rejects_nonsense_with_a_clear_message(build, message: str) -> None:
    # given a calendar that cannot work
    # when it is built
    # then a ValueError says what is wrong
    with pytest.raises(ValueError, match=message):
        build()


def test_naive_datetimes_are_refused() -> None:
    # given a naive datetime (its timezone unknown, so its instant unknown)
    naive = datetime(2026, 1, 13, 9)
    # when used, then a ValueError names it
    with pytest.raises(ValueError, match="start must be a timezone-aware datetime"):
        business_add(LONDON_OFFICE, naive, timedelta(hours=1))
    with pytest.raises(ValueError, match="end must be a timezone-aware datetime"):
        business_duration(LONDON_OFFICE, utc(2026, 1, 13, 9), naive)


def test_negative_durations_are_refused() -> None:
    # given a negative target (a bug upstream, never a real SLA)
    # when added, then a ValueError says so rather than counting backwards
    with pytest.raises(ValueError, match="must not be negative"):
        business_add(LONDON_OFFICE, utc(2026, 1, 13, 9), timedelta(seconds=-1))
