from datetime import timedelta
from unittest import mock

import pytest
from celery.exceptions import Retry
from django.utils import timezone

from core.models import EmailStatus, Notification, OutboundEmail
from core.periodic import collect_beat_schedule
from core.tasks import email_deliver, fan_out, notifications_prune


def test_beat_schedule_is_collected_from_every_app():
    schedule = collect_beat_schedule()
    assert schedule["core:notifications-prune"]["task"] == "core.tasks.fan_out"
    assert schedule["core:notifications-prune"]["args"] == ("core.tasks.notifications_prune",)


def test_fan_out_sends_the_job_once_per_active_tenant(db, tenant2):
    # given test2 is suspended
    tenant2.status = "suspended"
    tenant2.save(update_fields=["status"])
    sent = []

    def record(name, args=()):
        from django.db import connection

        sent.append((name, connection.schema_name))

    # when (the broker is the edge we stub: each send must carry its tenant's schema)
    with mock.patch("ccs.celery.app.send_task", side_effect=record):
        count = fan_out("core.tasks.notifications_prune")
    # then
    assert count == 1
    assert sent == [("core.tasks.notifications_prune", "test1")]


def test_pruning_keeps_unread_and_recent_notifications(admin_user):
    old = timezone.now() - timedelta(days=120)
    Notification.objects.create(recipient=admin_user, message="old read", read_at=old, created_at=old)
    Notification.objects.create(recipient=admin_user, message="old unread", created_at=old)
    Notification.objects.create(recipient=admin_user, message="recent read", read_at=timezone.now())
    assert notifications_prune() == 1
    assert sorted(Notification.objects.values_list("message", flat=True)) == ["old unread", "recent read"]


def test_a_failing_smtp_server_is_retried_and_the_failure_is_visible(tenant1, settings):
    # given an SMTP server that refuses connections (the network edge)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    message = OutboundEmail.objects.create(to="x@example.com", subject="Hello", body_text="Hi")
    # when the task runs (eagerly, a retry surfaces as Retry instead of being scheduled)
    with pytest.raises(Retry, match="Retry in 30s"):
        email_deliver.apply(args=[message.pk])
    # then it is marked for retry, with the reason
    message.refresh_from_db()
    assert message.status == EmailStatus.RETRYING and message.attempts == 1
    assert "ConnectionRefusedError" in message.last_error
    # and when the last retry fails too, it is marked failed for good
    assert email_deliver.apply(args=[message.pk], retries=5).get() == "failed"
    message.refresh_from_db()
    assert (message.status, message.attempts) == (EmailStatus.FAILED, 2)
