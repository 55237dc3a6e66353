class CrmError(Exception):
    """Base of the CRM domain errors; the message is safe to show to the user."""


class CustomerArchived(CrmError):
    pass
