"""Settings for the in-process test suite: real PostgreSQL and Redis, fast hashing, email kept in memory."""

import os
import uuid

os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ["CCS_TESTING"] = "1"

from ccs.settings import *  # noqa: E402,F403
from ccs.settings import CACHES, CHANNEL_LAYERS  # noqa: E402

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
# Each run gets its own key space in the real Redis, so counters from an earlier run never leak in.
RUN_ID = uuid.uuid4().hex[:8]
CACHES["default"]["KEY_PREFIX"] = f"ccs-test-{RUN_ID}"
CHANNEL_LAYERS["default"]["CONFIG"]["prefix"] = f"ccs-test-{RUN_ID}"
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_SSL_REDIRECT = False
MEDIA_ROOT = BASE_DIR / ".local" / "test-media"  # noqa: F405
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
