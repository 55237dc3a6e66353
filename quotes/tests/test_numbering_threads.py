"""Two estimators create quotes at the same moment: each in its own thread, with its own database connection and
transaction (committed for real, then cleaned up). They get distinct consecutive numbers, and a create that fails
gives its number back."""

import threading
import time

from django.db import connections, transaction
from django.utils import timezone

from core.models import NumberSequence
from crm.models import Customer
from quotes.models import Quote
from quotes.services.quotes import quote_create

MARKER = "Threaded numbering test"


def _run(tenant, work, results: dict, key: str, barrier: threading.Barrier | None = None) -> threading.Thread:
    """Start `work` in a thread of its own (so its own connection), on the tenant's schema."""

    def target():
        from django_tenants.utils import tenant_context

        try:
            with tenant_context(tenant):
                if barrier is not None:
                    barrier.wait(timeout=10)
                results[key] = work()
        except Exception as error:  # noqa: BLE001 - the test asserts on what each thread saw
            results[key] = error
        finally:
            connections.close_all()  # this thread's own connection

    thread = threading.Thread(target=target)
    thread.start()
    return thread


def _create(name: str, *, fail: bool = False) -> int:
    with transaction.atomic():
        customer = Customer.objects.create(name=f"{MARKER} {name}")
        number = quote_create(customer=customer, acting_user=None, title=MARKER).number
        if fail:
            time.sleep(0.3)  # hold the number (and the counter's row lock) while the other thread asks for one
            raise RuntimeError(f"failed after taking {number}")
        return number


def test_two_threads_create_quotes_at_once_distinct_numbers_and_no_gap_from_a_failed_create(tenant1):
    tenant, series = tenant1, f"quotes.quote.{timezone.localdate().year}"
    results: dict = {}
    try:
        # when two creates start at the same moment, one of which fails after taking its number
        barrier = threading.Barrier(2)
        threads = [_run(tenant, lambda: _create("A"), results, "ok", barrier),
                   _run(tenant, lambda: _create("B", fail=True), results, "failed", barrier)]
        for thread in threads:
            thread.join(timeout=30)
        # and a third create follows
        _run(tenant, lambda: _create("C"), results, "after").join(timeout=30)
        # then the failed create gave its number back: the committed quotes are consecutive, with no gap
        assert isinstance(results["failed"], RuntimeError), results
        taken_by_failed = int(str(results["failed"]).rsplit(" ", 1)[1])
        assert results["after"] == results["ok"] + 1, results
        assert taken_by_failed in (results["ok"], results["after"])
        _run(tenant, lambda: list(Quote.objects.filter(title=MARKER).order_by("number").values_list("number", flat=True)),
             results, "committed").join(timeout=30)
        assert results["committed"] == [results["ok"], results["after"]]
    finally:
        def clean():
            with transaction.atomic():
                Quote.objects.filter(title=MARKER).delete()
                Customer.objects.filter(name__startswith=MARKER).delete()
                NumberSequence.objects.filter(series=series).delete()

        _run(tenant, clean, results, "clean").join(timeout=30)
