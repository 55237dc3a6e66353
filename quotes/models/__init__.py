"""Quotes app models, one module per part: the catalogue, pricing settings and quote documents."""

from quotes.models.catalogue import (  # noqa: F401
    LabourRate, Product, ProductCategory, ProductPriceChange, ProductUnit, QuotesRights, Supplier, compact, spaced,
)
from quotes.models.pricing import PricingSettings, RoundingRule, sell_price_from_cost  # noqa: F401
from quotes.models.quote import (  # noqa: F401
    ApprovalState, LineKind, Quote, QuoteLine, QuoteRevision, QuoteStatus, QuoteTransition, Recurrence,
)
from quotes.models.sending import QuoteEmail, RevisionPdf, revision_pdf_path  # noqa: F401
