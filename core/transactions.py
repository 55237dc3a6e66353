from __future__ import annotations

from collections.abc import Callable

from django.db import connection, transaction
from django_tenants.utils import schema_context


def on_commit_in_this_schema(callback: Callable[[], object]) -> None:
    """Like transaction.on_commit, but the callback runs in the schema that was current when it was registered.

    A commit can happen after the code has left a tenant_context (provisioning does exactly that); a task sent
    from the callback then carries the right schema to the worker.
    """
    schema = connection.schema_name

    def run():
        with schema_context(schema):
            callback()

    transaction.on_commit(run)
