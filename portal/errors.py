"""Domain errors of the portal; their messages are safe to show to the person who caused them."""


class PortalError(Exception):
    """Base class: the view shows the message."""


class PortalTokenInvalid(PortalError):
    """A one-time link that does not exist, was used, expired or was replaced."""


class PortalAccessRevoked(PortalError):
    pass


class QuoteClosed(PortalError):
    """The quote can no longer be answered from the portal (accepted, rejected, expired, cancelled, being revised)."""
