import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

SLUG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,38}[a-z0-9]$")
RESERVED_SLUGS = frozenset(
    {
        "www", "admin", "api", "public", "system", "static", "media", "mail", "smtp", "imap", "ftp",
        "app", "portal", "help", "support", "status", "docs", "assets", "cdn", "ws", "test", "pg_catalog",
        "information_schema", "root", "ccs", "billing", "signup", "login", "auth", "dashboard",
    }
)


def validate_tenant_slug(value: str) -> None:
    """A slug is a host label and a PostgreSQL schema name at once: keep it to what is safe for both."""
    if not SLUG_PATTERN.match(value or ""):
        raise ValidationError(
            _("Use 2 to 40 lowercase letters, digits and hyphens, starting and ending with a letter or digit."),
            code="invalid",
        )
    if value in RESERVED_SLUGS or value.startswith("pg_"):
        raise ValidationError(_("“%(slug)s” is reserved. Please choose another."), params={"slug": value}, code="reserved")
