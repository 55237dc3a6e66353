"""Reads for sending a quote: the emails of a quote with their delivery state."""

from __future__ import annotations

from functools import cached_property

from core.models import EmailStatus
from quotes.models import Quote, QuoteEmail

EMAILS_SHOWN = 20


class QuoteEmailPanel:
    """The builder's "Emails" card. Lazy: a quote never sent costs no query, one sent costs one."""

    def __init__(self, quote: Quote):
        self.quote = quote

    @cached_property
    def rows(self) -> list[QuoteEmail]:
        return list(QuoteEmail.objects.filter(quote=self.quote).select_related("message", "revision", "sent_by")
                    .defer("revision__snapshot", "message__body_text", "message__body_html")  # large, not shown
                    .order_by("-created_at", "-id")[:EMAILS_SHOWN])

    @property
    def pending(self) -> bool:
        """Still on its way: the card polls until every email is sent or failed."""
        return any(row.message.status in (EmailStatus.QUEUED, EmailStatus.RETRYING) for row in self.rows)


def quote_email_panel(*, quote: Quote) -> QuoteEmailPanel:
    return QuoteEmailPanel(quote)


def quote_email_get(*, quote: Quote, pk) -> QuoteEmail | None:
    return QuoteEmail.objects.select_related("message", "revision", "quote").filter(quote=quote, pk=pk).first()
