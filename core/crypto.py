"""Secrets at rest (API keys, SMTP passwords a tenant stores): Fernet with FIELD_ENCRYPTION_KEY.

FIELD_ENCRYPTION_KEY may hold several comma-separated keys: the first encrypts, all decrypt, so keys rotate
without downtime (add the new key first, re-save, then drop the old one).
"""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


def _as_fernet_key(raw: str) -> bytes:
    raw = raw.strip()
    try:
        if len(base64.urlsafe_b64decode(raw.encode())) == 32:
            return raw.encode()
    except (ValueError, TypeError):
        pass
    # Any other string is stretched into a key, so a passphrase also works (development, tests).
    return base64.urlsafe_b64encode(hashlib.sha256(raw.encode()).digest())


@lru_cache(maxsize=4)
def _fernet(keys: str) -> MultiFernet:
    parts = [part for part in keys.split(",") if part.strip()]
    if not parts:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY is not set: secrets cannot be stored.")
    return MultiFernet([Fernet(_as_fernet_key(part)) for part in parts])


def secret_encrypt(plaintext: str) -> str:
    return _fernet(settings.FIELD_ENCRYPTION_KEY).encrypt(plaintext.encode()).decode()


def secret_decrypt(token: str) -> str:
    try:
        return _fernet(settings.FIELD_ENCRYPTION_KEY).decrypt(token.encode()).decode()
    except InvalidToken:
        raise ImproperlyConfigured("A stored secret cannot be decrypted with FIELD_ENCRYPTION_KEY.") from None


class EncryptedTextField(models.TextField):
    """Stores ciphertext; Python code sees plaintext. Never filter on it (the ciphertext differs every time)."""

    def from_db_value(self, value, expression, connection):
        return value if value in (None, "") else secret_decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return value if value in (None, "") else secret_encrypt(value)
