"""The SLA badge the helpdesk's Python-rendered rows share with the ticket page (`{% sla_badge %}`)."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.translation import gettext as _

from core.rows_html import Dates


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
