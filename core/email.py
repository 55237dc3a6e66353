"""Outbound email: rendered now, recorded as an OutboundEmail row, delivered by Celery with retries."""

from __future__ import annotations

from django.template.loader import render_to_string

from core.models import OutboundEmail
from core.transactions import on_commit_in_this_schema


def email_send(*, to: str, subject: str, template: str, context: dict, reply_to: str = "", headers: dict | None = None,
               topic: str = "") -> OutboundEmail:
    """Queue an email built from `<template>.txt` (and `<template>.html` when present); it leaves on commit.
    `headers` may set Message-ID, In-Reply-To and References (threading); `topic` ties it to what it is about."""
    body_text = render_to_string(f"{template}.txt", context)
    try:
        body_html = render_to_string(f"{template}.html", context)
    except Exception:  # noqa: BLE001 - the HTML version is optional
        body_html = ""
    message = OutboundEmail.objects.create(to=to, subject=subject, body_text=body_text, body_html=body_html,
                                           reply_to=reply_to, headers=headers or {}, topic=topic)
    from core.tasks import email_deliver

    on_commit_in_this_schema(lambda: email_deliver.delay(message.pk))
    return message
