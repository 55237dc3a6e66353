"""Thin tasks: load by id, call a service, retry transient failures."""

from __future__ import annotations

import logging
import smtplib
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import connection
from django.utils import timezone

from core.email import email_failed_notify
from core.models import EmailStatus, Notification, OutboundEmail

logger = logging.getLogger(__name__)

TRANSIENT_EMAIL_ERRORS = (smtplib.SMTPException, ConnectionError, TimeoutError, OSError)
EMAIL_MAX_RETRIES = 5


@shared_task(bind=True, max_retries=EMAIL_MAX_RETRIES, acks_late=True)
def email_deliver(self, outbound_email_id: int) -> str:
    message = OutboundEmail.objects.filter(pk=outbound_email_id).first()
    if message is None or message.status == EmailStatus.SENT:
        return "skipped"
    message.attempts += 1
    try:
        files = _attachment_files(message)
    except FileNotFoundError as error:  # retrying cannot bring a deleted file back: say so and stop
        message.status = EmailStatus.FAILED
        message.last_error = f"Attachment missing: {error}"[:500]
        message.save(update_fields=["status", "attempts", "last_error"])
        logger.warning("email attachment missing", extra={"email_id": message.pk})
        email_failed_notify(message)
        return "failed"
    try:
        email = EmailMultiAlternatives(message.subject, message.body_text, settings.DEFAULT_FROM_EMAIL, [message.to],
                                       cc=message.cc or None,
                                       reply_to=[message.reply_to] if message.reply_to else None,
                                       headers=message.headers or None)
        if message.body_html:
            email.attach_alternative(message.body_html, "text/html")
        for name, content, content_type in files:
            email.attach(name, content, content_type)
        email.send(fail_silently=False)
    except TRANSIENT_EMAIL_ERRORS as error:
        final = self.request.retries >= EMAIL_MAX_RETRIES
        message.status = EmailStatus.FAILED if final else EmailStatus.RETRYING
        message.last_error = f"{type(error).__name__}: {error}"[:500]
        message.save(update_fields=["status", "attempts", "last_error"])
        logger.warning("email delivery failed", extra={"email_id": message.pk, "attempt": message.attempts})
        if final:
            email_failed_notify(message)
            return "failed"
        raise self.retry(exc=error, countdown=min(30 * 2**self.request.retries, 900))
    message.status = EmailStatus.SENT
    message.sent_at = timezone.now()
    message.last_error = ""
    message.save(update_fields=["status", "attempts", "last_error", "sent_at"])
    return "sent"


def _attachment_files(message: OutboundEmail) -> list[tuple[str, bytes, str]]:
    """(name, bytes, content type) of each attached file, read from the default storage."""
    from django.core.files.storage import default_storage

    files = []
    for attachment in message.attachments or []:
        path = attachment["path"]
        if not default_storage.exists(path):
            raise FileNotFoundError(attachment.get("name") or path)
        with default_storage.open(path, "rb") as handle:
            files.append((attachment.get("name") or path.rsplit("/", 1)[-1], handle.read(),
                          attachment.get("content_type") or "application/octet-stream"))
    return files


@shared_task
def fan_out(task_name: str, *args) -> int:
    """Run `task_name` once in every tenant that is not suspended (beat calls this from the public schema)."""
    from django_tenants.utils import tenant_context

    from ccs.celery import app
    from tenants.selectors import tenant_list_for_jobs

    count = 0
    for tenant in tenant_list_for_jobs():
        with tenant_context(tenant):
            app.send_task(task_name, args=args)
        count += 1
    return count


@shared_task
def schema_name_report() -> str:
    """Which schema a task runs in: used by the health page and the real-worker tests."""
    return connection.schema_name


@shared_task
def notifications_prune(days: int = 90) -> int:
    """Read notifications older than `days` are deleted; unread ones stay until read."""
    cutoff = timezone.now() - timedelta(days=days)
    deleted, _ = Notification.objects.filter(read_at__lt=cutoff).delete()
    return deleted


@shared_task
def import_job_check(job_id: int) -> None:
    from core.imports.services import import_job_check_run

    import_job_check_run(job_id=job_id)


@shared_task
def import_job_apply(job_id: int) -> None:
    from core.imports.services import import_job_apply_run

    import_job_apply_run(job_id=job_id)


@shared_task
def import_jobs_prune() -> int:
    from core.imports.services import import_jobs_prune as prune

    return prune()


BEAT_SCHEDULE = {
    "import-jobs-prune": {
        "task": "core.tasks.fan_out",
        "schedule": timedelta(days=1),
        "args": ("core.tasks.import_jobs_prune",),
    },
    "notifications-prune": {
        "task": "core.tasks.fan_out",
        "schedule": timedelta(days=1),
        "args": ("core.tasks.notifications_prune",),
    },
}
