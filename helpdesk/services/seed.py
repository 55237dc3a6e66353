"""What every tenant's helpdesk starts with: a default SLA policy, UK bank holidays, categories, canned responses.
Idempotent: run again, it only adds what is missing (a tenant's own changes stay)."""

from __future__ import annotations

from datetime import date

from helpdesk.models import BusinessHoliday, CannedResponse, SlaPolicy, TicketCategory

# England and Wales bank holidays (gov.uk), substitute days included.
UK_BANK_HOLIDAYS = {
    date(2026, 1, 1): "New Year's Day", date(2026, 4, 3): "Good Friday", date(2026, 4, 6): "Easter Monday",
    date(2026, 5, 4): "Early May bank holiday", date(2026, 5, 25): "Spring bank holiday",
    date(2026, 8, 31): "Summer bank holiday", date(2026, 12, 25): "Christmas Day",
    date(2026, 12, 28): "Boxing Day (substitute day)",
    date(2027, 1, 1): "New Year's Day", date(2027, 3, 26): "Good Friday", date(2027, 3, 29): "Easter Monday",
    date(2027, 5, 3): "Early May bank holiday", date(2027, 5, 31): "Spring bank holiday",
    date(2027, 8, 30): "Summer bank holiday", date(2027, 12, 27): "Christmas Day (substitute day)",
    date(2027, 12, 28): "Boxing Day (substitute day)",
}
CATEGORIES = ("Accounts and access", "Backup and recovery", "Cabling", "Email", "Hardware", "Network", "Printing",
              "Software", "Telephony", "Wi-Fi")
CANNED_RESPONSES = {
    "Acknowledge": "Hello {contact_name},\n\nThanks for getting in touch. We have logged this as {ticket_number} and "
                   "an engineer is looking at it now. We will update you as soon as we know more.\n\n{agent_name}",
    "Need more information": "Hello {contact_name},\n\nTo move {ticket_number} on we need a little more detail: "
                             "when did it start, how many people are affected, and have there been any recent "
                             "changes?\n\n{agent_name}",
    "Resolved - please confirm": "Hello {contact_name},\n\nWe believe {ticket_number} is now fixed. Could you confirm "
                                 "everything is working as expected? If not, just reply to this email.\n\n{agent_name}",
}


def helpdesk_seed() -> int:
    added = 0
    if not SlaPolicy.objects.exists():
        SlaPolicy.objects.create(name="Standard (office hours)", is_default=True, working_days=[0, 1, 2, 3, 4])
        added += 1
    existing = set(BusinessHoliday.objects.values_list("date", flat=True))
    holidays = [BusinessHoliday(date=day, name=name) for day, name in UK_BANK_HOLIDAYS.items() if day not in existing]
    BusinessHoliday.objects.bulk_create(holidays)
    if not TicketCategory.objects.exists():
        TicketCategory.objects.bulk_create([TicketCategory(name=name) for name in CATEGORIES])
        added += len(CATEGORIES)
    if not CannedResponse.objects.exists():
        CannedResponse.objects.bulk_create([CannedResponse(title=title, body=body) for title, body in CANNED_RESPONSES.items()])
        added += len(CANNED_RESPONSES)
    return added + len(holidays)
