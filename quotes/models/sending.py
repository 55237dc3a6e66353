"""What leaves the building: the PDF of each sent revision, and each email that carried one to the customer.

The PDF is a rendering of the revision's frozen snapshot (quotes/pdf.py), written once by a Celery task when the
revision is sent and kept in the tenant's own folder of the media storage; it is served only by a
permission-checked view. The email itself is a core OutboundEmail row (ADR 0008): QuoteEmail ties it to the quote
and the revision, so the builder shows its delivery state and can send a failed one again.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from quotes.models.quote import Quote, QuoteRevision


def revision_pdf_path(revision: QuoteRevision) -> str:
    """One fixed name per revision under the tenant's folder: an email row can name the file before it is drawn."""
    from django.db import connection

    quote = revision.quote
    return f"tenants/{connection.schema_name}/quotes/{quote.pk}/{quote.reference}-R{revision.number}.pdf"


def _upload_to(instance: RevisionPdf, filename: str) -> str:
    return revision_pdf_path(instance.revision)


class RevisionPdf(models.Model):
    """The PDF of one sent revision. Drawn from the snapshot, so drawing it again gives the same document."""

    revision = models.OneToOneField(QuoteRevision, on_delete=models.CASCADE, related_name="pdf")
    file = models.FileField(upload_to=_upload_to, max_length=300)
    size = models.PositiveIntegerField()
    pages = models.PositiveSmallIntegerField()
    generated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.file.name


class QuoteEmail(models.Model):
    """One sending of a revision by email: to whom, by whom, and the OutboundEmail that carries it."""

    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="emails")
    revision = models.ForeignKey(QuoteRevision, on_delete=models.CASCADE, related_name="emails")
    message = models.OneToOneField("core.OutboundEmail", on_delete=models.PROTECT, related_name="+")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["quote", "-created_at"], name="quotes_email_quote")]

    def __str__(self) -> str:
        return f"{self.quote.reference} R{self.revision.number} → {self.message.to}"
