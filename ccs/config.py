"""Reading and checking configuration from the environment, before Django starts."""

from __future__ import annotations

import os
from urllib.parse import parse_qs, unquote, urlparse

from django.core.exceptions import ImproperlyConfigured

# Variables a production deployment must set; a missing one stops the process with a message naming it.
PRODUCTION_REQUIRED = (
    "SECRET_KEY",
    "FIELD_ENCRYPTION_KEY",
    "DATABASE_URL",
    "REDIS_URL",
    "BASE_DOMAIN",
    "DEFAULT_FROM_EMAIL",
    "EMAIL_HOST",
)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


def check_required_settings(*, debug: bool) -> None:
    """Refuse to start in production with a missing or unsafe setting (skipped for the image build step)."""
    if debug or env_bool("CCS_SKIP_SETTINGS_CHECK", False):
        return
    missing = [name for name in PRODUCTION_REQUIRED if not os.environ.get(name)]
    if missing:
        raise ImproperlyConfigured(
            "CCS is running with DJANGO_DEBUG off, and these required settings are missing: "
            + ", ".join(missing)
            + ". Set them in the environment (see README.md, Configuration)."
        )
    if len(os.environ["SECRET_KEY"]) < 40:
        raise ImproperlyConfigured("SECRET_KEY must be at least 40 characters long in production.")


def parse_database_url(url: str) -> dict:
    """postgres://user:password@host:port/name?sslmode=require -> Django DATABASES entry (django-tenants backend)."""
    parsed = urlparse(url)
    if parsed.scheme not in {"postgres", "postgresql", "pgsql"}:
        raise ImproperlyConfigured(f"DATABASE_URL must be a postgres:// URL, got scheme {parsed.scheme!r}.")
    options: dict = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
    if env_bool("DB_POOL", True):
        # psycopg's pool: under ASGI Django cannot keep persistent connections, and a new connection per request
        # costs several milliseconds. django-tenants sets search_path on every cursor, so pooling is safe.
        options["pool"] = {"min_size": 1, "max_size": int(os.environ.get("DB_POOL_MAX_SIZE", "10")), "timeout": 10}
    return {
        "ENGINE": "django_tenants.postgresql_backend",
        "NAME": unquote(parsed.path.lstrip("/")) or "ccs",
        "USER": unquote(parsed.username or "postgres"),
        "PASSWORD": unquote(parsed.password or ""),
        "HOST": parsed.hostname or "",
        "PORT": str(parsed.port or ""),
        "OPTIONS": options,
        "TEST": {"NAME": os.environ.get("TEST_DATABASE_NAME") or None},
    }
