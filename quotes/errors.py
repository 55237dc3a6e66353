class QuotesError(Exception):
    """Base of the quotes domain errors; the message is safe to show to the user."""


class DuplicatePartNumber(QuotesError):
    pass


class SupplierArchived(QuotesError):
    pass
