"""Sign-in throttling: after LOGIN_FAILURE_LIMIT failures, the (email, address) pair is locked for a while.

Counters live in the tenant-keyed Redis cache, so one tenant's failures never lock another tenant's user.
The lock applies to the pages and to the API token endpoint alike.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import ngettext

from accounts.errors import LoginLocked


def _key(email: str, address: str, scope: str = "login") -> str:
    digest = hashlib.sha256(f"{email.strip().lower()}|{address}".encode()).hexdigest()[:32]
    return f"{scope}-failures:{digest}"


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def login_lock_check(*, email: str, address: str, scope: str = "login") -> None:
    """`scope` keeps separate counters for separate sign-in doors (staff "login", the customer portal "portal")."""
    entry = cache.get(_key(email, address, scope))
    if entry and entry["count"] >= settings.LOGIN_FAILURE_LIMIT:
        remaining = max(int(entry["until"] - time.time()), 1)
        minutes = (remaining + 59) // 60
        raise LoginLocked(
            ngettext(
                "Too many failed sign-in attempts. Try again in %(minutes)d minute.",
                "Too many failed sign-in attempts. Try again in %(minutes)d minutes.",
                minutes,
            )
            % {"minutes": minutes},
            retry_after_seconds=remaining,
        )


def login_failure_record(*, email: str, address: str, scope: str = "login") -> int:
    key = _key(email, address, scope)
    entry = cache.get(key) or {"count": 0}
    entry["count"] += 1
    entry["until"] = time.time() + settings.LOGIN_LOCKOUT_SECONDS
    cache.set(key, entry, timeout=settings.LOGIN_LOCKOUT_SECONDS)
    return entry["count"]


def login_failures_clear(*, email: str, address: str, scope: str = "login") -> None:
    cache.delete(_key(email, address, scope))
