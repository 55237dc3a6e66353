"""Writing history: `event_record` is called by services, inside their transaction."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from core.models import Event


def event_record(*, kind: str, actor=None, subject: models.Model | None = None, data: dict[str, Any] | None = None,
                 customer_id: int | None = None) -> Event:
    """Write one history row. `customer_id` puts it on that customer's timeline (and pushes it live there)."""
    event = Event.objects.create(
        kind=kind,
        actor=actor if actor is not None and getattr(actor, "is_authenticated", False) else None,
        subject_type=ContentType.objects.get_for_model(subject) if subject is not None else None,
        subject_id=str(subject.pk) if subject is not None else "",
        data=data or {},
        customer_id=customer_id,
    )
    if customer_id is not None:
        from core.timeline import timeline_push

        timeline_push(event=event)
    return event
