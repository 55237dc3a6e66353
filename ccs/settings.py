"""CCS settings: every value comes from the environment (or the git-ignored `.env` written by `make run`/`make test`).

The full list of variables is documented in README.md ("Configuration").
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

from dotenv import load_dotenv

from ccs.config import check_required_settings, env_bool, env_list, parse_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
load_dotenv(BASE_DIR / ".env", override=False)

VERSION = (BASE_DIR / "VERSION").read_text().strip()

DEBUG = env_bool("DJANGO_DEBUG", False)
TESTING = env_bool("CCS_TESTING", False)

check_required_settings(debug=DEBUG)

SECRET_KEY = os.environ.get("SECRET_KEY") or "insecure-dev-only-key-set-SECRET_KEY"
FIELD_ENCRYPTION_KEY = os.environ.get("FIELD_ENCRYPTION_KEY", "")

BASE_DOMAIN = os.environ.get("BASE_DOMAIN", "localhost").strip().lower()
ALLOWED_HOSTS = [BASE_DOMAIN, f".{BASE_DOMAIN}", "127.0.0.1", *env_list("ALLOWED_HOSTS")]

SHARED_APPS = [
    "tenants",  # before django_tenants so that our `create_tenant` command wins over its interactive one
    "django_tenants",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "channels",
    "django_htmx",
    "template_partials",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "accounts",
    "core",
    "ai_prompts",  # also a tenant app: public holds system prompts and the system key, tenants their overrides (ADR)
]
# Users, roles, sessions, tokens and history live in each tenant's own schema: a user of one tenant
# cannot sign in to another by construction.
TENANT_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "rest_framework_simplejwt.token_blacklist",
    "accounts",
    "core",
    "crm",
    "helpdesk",
    "quotes",
    "portal",
    "ai_prompts",
]
INSTALLED_APPS = list(SHARED_APPS) + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.Tenant"
TENANT_DOMAIN_MODEL = "tenants.Domain"
PUBLIC_SCHEMA_NAME = "public"
PUBLIC_SCHEMA_URLCONF = "ccs.urls_public"
ROOT_URLCONF = "ccs.urls_tenant"
SHOW_PUBLIC_IF_NO_TENANT_FOUND = False
TENANT_LIMIT_SET_CALLS = False  # see STACK_NOTES: must stay off under ASGI

MIDDLEWARE = [
    "ccs.middleware.RequestIdMiddleware",
    "ccs.middleware.HealthCheckMiddleware",
    "django_tenants.middleware.main.TenantMainMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.middleware.PortalSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "ccs.middleware.HtmxMessagesMiddleware",
    "tenants.middleware.TenantStatusMiddleware",
    "accounts.middleware.UserPreferencesMiddleware",
    "ccs.middleware.AccessLogMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ccs.context_processors.shell",
            ],
        },
    }
]

WSGI_APPLICATION = "ccs.wsgi.application"
ASGI_APPLICATION = "ccs.asgi.application"

DATABASE_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ccs")
DATABASES = {"default": parse_database_url(DATABASE_URL)}
DATABASE_ROUTERS = ("django_tenants.routers.TenantSyncRouter",)

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
CACHES = {
    "default": {
        "BACKEND": "ccs.cache.SharedPoolRedisCache",  # one Redis connection pool per process (ccs/cache.py)
        "LOCATION": REDIS_URL,
        # Every cache key carries the schema name, so no cache entry can leak between tenants.
        "KEY_FUNCTION": "django_tenants.cache.make_key",
        "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
        "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "ccs"),
        "TIMEOUT": 300,
    }
}
CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        # redis-py 8 gives connections a 5 s socket timeout, the same as the 5 s BZPOPMIN channels_redis blocks
        # on while a socket is idle: reads then time out and idle consumers die. Give reads room beyond it.
        "CONFIG": {
            "hosts": [{"address": REDIS_URL, "socket_timeout": 15}],
            "prefix": os.environ.get("CHANNELS_PREFIX", "ccs-asgi"),
        },
    }
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # one day
INVITATION_VALID_DAYS = 7
# Customer portal (portal/): its own session cookie, limited to /portal/, and the life of its one-time links.
PORTAL_SESSION_COOKIE_NAME = "ccs_portal"
PORTAL_SESSION_AGE = int(os.environ.get("PORTAL_SESSION_AGE", str(8 * 60 * 60)))
PORTAL_INVITATION_VALID_DAYS = 7
PORTAL_SIGN_IN_LINK_MINUTES = 30
PORTAL_PASSWORD_RESET_MINUTES = 60
LOGIN_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_LOCKOUT_SECONDS = int(os.environ.get("LOGIN_LOCKOUT_SECONDS", str(15 * 60)))

# Sessions and CSRF cookies stay on the tenant host that set them (no Domain attribute).
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_NAME = "ccs_session"
# Sessions are read from Redis (keys carry the schema, like every cache key) and kept in the tenant's table too.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
CSRF_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
if not DEBUG:
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
CSRF_TRUSTED_ORIGINS = [f"https://*.{BASE_DOMAIN}", f"https://{BASE_DOMAIN}", *env_list("CSRF_TRUSTED_ORIGINS")]

LANGUAGE_CODE = "en-gb"
# Every string is marked for translation; languages are added here as their catalogues land in locale/.
LANGUAGES = [("en-gb", "English (UK)"), ("en", "English (US)")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
# Uploaded files are never served straight from MEDIA_ROOT: views serve them inside the tenant's context.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
LOGO_MAX_BYTES = 512 * 1024

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

EMAIL_BACKEND = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
}[os.environ.get("EMAIL_BACKEND", "console" if DEBUG else "smtp")]
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / ".local" / "sent-email"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", f"CCS <no-reply@{BASE_DOMAIN}>")

# Celery: the caller's schema travels in a header of every task (tenant-schemas-celery).
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_WORKER_HIJACK_ROOT_LOGGER = False  # worker and beat log through LOGGING: the same JSON lines
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BEAT_SCHEDULE: dict = {}  # filled by ccs.celery from each app's BEAT_SCHEDULE

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.TenantJWTAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=15),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=7),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": False,
    "SIGNING_KEY": SECRET_KEY,
    "USER_ID_CLAIM": "user_id",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CCS API",
    "DESCRIPTION": "The CCS integration API. Every call is scoped to the tenant host it is sent to.",
    "VERSION": VERSION,
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    # Swagger UI from the installed sidecar package: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a `status`: each choice set gets its own schema name.
    "ENUM_NAME_OVERRIDES": {
        "CustomerStatusEnum": "crm.models.CustomerStatus",
        "TicketStatusEnum": "helpdesk.models.ticket.TicketStatus",
        "ContractStatusEnum": "helpdesk.models.contract.ContractStatus",
        "ContractTypeEnum": "helpdesk.models.contract.ContractType",
        "TicketTypeEnum": "helpdesk.models.ticket.TicketType",
        "QuoteStatusEnum": "quotes.models.quote.QuoteStatus",
        "QuoteLineKindEnum": "quotes.models.quote.LineKind",
        "ImportStatusEnum": "core.models.ImportStatus",
    },
}

SYSTEM_ADMIN_EMAIL = os.environ.get("SYSTEM_ADMIN_EMAIL", "")
SYSTEM_ADMIN_PASSWORD = os.environ.get("SYSTEM_ADMIN_PASSWORD", "")
LOCAL_DIR = BASE_DIR / ".local"
TRIAL_DAYS = 30

LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "ccs.logging.RequestContextFilter"}},
    "formatters": {"json": {"()": "ccs.logging.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["request_context"]}
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
        "uvicorn.access": {"level": "WARNING"},
    },
}

PUBLIC_PORT = os.environ.get("PUBLIC_PORT", "")  # port shown in links to tenant hosts in emails (dev: 8000)
SITE_SCHEME = "http" if DEBUG else "https"

# AI (ai_prompts): provider fallback from the environment, call limits, budgets by plan, prices per model.
OPENAI_API_KEY = os.environ.get("OPENAI_API_KEY", "")
OPENAI_BASE_URL = os.environ.get("OPENAI_BASE_URL", "")
AI_DEFAULT_MODEL = os.environ.get("AI_DEFAULT_MODEL", "gpt-4o-mini")
AI_TIMEOUT_SECONDS = float(os.environ.get("AI_TIMEOUT_SECONDS", "60"))
AI_MAX_RETRIES = int(os.environ.get("AI_MAX_RETRIES", "3"))  # on 429, 5xx and timeouts, with backoff (openai SDK)
AI_PROMPT_CACHE_SECONDS = 3600
AI_JOB_STALE_SECONDS = 600  # a job pending this long is shown as failed with Retry (its worker was lost)
# Monthly token budget (input + output) per plan; None = unlimited.
AI_MONTHLY_TOKEN_BUDGETS = {"trial": 200_000, "basic": 1_000_000, "professional": 5_000_000, "enterprise": 20_000_000}
# Estimated cost in the tenant's view: US dollars per million tokens (input, output). Unknown models cost "unknown".
AI_MODEL_PRICES = {
    "gpt-4o-mini": ("0.15", "0.60"),
    "gpt-4o": ("2.50", "10.00"),
    "gpt-4.1-mini": ("0.40", "1.60"),
    "gpt-4.1": ("2.00", "8.00"),
    "gpt-5-mini": ("0.25", "2.00"),
    "gpt-5": ("1.25", "10.00"),
}
# Customer analysis reads the customer's website from the worker: public addresses only (tests allow loopback).
AI_WEBSITE_FETCH_TIMEOUT = float(os.environ.get("AI_WEBSITE_FETCH_TIMEOUT", "8"))
AI_WEBSITE_FETCH_ALLOW_PRIVATE = env_bool("AI_WEBSITE_FETCH_ALLOW_PRIVATE", False)
