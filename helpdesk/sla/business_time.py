"""Business-time arithmetic: what an SLA target means on a support team's working calendar.

Working hours are local wall-clock hours (a London 08:30 opening is 07:30 UTC in summer, 08:30 UTC in winter), so
each working day is turned into one UTC window and all arithmetic happens on those windows in UTC: subtracting two
UTC instants is exact real time, whatever the clocks did that night. The code walks day by day (never minute by
minute), which keeps a target of weeks or a span of months to a few hundred cheap steps.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MIDNIGHT = time(0, 0)


@dataclass(frozen=True)
class WorkingHours:
    """One day's opening and closing wall-clock times.

    `closes` of 00:00 means midnight at the end of the day (24:00), so a 24-hour day is
    `WorkingHours(time(0, 0), time(0, 0))`. The window is half-open: at exactly `closes` the desk is shut.
    """

    opens: time
    closes: time

    def __post_init__(self) -> None:
        for name, value in (("opens", self.opens), ("closes", self.closes)):
            if value.tzinfo is not None:
                raise ValueError(f"Working hours {name} must be a local wall-clock time without a timezone: {value}.")
        if self.closes != MIDNIGHT and self.closes <= self.opens:
            raise ValueError(
                f"Working hours must close after they open on the same day: {self.opens:%H:%M} to"
                f" {self.closes:%H:%M} does not (hours after midnight belong to the next day, e.g. 00:00–06:00)."
            )

    def describe(self) -> str:
        closes = "24:00" if self.closes == MIDNIGHT else f"{self.closes:%H:%M}"
        return f"{self.opens:%H:%M}–{closes}"


@dataclass(frozen=True)
class BusinessCalendar:
    """When the support team works: a timezone, hours for each weekday (Monday first; None is a day off), holidays.

    A holiday is a whole non-working local date, whatever its weekday. Build the usual shapes with
    `BusinessCalendar.weekdays(...)` and `BusinessCalendar.around_the_clock(...)`.
    """

    timezone_name: str
    weekly_hours: tuple[WorkingHours | None, ...]
    holidays: frozenset[date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        try:
            ZoneInfo(self.timezone_name)
        except (ZoneInfoNotFoundError, ValueError) as error:
            message = f"Unknown timezone {self.timezone_name!r}: use an IANA name such as 'Europe/London'."
            raise ValueError(message) from error
        object.__setattr__(self, "weekly_hours", tuple(self.weekly_hours))
        object.__setattr__(self, "holidays", frozenset(self.holidays))
        if len(self.weekly_hours) != 7:
            raise ValueError(f"Weekly hours need one entry per weekday, Monday first: 7, got {len(self.weekly_hours)}.")
        if all(hours is None for hours in self.weekly_hours):
            raise ValueError("A business calendar needs at least one working day; otherwise no target can ever be due.")
        for hours in self.weekly_hours:
            if hours is not None and not isinstance(hours, WorkingHours):
                raise ValueError(f"Each weekday's hours must be WorkingHours or None, got {hours!r}.")
        for holiday in self.holidays:
            if isinstance(holiday, datetime) or not isinstance(holiday, date):
                raise ValueError(f"Holidays are local dates (datetime.date), got {holiday!r}.")

    @classmethod
    def weekdays(
        cls, timezone_name: str, opens: time, closes: time, holidays: Iterable[date] = ()
    ) -> BusinessCalendar:
        """Monday to Friday with the same hours, weekends off: the common office calendar."""
        hours = WorkingHours(opens, closes)
        return cls(timezone_name, (hours,) * 5 + (None, None), frozenset(holidays))

    @classmethod
    def around_the_clock(cls, timezone_name: str, holidays: Iterable[date] = ()) -> BusinessCalendar:
        """24x7: every instant is business time (a 23- or 25-hour day on a clock change counts as such)."""
        return cls(timezone_name, (WorkingHours(MIDNIGHT, MIDNIGHT),) * 7, frozenset(holidays))

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone_name)

    def window_on(self, day: date) -> tuple[datetime, datetime] | None:
        """The UTC instants the desk opens and closes on a local date, or None on a day off or holiday.

        A wall-clock time that does not exist (skipped by a spring-forward) maps to the instant just after the jump;
        one that happens twice (autumn) maps to its first occurrence: zoneinfo's fold=0 rule.
        """
        hours = self.weekly_hours[day.weekday()]
        if hours is None or day in self.holidays:
            return None
        zone = self.zone
        opens = datetime.combine(day, hours.opens, tzinfo=zone).astimezone(UTC)
        closes_day = day + timedelta(days=1) if hours.closes == MIDNIGHT else day
        closes = datetime.combine(closes_day, hours.closes, tzinfo=zone).astimezone(UTC)
        if closes <= opens:  # a clock change can shrink odd hours (say 00:45–01:15) to nothing; never go negative
            return None
        return opens, closes

    def describe(self) -> str:
        """Plain words for a reason string: 'business hours Mon–Fri 08:30–17:30 Europe/London'."""
        if all(hours == WorkingHours(MIDNIGHT, MIDNIGHT) for hours in self.weekly_hours):
            text = f"round the clock, every day, {self.timezone_name}"
        else:
            runs: list[str] = []
            index = 0
            while index < 7:
                hours = self.weekly_hours[index]
                end = index
                while end + 1 < 7 and self.weekly_hours[end + 1] == hours:
                    end += 1
                if hours is not None:
                    days = WEEKDAY_NAMES[index] if end == index else f"{WEEKDAY_NAMES[index]}–{WEEKDAY_NAMES[end]}"
                    runs.append(f"{days} {hours.describe()}")
                index = end + 1
            text = f"business hours {', '.join(runs)} {self.timezone_name}"
        if self.holidays:
            text += ", holidays excluded"
        return text


def _as_utc(instant: datetime, name: str) -> datetime:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, got naive {instant.isoformat()}.")
    return instant.astimezone(UTC)


def _windows_from(calendar: BusinessCalendar, instant: datetime) -> Iterator[tuple[datetime, datetime]]:
    """Working windows that end after `instant`, in order, the first one clipped to start no earlier than it.

    A window never crosses local midnight (closing is at most 24:00), so starting from the instant's local date
    misses nothing.
    """
    day = instant.astimezone(calendar.zone).date()
    while True:
        window = calendar.window_on(day)
        if window is not None:
            opens, closes = window
            if closes > instant:
                yield max(opens, instant), closes
        day += timedelta(days=1)


def business_add(calendar: BusinessCalendar, start: datetime, duration: timedelta) -> datetime:
    """The UTC instant at which `duration` of business time has passed since `start`.

    A start outside working hours begins counting at the next opening, so adding zero returns the start itself when
    the desk is open and the next opening otherwise (a target of zero is due the moment someone could act on it).
    Windows are half-open, so a start exactly at closing also moves to the next opening. A target that runs out
    exactly at closing time is due at closing, not at the next morning's opening.
    """
    start_utc = _as_utc(start, "start")
    if duration < timedelta(0):
        raise ValueError(f"Business time to add must not be negative, got {duration}.")
    remaining = duration
    for opens, closes in _windows_from(calendar, start_utc):
        available = closes - opens
        if remaining <= available:
            return opens + remaining
        remaining -= available
    raise AssertionError("unreachable: the calendar has working days")  # pragma: no cover


def business_duration(calendar: BusinessCalendar, start: datetime, end: datetime) -> timedelta:
    """Business time between two instants (they may carry different UTC offsets); zero if `end` is not after `start`."""
    start_utc = _as_utc(start, "start")
    end_utc = _as_utc(end, "end")
    total = timedelta(0)
    if end_utc <= start_utc:
        return total
    for opens, closes in _windows_from(calendar, start_utc):
        if opens >= end_utc:
            break
        total += min(closes, end_utc) - opens
    return total
