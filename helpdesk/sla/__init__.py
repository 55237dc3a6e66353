"""The SLA engine's pure core: business-time arithmetic and the SLA clock, with no database in sight."""

from helpdesk.sla.business_time import BusinessCalendar, WorkingHours, business_add, business_duration
from helpdesk.sla.clock import (
    DueTimeChange,
    PauseInterval,
    SlaClockReading,
    SlaState,
    SlaTarget,
    recompute,
    sla_clock_read,
)

__all__ = [
    "BusinessCalendar",
    "DueTimeChange",
    "PauseInterval",
    "SlaClockReading",
    "SlaState",
    "SlaTarget",
    "WorkingHours",
    "business_add",
    "business_duration",
    "recompute",
    "sla_clock_read",
]
