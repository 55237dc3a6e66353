from __future__ import annotations

from django.db import transaction

from crm.models import Sector

# The reference list every tenant starts with (UK-oriented); tenant admins add their own.
UK_SECTORS = (
    "Accountancy and financial services", "Agriculture and farming", "Architecture and surveying",
    "Banking and insurance", "Charities and not-for-profit", "Construction and building trades",
    "Consultancy", "Creative, media and marketing", "Data centres and hosting", "Defence and security",
    "Dentists and opticians", "Education: schools", "Education: colleges and universities",
    "Energy and utilities", "Engineering", "Estate agents and property management", "Facilities management",
    "Food and drink production", "GP surgeries and clinics", "Government: central", "Government: local councils",
    "Health: NHS trusts and hospitals", "Hotels and hospitality", "Housing associations", "IT services and MSPs",
    "Legal services", "Leisure, sport and fitness", "Logistics, transport and warehousing", "Manufacturing",
    "Motor trade", "Offices and business parks", "Pharmaceuticals and life sciences", "Places of worship",
    "Recruitment", "Restaurants, pubs and bars", "Retail", "Science and research", "Social care and care homes",
    "Software and technology", "Telecoms", "Travel and tourism", "Veterinary", "Wholesale and distribution",
)


@transaction.atomic
def sectors_seed() -> int:
    """Add any missing reference sectors to the current tenant (idempotent; the tenant's own sectors stay)."""
    existing = {name.lower() for name in Sector.objects.values_list("name", flat=True)}
    missing = [Sector(name=name, is_seeded=True) for name in UK_SECTORS if name.lower() not in existing]
    Sector.objects.bulk_create(missing)
    return len(missing)


@transaction.atomic
def sector_create(*, name: str, acting_user) -> Sector:
    from core.events import event_record

    sector = Sector.objects.create(name=name.strip())
    event_record(kind="crm.sector_created", actor=acting_user, subject=sector, data={"name": sector.name})
    return sector
