"""Outbound email: rendered now, recorded as an OutboundEmail row, delivered by Celery with retries."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.template.loader import render_to_string

from core.models import OutboundEmail
from core.transactions import on_commit_in_this_schema

logger = logging.getLogger(__name__)
_failure_handlers: list[tuple[str, Callable[[OutboundEmail], object]]] = []


def register_email_failure_handler(topic_prefix: str, handler: Callable[[OutboundEmail], object]) -> None:
    """`handler(message)` runs when an email whose topic starts with `topic_prefix` has failed for good (after its
    last retry), so the app it concerns can tell the person who sent it."""
    if (topic_prefix, handler) not in _failure_handlers:
        _failure_handlers.append((topic_prefix, handler))


def email_failed_notify(message: OutboundEmail) -> None:
    for prefix, handler in _failure_handlers:
        if message.topic.startswith(prefix):
            try:
                handler(message)
            except Exception:  # noqa: BLE001 - a failing handler must not hide the email's own failure
                logger.exception("email failure handler failed", extra={"email_id": message.pk})


def email_send(*, to: str, subject: str, template: str, context: dict, reply_to: str = "", headers: dict | None = None,
               topic: str = "", cc: list[str] | None = None, attachments: list[dict] | None = None,
               deliver: bool = True) -> OutboundEmail:
    """Queue an email built from `<template>.txt` (and `<template>.html` when present); it leaves on commit.
    `headers` may set Message-ID, In-Reply-To and References (threading); `topic` ties it to what it is about.
    `attachments` are files of the default storage, `{"path", "name", "content_type"}`, read at delivery.
    `deliver=False` leaves scheduling `core.tasks.email_deliver` to the caller, for an attachment that a task must
    write first (a quote's PDF): the row still says `queued` meanwhile."""
    body_text = render_to_string(f"{template}.txt", context)
    try:
        body_html = render_to_string(f"{template}.html", context)
    except Exception:  # noqa: BLE001 - the HTML version is optional
        body_html = ""
    message = OutboundEmail.objects.create(to=to, subject=subject, body_text=body_text, body_html=body_html,
                                           reply_to=reply_to, headers=headers or {}, topic=topic, cc=list(cc or []),
                                           attachments=list(attachments or []))
    if deliver:
        from core.tasks import email_deliver

        on_commit_in_this_schema(lambda: email_deliver.delay(message.pk))
    return message
