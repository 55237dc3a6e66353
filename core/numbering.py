"""Gap-free document numbers per tenant (the row lock is held until the caller's transaction ends)."""

from __future__ import annotations

from django.db import connection

from core.models import NumberSequence

_NEXT = (
    f'INSERT INTO "{NumberSequence._meta.db_table}" (series, last_value) VALUES (%s, 1) '
    f'ON CONFLICT (series) DO UPDATE SET last_value = "{NumberSequence._meta.db_table}".last_value + 1 '
    "RETURNING last_value"
)


def number_next(*, series: str) -> int:
    """The next number of `series`, taken inside the caller's transaction: a rollback gives the number back.

    One upsert statement: concurrent callers queue on the row's lock until the holder commits or rolls back, so
    they get distinct consecutive numbers and a failed create leaves no gap.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("number_next must run inside the transaction that uses the number")
    with connection.cursor() as cursor:
        cursor.execute(_NEXT, [series])
        return cursor.fetchone()[0]
