"""Pieces the helpdesk's Python-rendered rows share: dates as the `date` filter writes them, and the SLA badge.

The `date` filter translates the month and weekday names and parses its format on every call (~60 µs); a page of
rows calls it hundreds of times. `Dates` translates the names once per page and writes the few formats we use.
"""

from __future__ import annotations

from django.utils.dates import MONTHS_3, WEEKDAYS_ABBR
from django.utils.html import escape
from django.utils.timezone import template_localtime
from django.utils.translation import gettext as _


class Dates:
    """The `date` filter's output for the formats "c", "j M Y H:i", "j M H:i" and "D j M H:i", in the current
    language and time zone (the template engine's `template_localtime`)."""

    def __init__(self):
        self.months = {number: escape(str(name).title()) for number, name in MONTHS_3.items()}
        self.weekdays = {number: escape(str(name)) for number, name in WEEKDAYS_ABBR.items()}

    @staticmethod
    def iso(value) -> str:  # "c"
        return template_localtime(value).isoformat()

    def day_month_year_time(self, value) -> str:  # "j M Y H:i"
        value = template_localtime(value)
        return f"{value.day} {self.months[value.month]} {value.year:04d} {value.hour:02d}:{value.minute:02d}"

    def day_month_time(self, value) -> str:  # "j M H:i"
        value = template_localtime(value)
        return f"{value.day} {self.months[value.month]} {value.hour:02d}:{value.minute:02d}"

    def weekday_day_month_time(self, value) -> str:  # "D j M H:i"
        value = template_localtime(value)
        return (f"{self.weekdays[value.weekday()]} {value.day} {self.months[value.month]} "
                f"{value.hour:02d}:{value.minute:02d}")


class SlaBadges:
    """A ticket's SLA state badge and, while it runs, the next deadline. Used by the ticket list's rows and, through
    `{% sla_badge %}`, by the ticket page and the customer's tickets tab."""

    STYLES = {"breached": "text-bg-danger", "at_risk": "text-bg-warning", "paused": "text-bg-secondary",
              "met": "text-bg-success", "on_track": "text-bg-light border"}

    def __init__(self, dates: Dates | None = None):
        self.dates = dates or Dates()
        self.words = {state: escape(text) for state, text in {
            "breached": _("Breached"), "at_risk": _("At risk"), "paused": _("Paused"), "met": _("Met"),
            "on_track": _("On track"),
        }.items()}

    def badge(self, ticket) -> str:
        state = ticket.sla_state
        html = (f'<span class="badge {self.STYLES[state]}" data-testid="sla-state">{self.words[state]}</span>'
                if state in self.STYLES else "")
        if ticket.sla_due_at and ticket.is_open and state != "paused":
            html += (f' <time datetime="{self.dates.iso(ticket.sla_due_at)}">'
                     f'{self.dates.weekday_day_month_time(ticket.sla_due_at)}</time>')
        return html
