"""The one place API views check permissions (like accounts/access.py for pages): default deny."""

from __future__ import annotations

from rest_framework.permissions import BasePermission


def requires(read: str, write: str | None = None) -> type[BasePermission]:
    """Safe methods need `read`; the others need `write` (default deny when it is None)."""

    class Required(BasePermission):
        def has_permission(self, request, view):
            if not (request.user and request.user.is_authenticated):
                return False
            needed = read if request.method in ("GET", "HEAD", "OPTIONS") else write
            return bool(needed) and request.user.has_perm(needed)

    Required.__name__ = f"Requires_{read}_{write}".replace(".", "_")
    return Required
