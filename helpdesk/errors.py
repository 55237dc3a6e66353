class HelpdeskError(Exception):
    """A helpdesk action that cannot happen; the message says why, for the user."""


class AttachmentRefused(HelpdeskError):
    pass


class ContractError(HelpdeskError):
    """A support contract change that cannot happen (dates, values, status)."""
