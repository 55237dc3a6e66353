class QuotesError(Exception):
    """Base of the quotes domain errors; the message is safe to show to the user."""


class DuplicatePartNumber(QuotesError):
    pass


class SupplierArchived(QuotesError):
    pass


class QuoteError(QuotesError):
    """A change the quote's state or rules refuse (sent revisions are frozen, illegal transitions, approval)."""
