class HelpdeskError(Exception):
    """A helpdesk action that cannot happen; the message says why, for the user."""


class AttachmentRefused(HelpdeskError):
    pass
