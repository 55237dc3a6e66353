"""A believable book of business for the demo tenant (seed_demo), written through the services so the history is real."""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from core.models import Event
from crm.models import Customer, CustomerStatus, Sector, Tag
from crm.services import customers as services

COMPANIES = [
    ("Oakfield Primary School", "Education: schools", "small", "oakfield-primary.sch.uk"),
    ("Riverside Dental Practice", "Dentists and opticians", "micro", "riversidedental.co.uk"),
    ("Hartley & Moss Solicitors", "Legal services", "small", "hartleymoss.co.uk"),
    ("Brindley Logistics Ltd", "Logistics, transport and warehousing", "medium", "brindleylogistics.com"),
    ("St Chad's Care Home", "Social care and care homes", "small", "stchadscare.org.uk"),
    ("Kingsway Business Park", "Offices and business parks", "medium", "kingswaypark.co.uk"),
    ("Meridian Accountants LLP", "Accountancy and financial services", "small", "meridian-accountants.co.uk"),
    ("Northgate Academy Trust", "Education: schools", "large", "northgate.academy"),
    ("Foundry Lane Brewery", "Food and drink production", "small", "foundrylane.beer"),
    ("Castle Vale Housing Association", "Housing associations", "medium", "castlevaleha.org.uk"),
    ("Apex Precision Engineering Ltd", "Engineering", "medium", "apexprecision.co.uk"),
    ("Willow Tree GP Surgery", "GP surgeries and clinics", "small", "willowtreesurgery.nhs.uk"),
    ("Bluebell Hotels Group", "Hotels and hospitality", "large", "bluebellhotels.co.uk"),
    ("Granger Retail Parks", "Retail", "medium", "grangerparks.co.uk"),
    ("Sutton Coldfield Golf Club", "Leisure, sport and fitness", "micro", "scgc.co.uk"),
    ("Midland Fibre Networks Ltd", "Telecoms", "small", "midlandfibre.net"),
    ("Redhouse Veterinary Centre", "Veterinary", "micro", "redhousevets.co.uk"),
    ("Halesowen College", "Education: colleges and universities", "large", "halesowen.ac.uk"),
    ("Ironbridge Manufacturing plc", "Manufacturing", "large", "ironbridge-mfg.co.uk"),
    ("Lichfield Cathedral Trust", "Places of worship", "small", "lichfield-cathedral.org"),
    ("Bromsgrove District Council", "Government: local councils", "large", "bromsgrove.gov.uk"),
    ("Clearview Opticians", "Dentists and opticians", "micro", "clearviewopticians.co.uk"),
    ("Trentside Warehousing", "Logistics, transport and warehousing", "medium", "trentside.co.uk"),
    ("Peak Performance Gyms", "Leisure, sport and fitness", "small", "peakgyms.co.uk"),
    ("Copperfield Estate Agents", "Estate agents and property management", "micro", "copperfield-homes.co.uk"),
    ("Greenway Facilities Ltd", "Facilities management", "medium", "greenwayfm.co.uk"),
    ("Sapphire Software Ltd", "Software and technology", "small", "sapphiresoft.io"),
    ("Elmstead Nursing Home", "Social care and care homes", "small", "elmsteadcare.co.uk"),
    ("Hollybush Garden Centre", "Retail", "small", "hollybushgc.co.uk"),
    ("Canalside Creative Studio", "Creative, media and marketing", "micro", "canalside.studio"),
    ("Wrekin Data Centre Ltd", "Data centres and hosting", "medium", "wrekindc.co.uk"),
    ("Ashby Motor Group", "Motor trade", "medium", "ashbymotors.co.uk"),
    ("Brookfield Medical Research", "Science and research", "medium", "brookfield-research.org"),
    ("Tamworth Leisure Centre", "Leisure, sport and fitness", "small", "tamworthleisure.co.uk"),
    ("Quayside Restaurants Ltd", "Restaurants, pubs and bars", "small", "quaysidedining.co.uk"),
    ("Hereford Cattle Auctions", "Agriculture and farming", "micro", "herefordauctions.co.uk"),
    ("Stratford Travel Co", "Travel and tourism", "micro", "stratfordtravel.co.uk"),
    ("Pinnacle Recruitment", "Recruitment", "small", "pinnacle-recruit.co.uk"),
    ("Harbour Insurance Brokers", "Banking and insurance", "small", "harbourinsure.co.uk"),
    ("Kestrel Security Systems", "Defence and security", "small", "kestrelsecurity.co.uk"),
    ("Marlowe Architects", "Architecture and surveying", "micro", "marlowe-arch.co.uk"),
    ("Worcester Royal Hospital Trust", "Health: NHS trusts and hospitals", "large", "worcsacute.nhs.uk"),
    ("Silverline Wholesale", "Wholesale and distribution", "medium", "silverlinewholesale.co.uk"),
    ("Beacon Energy Services", "Energy and utilities", "medium", "beaconenergy.co.uk"),
    ("Oldbury Community Church", "Places of worship", "micro", "oldburychurch.org.uk"),
    ("Clent Hills Conference Centre", "Hotels and hospitality", "small", "clenthills-cc.co.uk"),
    ("Vantage IT Services", "IT services and MSPs", "small", "vantage-it.co.uk"),
    ("Dudley Zoo Trust", "Charities and not-for-profit", "medium", "dudleyzootrust.org.uk"),
    ("Millbrook Pharmaceuticals", "Pharmaceuticals and life sciences", "large", "millbrookpharma.com"),
    ("Chase Terrace Builders", "Construction and building trades", "small", "chaseterracebuilders.co.uk"),
]
FACTS = [
    "Two sites; the server room is in the basement of the main building.",
    "Prefers email; the office manager signs off anything under £5,000.",
    "Their current supplier's contract ends in the spring.",
    "Asked about Wi-Fi coverage in the warehouse last year.",
    "",
]


@transaction.atomic
def crm_demo_seed(*, users: list) -> int:
    """Idempotent: does nothing once the demo tenant has customers."""
    if Customer.objects.exists():
        return 0
    rng = random.Random(2026)
    sectors = {sector.name: sector for sector in Sector.objects.all()}
    tags = [Tag.objects.get_or_create(name=name)[0] for name in ("fibre", "schools", "wifi", "support contract", "CCTV")]
    statuses = [CustomerStatus.LEAD] * 12 + [CustomerStatus.PROSPECT] * 14 + [CustomerStatus.CUSTOMER] * 16 + \
        [CustomerStatus.COLD_LEAD] * 4 + [CustomerStatus.INACTIVE] * 2 + [CustomerStatus.LOST] * 2
    now = timezone.now()
    for index, (name, sector, size, domain) in enumerate(COMPANIES):
        owner = rng.choice(users)
        customer = services.customer_create(
            acting_user=owner, name=name, owner=owner, sector=sectors.get(sector), size_band=size,
            website=f"www.{domain}", email=f"info@{domain}", phone=f"0121 {rng.randint(200, 999)} {rng.randint(1000, 9999)}",
            registration_number=f"{rng.randint(1000000, 9999999):08d}" if "School" not in name else "",
            lead_score=rng.randint(5, 95), is_competitor=name.startswith("Vantage"), known_facts=rng.choice(FACTS),
            tags=rng.sample(tags, k=rng.randint(0, 2)),
        )
        path = {
            CustomerStatus.PROSPECT: [CustomerStatus.PROSPECT],
            CustomerStatus.CUSTOMER: [CustomerStatus.PROSPECT, CustomerStatus.CUSTOMER],
            CustomerStatus.COLD_LEAD: [CustomerStatus.COLD_LEAD],
            CustomerStatus.INACTIVE: [CustomerStatus.PROSPECT, CustomerStatus.CUSTOMER, CustomerStatus.INACTIVE],
            CustomerStatus.LOST: [CustomerStatus.PROSPECT, CustomerStatus.LOST],
        }.get(statuses[index % len(statuses)], [])
        for status in path:
            services.customer_status_change(customer=customer, status=status, acting_user=owner)
        # Spread the history over the past year so the timeline reads like one.
        start = now - timedelta(days=rng.randint(30, 360))
        events = list(Event.objects.filter(customer_id=customer.pk).order_by("id"))
        for step, event in enumerate(events):
            event.created_at = start + timedelta(days=step * rng.randint(5, 40), hours=rng.randint(8, 17))
        Event.objects.bulk_update(events, ["created_at"])
        Customer.objects.filter(pk=customer.pk).update(created_at=start)
        _demo_book(customer=customer, owner=owner, domain=domain, rng=rng, index=index)
    return len(COMPANIES)


FIRST_NAMES = ["Nia", "Tom", "Priya", "Gareth", "Sian", "Omar", "Helen", "Raj", "Claire", "Dan", "Fiona", "Mark"]
LAST_NAMES = ["Jones", "Patel", "Evans", "Hughes", "Khan", "Davies", "Wright", "Singh", "Taylor", "Morgan"]
TITLES = [("IT manager", "technical"), ("Business manager", "decision_maker"), ("Finance officer", "billing"),
          ("Facilities manager", "influencer"), ("Office manager", "user")]
STREETS = ["High Street", "Station Road", "Church Lane", "Mill Road", "Victoria Street", "Canal Side"]
TOWNS = [("Birmingham", "B15 2TT"), ("Dudley", "DY1 1HP"), ("Walsall", "WS1 1TP"), ("Wolverhampton", "WV1 1RQ"),
         ("Coventry", "CV1 5FB"), ("Worcester", "WR1 2EY")]
DEALS = ["Cat6A cabling refresh", "Wi-Fi 7 upgrade", "Fibre backbone", "CCTV extension", "Phone system migration",
         "Support contract renewal", "Server room tidy and rack"]


def _demo_book(*, customer, owner, domain, rng, index) -> None:
    from datetime import timedelta
    from decimal import Decimal

    from crm.services.activities import activity_log
    from crm.services.addresses import address_create
    from crm.services.contacts import contact_create
    from crm.services.opportunities import opportunity_create

    for _number in range(rng.randint(1, 3)):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        title, role = rng.choice(TITLES)
        contact_create(customer=customer, acting_user=owner, fields={"first_name": first, "last_name": last,
                                                                      "job_title": title, "role": role},
                       emails=[{"address": f"{first}.{last}@{domain}".lower(), "kind": "work"}],
                       phones=[{"number": f"07700 9{rng.randint(10000, 99999)}", "kind": "mobile"}])
    town, postcode = rng.choice(TOWNS)
    address_create(customer=customer, acting_user=owner, fields={
        "kind": "primary", "label": "Main office", "line1": f"{rng.randint(1, 120)} {rng.choice(STREETS)}",
        "town": town, "postcode": postcode, "country": "United Kingdom"})
    if rng.random() < 0.4:
        address_create(customer=customer, acting_user=owner, fields={
            "kind": "site", "label": "Second site", "line1": f"Unit {rng.randint(1, 30)}, {rng.choice(STREETS)}",
            "town": town, "postcode": postcode, "country": "United Kingdom"})
    today = timezone.localdate()
    for _number in range(rng.randint(1, 4)):
        activity_log(customer=customer, acting_user=owner, fields={
            "kind": rng.choice(["call", "email", "meeting", "note"]), "subject": rng.choice(
                ["Intro call", "Site survey", "Sent brochure", "Discussed renewal", "Followed up quote"]),
            "outcome": rng.choice(["reached", "no_answer", "follow_up", "meeting_booked", "quote_requested"]),
            "occurred_at": timezone.now() - timedelta(days=rng.randint(1, 80)),
            "follow_up_on": today + timedelta(days=rng.randint(-5, 10)) if rng.random() < 0.35 else None})
    if customer.status in (CustomerStatus.PROSPECT, CustomerStatus.CUSTOMER) or index % 4 == 0:
        opportunity_create(customer=customer, acting_user=owner, stage=rng.choice(
            ["qualified", "scoping", "proposal_sent", "negotiation", "verbal_yes"]), fields={
            "title": rng.choice(DEALS), "value": Decimal(rng.randint(8, 400) * 125), "probability": rng.choice([20, 40, 60, 80]),
            "expected_close_on": today + timedelta(days=rng.randint(7, 120)), "owner": owner})
