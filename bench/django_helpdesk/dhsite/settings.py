"""django-helpdesk 2.6.1 as its docs set it up, with production-like settings, for `make bench`'s comparison.

DEBUG off, cached template loaders (Django's default when DEBUG is off), hashed static files through whitenoise,
database sessions, and the same `Server-Timing` header as CCS (outermost middleware), so both sides are timed alike.
The database is CCS's server with its own database name (default `ccs_bench_dh`), taken from DATABASE_URL
(environment, else the repository's .env, else postgres@127.0.0.1:5432).
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit, unquote

BASE_DIR = Path(__file__).resolve().parent.parent
REPO_DIR = BASE_DIR.parent.parent
LOCAL_DIR = REPO_DIR / ".local"


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    env_file = REPO_DIR / ".env"
    if not url and env_file.exists():
        for line in env_file.read_text().splitlines():
            key, _sep, value = line.partition("=")
            if key.strip() == "DATABASE_URL":
                url = value.strip().strip("\"'")
    return url or "postgres://postgres@127.0.0.1:5432/ccs"


_db = urlsplit(_database_url())
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.environ.get("DH_DATABASE_NAME", "ccs_bench_dh"),
        "USER": unquote(_db.username or "postgres"),
        "PASSWORD": unquote(_db.password or ""),
        "HOST": _db.hostname or "127.0.0.1",
        "PORT": str(_db.port or 5432),
        # As CCS (ccs/config.py): psycopg's pool, since under ASGI Django cannot keep persistent connections (each
        # request runs in its own thread context, so CONN_MAX_AGE leaks one connection per thread).
        "OPTIONS": {"pool": {"min_size": 1, "max_size": 10, "timeout": 10}},
    }
}

DEBUG = os.environ.get("DH_DEBUG") == "1"
SECRET_KEY = os.environ.get("DH_SECRET_KEY", "bench-only-not-a-secret-" + "x" * 40)
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver", ".localhost"]
SITE_ID = 1

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "rest_framework",
    "helpdesk",
    "dhsite",
]

MIDDLEWARE = [
    "dhsite.middleware.ServerTimingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "dhsite.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,  # with DEBUG off Django wraps these in the cached loader
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    }
]
ASGI_APPLICATION = "dhsite.asgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_CODE = "en-us"

STATIC_URL = "/static/"
STATIC_ROOT = LOCAL_DIR / "dh-static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = LOCAL_DIR / "dh-media"
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LOGIN_URL = "helpdesk:login"
LOGIN_REDIRECT_URL = "helpdesk:home"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # the bench signs in by session, never by password

# django-helpdesk: its documented defaults, without the optional pinax-teams dependency.
HELPDESK_TEAMS_MODE_ENABLED = False
# Server errors on stderr (the bench counts them as errors; this says why).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"stderr": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"handlers": ["stderr"], "level": "ERROR", "propagate": False}},
}
