"""Live customer timelines: an event written for a customer is pushed, on commit, to every open page of it."""

from __future__ import annotations

from django.db import connection
from django.template.loader import render_to_string

from core.notifications import push_html


def customer_group_name(*, schema: str, customer_id: int) -> str:
    return f"t_{schema}_customer_{customer_id}"


def timeline_push(*, event) -> None:
    html = render_to_string("core/partials/timeline_push.html", {"event": event})
    push_html(group=customer_group_name(schema=connection.schema_name, customer_id=event.customer_id), html=html)
