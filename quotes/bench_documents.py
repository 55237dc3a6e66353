"""Quotes for `make bench`: 20,000 quotes across the bench customers, and one 200-line quote for the builder.

The quotes list and the builder are the estimators' daily screens: the list must stay fast with years of quotes, and
saving one field of a long quote (save, recompute every total, swap the fragments) must feel instant.
"""

from __future__ import annotations

import random
import time
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from core.models import NumberSequence
from crm.models import Customer
from quotes.models import Quote, QuoteLine, QuoteStatus
from quotes.services.quotes import quote_create, quote_recalculate

BENCH_QUOTES = 20_000
BUILDER_TITLE = "Bench builder: campus network refresh (200 lines)"
BUILDER_LINES = 200
STATUSES = [QuoteStatus.DRAFT, QuoteStatus.SENT, QuoteStatus.VIEWED, QuoteStatus.ACCEPTED, QuoteStatus.REJECTED,
            QuoteStatus.EXPIRED]


def quotes_bench_documents_seed(*, stdout, quotes: int = BENCH_QUOTES) -> None:
    """Idempotent: tops the tenant up to `quotes` quotes (bulk inserts) and makes the 200-line builder quote."""
    existing = Quote.objects.count()
    if existing < quotes:
        stdout.write(f"seeding {quotes - existing} quotes ...")
        started = time.perf_counter()
        rng = random.Random(23)
        customers = list(Customer.objects.values_list("pk", flat=True)[:5000])
        owners = list(User.objects.filter(is_active=True).values_list("pk", flat=True)[:50])
        now = timezone.now()
        year = timezone.localdate().year
        series = f"quotes.quote.{year}"
        with transaction.atomic():
            sequence, _created = NumberSequence.objects.select_for_update().get_or_create(series=series)
            first = sequence.last_value + 1
            batch = []
            for offset in range(quotes - existing):
                net = Decimal(rng.randint(5_000, 5_000_000)) / 100
                tax = (net * Decimal("0.2")).quantize(Decimal("0.01"))
                batch.append(Quote(
                    year=year, number=first + offset, customer_id=rng.choice(customers), owner_id=rng.choice(owners),
                    title=f"{rng.choice(['Structured cabling', 'Wi-Fi survey', 'Server room', 'Fibre backbone', 'CCTV', 'Support renewal'])} {offset}",
                    valid_until=(now + timedelta(days=rng.randint(-200, 30))).date(), currency="GBP",
                    tax_rate=Decimal("20.00"), status=rng.choice(STATUSES), net_total=net, tax_total=tax,
                    grand_total=net + tax, monthly_total=Decimal(rng.choice([0, 0, 0, 45, 120])),
                    margin_percent=Decimal(rng.randint(5, 45)), created_at=now - timedelta(minutes=offset * 20)))
            Quote.objects.bulk_create(batch, batch_size=2000)
            sequence.last_value = first + len(batch) - 1
            sequence.save(update_fields=["last_value"])
        stdout.write(f"  {len(batch)} quotes in {time.perf_counter() - started:.1f} s")
    quotes_bench_builder_quote()


def quotes_bench_builder_quote() -> Quote:
    """The 200-line draft (sections every 20 lines, some optional, some monthly) the builder is measured on."""
    quote = Quote.objects.filter(title=BUILDER_TITLE).first()
    if quote is not None:
        return quote
    with transaction.atomic():
        customer = Customer.objects.order_by("pk").first()
        quote = quote_create(customer=customer, acting_user=None, title=BUILDER_TITLE)
        lines = []
        for index in range(BUILDER_LINES):
            if index % 20 == 0:
                lines.append(QuoteLine(quote=quote, position=index, kind="section",
                                       description=f"Building {index // 20 + 1}"))
                continue
            lines.append(QuoteLine(
                quote=quote, position=index, description=f"Cat6a outlet, installed and tested, room {index}",
                part_number=f"C6A-OUT-{index:04d}", supplier_name="Bench Supplier 01 Ltd",
                quantity=Decimal(index % 7 + 1), unit_cost=Decimal("38.50"), unit_price=Decimal("62.00"),
                discount_percent=Decimal(index % 3), is_optional=index % 25 == 0,
                recurrence="monthly" if index % 40 == 39 else ""))
        QuoteLine.objects.bulk_create(lines)
        quote_recalculate(quote=quote)
    return quote


def quotes_bench_document_pages() -> list[tuple]:
    """(label, path) pages and one (label, path, form) edit posted as htmx does, measured like every other page."""
    quote = quotes_bench_builder_quote()
    line = quote.lines.filter(kind="item").order_by("position")[100]
    customer_word = "Bench Customer 0042"
    since = timezone.localdate() - timedelta(days=90)
    return [
        ("Quotes, page 1 (20,000 quotes)", "/quotes/"),
        ("Quotes, search by customer", f"/quotes/?q={customer_word.replace(' ', '+')}"),
        ("Quotes, filter status and date", f"/quotes/?status=sent&from={since.isoformat()}"),
        ("Quote builder, 200 lines", f"/quotes/{quote.pk}/"),
        ("Quote builder: save one field of a 200-line quote (htmx)", f"/quotes/{quote.pk}/lines/{line.pk}/",
         {"field": "quantity", "value": ["3", "4"]}),
    ]
