"""Quote beat jobs: thin, the work is in the services."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task


@shared_task
def quotes_expire() -> int:
    from quotes.services.quotes import quotes_expire_due

    return quotes_expire_due()


@shared_task(bind=True, max_retries=3, acks_late=True)
def quote_revision_pdf(self, revision_id: int) -> str:
    """Draw and store a sent revision's PDF (the download view draws it too if this has not run yet)."""
    from quotes.models import QuoteRevision
    from quotes.services.sending import revision_pdf_ensure

    revision = QuoteRevision.objects.select_related("quote").filter(pk=revision_id).first()
    if revision is None:
        return "skipped"
    try:
        revision_pdf_ensure(revision=revision)
    except OSError as error:  # storage full or briefly unavailable: try again later
        raise self.retry(exc=error, countdown=60) from error
    return "drawn"


@shared_task(acks_late=True)
def quote_email_deliver(quote_email_id: int) -> str:
    """Draw the PDF the email attaches, then hand the email to core.tasks.email_deliver (which retries SMTP)."""
    from quotes.services.sending import quote_email_deliver_run

    return quote_email_deliver_run(quote_email_id=quote_email_id)


BEAT_SCHEDULE = {
    "quotes-expire": {
        "task": "core.tasks.fan_out",
        "schedule": timedelta(days=1),
        "args": ("quotes.tasks.quotes_expire",),
    },
}
