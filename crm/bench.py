"""Large-tenant data and the CRM pages that `make bench` measures."""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from core.models import Event
from crm.models import Customer, CustomerStatus, Sector

HEAVY_CUSTOMER = "Bench Heavy Timeline Ltd"
CUSTOMER_EVENTS = 200_000
HEAVY_EVENTS = 2_000


def crm_bench_seed(*, stdout, customers: int) -> None:
    """10,000 customers and 200,000 timeline events, 2,000 of them on one customer (bulk inserts; idempotent)."""
    existing = Customer.objects.count()
    if existing < customers:
        stdout.write(f"seeding {customers - existing} customers ...")
        rng = random.Random(7)
        sectors = list(Sector.objects.all())
        statuses = CustomerStatus.values
        batch = []
        for index in range(existing, customers):
            name = HEAVY_CUSTOMER if index == 0 else f"Bench Customer {index:05d} {rng.choice(['Ltd', 'Networks', 'Group', 'plc'])}"
            customer = Customer(name=name, status=rng.choice(statuses), sector=rng.choice(sectors),
                                phone=f"0121 {index:07d}", email=f"info{index}@bench-customer.example",
                                website=f"www.bench-customer-{index}.example", lead_score=rng.randint(0, 100))
            batch.append(customer)
        for customer in batch:
            customer.refresh_normalised()
        with transaction.atomic():
            Customer.objects.bulk_create(batch, batch_size=2000)
    if Event.objects.filter(customer_id__isnull=False).count() < CUSTOMER_EVENTS:
        stdout.write(f"seeding {CUSTOMER_EVENTS} customer events ...")
        heavy = Customer.objects.get(name=HEAVY_CUSTOMER)
        ids = list(Customer.objects.exclude(pk=heavy.pk).values_list("pk", flat=True))
        now = timezone.now()
        rng = random.Random(11)
        data = {"from": "Lead", "to": "Prospect", "reason": ""}
        with transaction.atomic():
            rows = [Event(kind="crm.customer_status_changed", customer_id=heavy.pk, data=data,
                          created_at=now - timedelta(minutes=index)) for index in range(HEAVY_EVENTS)]
            rows += [Event(kind="crm.customer_changed", customer_id=rng.choice(ids), data={"fields": ["phone"]},
                           created_at=now - timedelta(minutes=rng.randint(0, 500_000)))
                     for _ in range(CUSTOMER_EVENTS - HEAVY_EVENTS)]
            Event.objects.bulk_create(rows, batch_size=5000)


BENCH_OPPORTUNITIES = 2_000
BENCH_CONTACTS = 30_000


def crm_bench_contacts(*, stdout) -> None:
    from crm.models import Contact, ContactEmail, ContactPhone

    if Contact.objects.count() >= BENCH_CONTACTS:
        return
    stdout.write(f"seeding {BENCH_CONTACTS} contacts with an email and a phone each ...")
    rng = random.Random(5)
    firsts = ["Nia", "Tom", "Priya", "Gareth", "Sian", "Omar", "Helen", "Raj", "Claire", "Dan"]
    lasts = ["Jones", "Patel", "Evans", "Hughes", "Khan", "Davies", "Wright", "Singh", "Taylor", "Morgan"]
    ids = list(Customer.objects.values_list("pk", flat=True))
    with transaction.atomic():
        contacts = Contact.objects.bulk_create([
            Contact(customer_id=ids[index % len(ids)], first_name=rng.choice(firsts), last_name=rng.choice(lasts),
                    is_primary=index < len(ids)) for index in range(BENCH_CONTACTS)], batch_size=5000)
        ContactEmail.objects.bulk_create([ContactEmail(contact=c, address=f"person{c.pk}@bench-contact.example",
                                                       is_primary=True) for c in contacts], batch_size=5000)
        ContactPhone.objects.bulk_create([ContactPhone(contact=c, number=f"07700 {c.pk:06d}", is_primary=True)
                                          for c in contacts], batch_size=5000)


def crm_bench_opportunities(*, stdout) -> None:
    from decimal import Decimal

    from crm.models import OpportunityStage, Opportunity

    if Opportunity.objects.count() >= BENCH_OPPORTUNITIES:
        return
    stdout.write(f"seeding {BENCH_OPPORTUNITIES} opportunities ...")
    rng = random.Random(3)
    ids = list(Customer.objects.values_list("pk", flat=True)[:5000])
    Opportunity.objects.bulk_create([
        Opportunity(customer_id=rng.choice(ids), title=f"Bench deal {index}", value=Decimal(rng.randint(1, 900) * 100),
                    probability=rng.choice([20, 40, 60, 80]), stage=rng.choice(OpportunityStage.values))
        for index in range(BENCH_OPPORTUNITIES)], batch_size=1000)


def crm_bench_pages(tenant) -> list[tuple[str, str]]:
    from django_tenants.utils import tenant_context

    from crm.selectors import TIMELINE_PAGE, customer_timeline

    with tenant_context(tenant):
        heavy = Customer.objects.get(name=HEAVY_CUSTOMER)
        sector = Sector.objects.order_by("name").first()
        cursor = customer_timeline(customer=heavy)[TIMELINE_PAGE - 1].pk
    return [
        ("Customers, page 1", "/customers/"),
        ("Customers, search", "/customers/?q=customer+0421"),
        ("Customers, filter", f"/customers/?status=prospect&sector={sector.pk}"),
        ("Customer page (2,000 events)", f"/customers/{heavy.pk}/"),
        ("Customer timeline, next page", f"/customers/{heavy.pk}/timeline/?before={cursor}"),
        ("Pipeline board (2,000 opportunities)", "/pipeline/"),
    ]
