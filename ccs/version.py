from django.conf import settings


def version() -> str:
    """The running version: VERSION at the repository root is its single source."""
    return settings.VERSION
