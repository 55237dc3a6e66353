class TenantError(Exception):
    """Base of the tenant domain errors; the message is safe to show to the user."""


class TenantSlugUnavailable(TenantError):
    pass
