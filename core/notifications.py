"""Live notifications: store a row for the bell menu, then push HTML fragments to the user's open pages.

Pushes leave on commit only, through the Channels layer, to groups namespaced by schema (`t_<schema>_...`), so a
message can never reach another tenant's socket.
"""

from __future__ import annotations

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import connection, transaction
from django.template.loader import render_to_string

from core.models import Notification, NotificationLevel

logger = logging.getLogger(__name__)


def user_group_name(*, schema: str, user_id: int) -> str:
    return f"t_{schema}_user_{user_id}"


def role_group_name(*, schema: str, role: str) -> str:
    return f"t_{schema}_role_{role.lower().replace(' ', '-')}"


def topic_group_name(*, schema: str, topic: str) -> str:
    return f"t_{schema}_topic_{topic}"


# Topics a signed-in page's live socket joins, by permission: {"tickets": "helpdesk.view_tickets"}.
_LIVE_TOPICS: dict[str, str] = {}


def live_topic_register(*, topic: str, permission: str) -> None:
    _LIVE_TOPICS[topic] = permission


def live_topics_for(user) -> list[str]:
    return [topic for topic, permission in _LIVE_TOPICS.items() if user.has_perm(permission)]


def live_signal(*, topic: str, signals: list[str]) -> None:
    """Tell every open page of `topic` that something changed: each page decides what to reload (a list keeps its
    own filters), so nothing private travels in the message. Sent on commit."""
    html = render_to_string("partials/live_signal.html", {"signals": " ".join(signals)})
    push_html(group=topic_group_name(schema=connection.schema_name, topic=topic), html=html)


def unread_count(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def push_html_now(*, group: str, html: str) -> None:
    """Send now, even inside a transaction: for progress reports of long work whose rows are not committed yet."""
    try:
        async_to_sync(get_channel_layer().group_send)(group, {"type": "notify.html", "html": html})
    except Exception:  # best effort, as below
        logger.exception("live push failed", extra={"group": group})


def push_html(*, group: str, html: str) -> None:
    """Send an HTML fragment (htmx out-of-band swaps) to every socket in `group`, after the transaction commits."""

    def send():
        layer = get_channel_layer()
        try:
            async_to_sync(layer.group_send)(group, {"type": "notify.html", "html": html})
        except Exception:  # a push is best effort: the row is saved and the bell shows it on the next page
            logger.exception("live push failed", extra={"group": group})

    transaction.on_commit(send)


def notify_user(*, user, message: str, link: str = "", level: str = NotificationLevel.INFO) -> Notification:
    notification = Notification.objects.create(recipient=user, message=message, link=link, level=level)
    html = render_to_string(
        "core/partials/live_notification.html",
        {"notification": notification, "unread_count": unread_count(user=user)},
    )
    push_html(group=user_group_name(schema=connection.schema_name, user_id=user.pk), html=html)
    return notification


def notify_role(*, role: str, message: str, link: str = "", level: str = NotificationLevel.INFO) -> list[Notification]:
    """Notify every active user holding `role` (each gets their own row and badge count)."""
    from accounts.selectors import user_list_with_role

    return [notify_user(user=user, message=message, link=link, level=level) for user in user_list_with_role(role=role)]


def notification_mark_all_read(*, user) -> int:
    from django.utils import timezone

    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
